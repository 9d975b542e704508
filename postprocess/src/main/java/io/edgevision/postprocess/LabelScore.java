package io.edgevision.postprocess;

import io.edgevision.postprocess.internal.Checks;

/**
 * A class label with its probability: one alternative reading of a detection (for example "bird
 * 0.18" behind a "traffic light 0.45" survivor).
 *
 * <p>Threading: immutable.
 *
 * @param classId the 0-based class index of the model's label space
 * @param score the probability the model gave to that label for this object, finite
 */
public record LabelScore(int classId, float score) {
  /**
   * Validates the label.
   *
   * @param classId the 0-based class index of the model's label space
   * @param score the probability the model gave to that label for this object, finite
   * @throws IllegalArgumentException when {@code classId < 0} or {@code score} is not finite
   */
  public LabelScore {
    Checks.checkArgument(classId >= 0, "expected classId >= 0, got %d", classId);
    Checks.checkArgument(Float.isFinite(score), "expected a finite score, got %s", score);
  }
}
