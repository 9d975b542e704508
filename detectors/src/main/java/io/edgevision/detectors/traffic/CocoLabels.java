package io.edgevision.detectors.traffic;

import java.util.List;
import java.util.Locale;

/**
 * The 80 contiguous COCO class names in the order DETR-family COCO exports index them (0-based;
 * COCO category id 10 "traffic light" is index {@value #TRAFFIC_LIGHT}). Used when a COCO model's
 * descriptor carries no labels (the DEIMv2 exports carry none).
 *
 * <p>Threading: constants only, safe everywhere.
 */
public final class CocoLabels {
  /** The 0-based contiguous index of "traffic light" among the 80 COCO classes. */
  public static final int TRAFFIC_LIGHT = 9;

  /** The number of contiguous COCO classes. */
  public static final int SIZE = 80;

  private static final List<String> NAMES =
      List.of(
          "person",
          "bicycle",
          "car",
          "motorcycle",
          "airplane",
          "bus",
          "train",
          "truck",
          "boat",
          "traffic light",
          "fire hydrant",
          "stop sign",
          "parking meter",
          "bench",
          "bird",
          "cat",
          "dog",
          "horse",
          "sheep",
          "cow",
          "elephant",
          "bear",
          "zebra",
          "giraffe",
          "backpack",
          "umbrella",
          "handbag",
          "tie",
          "suitcase",
          "frisbee",
          "skis",
          "snowboard",
          "sports ball",
          "kite",
          "baseball bat",
          "baseball glove",
          "skateboard",
          "surfboard",
          "tennis racket",
          "bottle",
          "wine glass",
          "cup",
          "fork",
          "knife",
          "spoon",
          "bowl",
          "banana",
          "apple",
          "sandwich",
          "orange",
          "broccoli",
          "carrot",
          "hot dog",
          "pizza",
          "donut",
          "cake",
          "chair",
          "couch",
          "potted plant",
          "bed",
          "dining table",
          "toilet",
          "tv",
          "laptop",
          "mouse",
          "remote",
          "keyboard",
          "cell phone",
          "microwave",
          "oven",
          "toaster",
          "sink",
          "refrigerator",
          "book",
          "clock",
          "vase",
          "scissors",
          "teddy bear",
          "hair drier",
          "toothbrush");

  private CocoLabels() {}

  /**
   * @return the 80 names, index order (unmodifiable)
   */
  public static List<String> names() {
    return NAMES;
  }

  /**
   * @param index a class index
   * @return its COCO name, or {@code "class N"} outside {@code [0, 80)}
   */
  public static String name(int index) {
    return index >= 0 && index < SIZE
        ? NAMES.get(index)
        : String.format(Locale.ROOT, "class %d", index);
  }
}
