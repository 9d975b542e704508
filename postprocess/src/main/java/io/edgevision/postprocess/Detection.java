package io.edgevision.postprocess;

import io.edgevision.postprocess.internal.Checks;
import java.util.List;

/**
 * One detected object: its box in <b>pixels of the original frame</b> ({@code x1, y1, x2, y2}), its
 * label, its score, the DETR query that produced it, and the alternative labels the duplicate
 * suppressor folded into it.
 *
 * <p>Example: {@code Detection.of(new Box(0, 0, 10, 25), 9, 0.45f)} is a traffic light (COCO-80
 * index 9) with no known query and no alternatives.
 *
 * <p>Threading: immutable (the alternatives list is an unmodifiable copy).
 *
 * @param box the box, pixels of the original frame
 * @param classId the 0-based class index
 * @param score the score, finite (a probability for every decoder of this module)
 * @param queryIndex the index of the DETR query that produced it, or {@code -1} when unknown
 * @param alternatives other labels for the same object, best first, never including {@code classId}
 */
public record Detection(
    Box box, int classId, float score, int queryIndex, List<LabelScore> alternatives) {
  /**
   * The {@link #queryIndex()} of a detection whose query is unknown (baked layouts, plain NMS
   * inputs).
   */
  public static final int UNKNOWN_QUERY = -1;

  /**
   * Validates and copies.
   *
   * @param box the box, pixels of the original frame
   * @param classId the 0-based class index
   * @param score the score, finite (a probability for every decoder of this module)
   * @param queryIndex the index of the DETR query that produced it, or {@code -1} when unknown
   * @param alternatives other labels for the same object, best first, never including {@code
   *     classId}
   * @throws IllegalArgumentException when a field is out of range
   * @throws NullPointerException when box or alternatives is null
   */
  public Detection {
    java.util.Objects.requireNonNull(box, "box");
    Checks.checkArgument(classId >= 0, "expected classId >= 0, got %d", classId);
    Checks.checkArgument(Float.isFinite(score), "expected a finite score, got %s", score);
    Checks.checkArgument(queryIndex >= -1, "expected queryIndex >= -1, got %d", queryIndex);
    alternatives = List.copyOf(alternatives);
    for (LabelScore alternative : alternatives) {
      Checks.checkArgument(
          alternative.classId() != classId,
          "expected alternatives to exclude the detection's own class %d",
          classId);
    }
  }

  /**
   * A detection with an unknown query and no alternatives.
   *
   * @param box the box, pixels of the original frame
   * @param classId the 0-based class index
   * @param score the score
   * @return the detection
   */
  public static Detection of(Box box, int classId, float score) {
    return new Detection(box, classId, score, UNKNOWN_QUERY, List.of());
  }
}
