package io.edgevision.detectors.face;

import io.edgevision.core.EdgeVisionException;
import io.edgevision.core.ErrorCode;
import io.edgevision.core.ModelDescriptor;
import io.edgevision.core.ModelDescriptor.ColorOrder;
import io.edgevision.core.ModelDescriptor.ResizeMode;
import io.edgevision.core.ModelInfo;
import io.edgevision.core.TensorInfo;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The face-detector model families {@link FaceDetector} decodes, recognised from a model's IO
 * signature, with each family's preprocessing and default thresholds (from {@code
 * shared/models/MANIFEST.md}).
 *
 * <p>Threading: immutable enum.
 */
public enum FaceDetectorFamily {
  /**
   * OpenCV Zoo YuNet: 12 outputs {@code cls/obj/bbox/kps_{8,16,32}}, one anchor per cell; BGR, raw
   * 0–255 input. Score {@code sqrt(cls·obj)}; default score threshold {@value #YUNET_SCORE}, NMS
   * IoU {@value #YUNET_NMS}.
   */
  YUNET(FaceDetectorFamily.YUNET_SCORE, FaceDetectorFamily.YUNET_NMS),
  /**
   * InsightFace SCRFD with keypoints ({@code det_500m}, {@code det_2.5g}): 9 outputs (3 scores, 3
   * boxes, 3 keypoint tensors for strides 8, 16, 32), 2 anchors per cell; RGB, {@code (x - 127.5) /
   * 128}. Default score threshold {@value #SCRFD_SCORE}, NMS IoU {@value #SCRFD_NMS}
   * (InsightFace's).
   */
  SCRFD(FaceDetectorFamily.SCRFD_SCORE, FaceDetectorFamily.SCRFD_NMS);

  /** Default YuNet score threshold. */
  public static final float YUNET_SCORE = 0.6f;

  /** Default YuNet NMS IoU threshold (OpenCV {@code FaceDetectorYN}'s default). */
  public static final float YUNET_NMS = 0.3f;

  /** Default SCRFD score threshold (InsightFace's). */
  public static final float SCRFD_SCORE = 0.5f;

  /** Default SCRFD NMS IoU threshold (InsightFace's). */
  public static final float SCRFD_NMS = 0.4f;

  /** The feature-map strides both families use. */
  static final int[] STRIDES = {8, 16, 32};

  private static final List<String> YUNET_OUTPUTS =
      List.of(
          "cls_8", "cls_16", "cls_32", "obj_8", "obj_16", "obj_32", "bbox_8", "bbox_16", "bbox_32",
          "kps_8", "kps_16", "kps_32");

  private final float defaultScoreThreshold;
  private final float defaultNmsThreshold;

  FaceDetectorFamily(float score, float nms) {
    this.defaultScoreThreshold = score;
    this.defaultNmsThreshold = nms;
  }

  /**
   * @return the family's default score threshold
   */
  public float defaultScoreThreshold() {
    return defaultScoreThreshold;
  }

  /**
   * @return the family's default NMS IoU threshold
   */
  public float defaultNmsThreshold() {
    return defaultNmsThreshold;
  }

  /**
   * The preprocessing this family expects. With a fit size: YuNet scales the frame (down or up,
   * keeping the aspect ratio) to fit {@code fitWidth x fitHeight} and pads right and bottom to a
   * multiple of 32; SCRFD letterboxes to exactly the fit size (rounded up to a multiple of 32)
   * anchored top-left, as InsightFace's {@code scrfd.py} does (which also matches the 640×640
   * output shapes {@code det_500m} declares). Without a fit size (0) both keep the frame's scale
   * and pad to a multiple of 32. Colour and normalisation are the family's training ones.
   *
   * @param fitWidth width to fit the frame into, or 0 to keep the frame's scale
   * @param fitHeight height to fit the frame into, or 0 to keep the frame's scale
   * @return the descriptor, to be used as a session's fallback
   */
  public ModelDescriptor descriptor(int fitWidth, int fitHeight) {
    ModelDescriptor.Builder b =
        ModelDescriptor.builder().resize(ResizeMode.PAD_TO_MULTIPLE).padMultiple(32).padValue(0);
    if (fitWidth > 0 && fitHeight > 0) {
      if (this == SCRFD) {
        b.resize(ResizeMode.LETTERBOX)
            .letterboxCentered(false)
            .inputSize(ceil32(fitWidth), ceil32(fitHeight));
      } else {
        b.inputSize(fitWidth, fitHeight);
      }
    }
    return switch (this) {
      case YUNET -> b.color(ColorOrder.BGR).scale(1.0).mean(0f, 0f, 0f).std(1f, 1f, 1f).build();
      case SCRFD ->
          b.color(ColorOrder.RGB)
              .scale(1.0)
              .mean(127.5f, 127.5f, 127.5f)
              .std(128f, 128f, 128f)
              .build();
    };
  }

  private static int ceil32(int v) {
    return (v + 31) / 32 * 32;
  }

  /**
   * Recognises the family from a model's outputs.
   *
   * @param model a loaded model
   * @return its family
   * @throws EdgeVisionException {@link ErrorCode#MODEL_DESCRIPTOR_MISMATCH} when the outputs match
   *     neither
   */
  public static FaceDetectorFamily of(ModelInfo model) {
    List<TensorInfo> outs = model.outputs();
    Set<String> names = outs.stream().map(TensorInfo::name).collect(Collectors.toSet());
    if (outs.size() == 12 && names.containsAll(YUNET_OUTPUTS)) {
      return YUNET;
    }
    if (outs.size() == 9 && scrfdLastDimsFit(outs)) {
      return SCRFD;
    }
    String got = outs.size() + " outputs " + outs;
    if (outs.size() == 6) {
      throw new EdgeVisionException(
          ErrorCode.MODEL_DESCRIPTOR_MISMATCH,
          model.name()
              + ": looks like SCRFD without keypoints (6 outputs); face recognition needs the 5 landmarks, use a"
              + " *_kps / bnkps export with 9 outputs; got "
              + got);
    }
    throw new EdgeVisionException(
        ErrorCode.MODEL_DESCRIPTOR_MISMATCH,
        model.name()
            + ": expected a YuNet face detector (12 outputs "
            + YUNET_OUTPUTS
            + ") or an SCRFD detector with"
            + " keypoints (9 outputs: 3 scores [N,1], 3 boxes [N,4], 3 keypoints [N,10]), got "
            + got);
  }

  private static boolean scrfdLastDimsFit(List<TensorInfo> outs) {
    int[] expected = {1, 1, 1, 4, 4, 4, 10, 10, 10};
    for (int i = 0; i < 9; i++) {
      TensorInfo t = outs.get(i);
      if (t.rank() < 2 || t.rank() > 3) {
        return false;
      }
      long last = t.dim(t.rank() - 1);
      if (last > 0 && last != expected[i]) {
        return false;
      }
    }
    return true;
  }

  /**
   * The output names in decoding order: scores (or cls, obj), boxes, keypoints, each for strides
   * 8/16/32.
   */
  static List<String> outputNames(FaceDetectorFamily family, ModelInfo model) {
    return family == YUNET
        ? YUNET_OUTPUTS
        : model.outputs().stream()
            .map(TensorInfo::name)
            .collect(Collectors.toList()); // Stream.toList: Android API 34+
  }
}
