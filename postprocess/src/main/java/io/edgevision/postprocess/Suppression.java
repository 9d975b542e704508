package io.edgevision.postprocess;

import io.edgevision.postprocess.internal.Checks;
import java.util.Objects;

/**
 * One line of the {@link DuplicateSuppressor}'s report: which detection was removed, which survivor
 * removed it, by which rule, at what overlap.
 *
 * <p>Threading: immutable.
 *
 * @param candidateIndex the index of the suppressed detection in the suppressor's input (for {@link
 *     DetrPostprocessor}, in the decoded candidates)
 * @param suppressed the suppressed detection (pixels of the original frame)
 * @param survivorIndex the index of the survivor in the result's detections
 * @param survivor the survivor, as returned in the result
 * @param rule the rule that fired
 * @param metric the overlap measure the rule compared ({@link OverlapMetric#IOU} for {@link
 *     SuppressionRule#SAME_QUERY})
 * @param overlap the measured overlap between the suppressed box and the survivor's box
 */
public record Suppression(
    int candidateIndex,
    Detection suppressed,
    int survivorIndex,
    Detection survivor,
    SuppressionRule rule,
    OverlapMetric metric,
    float overlap) {
  /**
   * Validates the entry.
   *
   * @param candidateIndex the index of the suppressed detection in the suppressor's input (for
   *     {@link DetrPostprocessor}, in the decoded candidates)
   * @param suppressed the suppressed detection (pixels of the original frame)
   * @param survivorIndex the index of the survivor in the result's detections
   * @param survivor the survivor, as returned in the result
   * @param rule the rule that fired
   * @param metric the overlap measure the rule compared ({@link OverlapMetric#IOU} for {@link
   *     SuppressionRule#SAME_QUERY})
   * @param overlap the measured overlap between the suppressed box and the survivor's box
   * @throws IllegalArgumentException when an index is negative
   * @throws NullPointerException when a reference is null
   */
  public Suppression {
    Objects.requireNonNull(suppressed, "suppressed");
    Objects.requireNonNull(survivor, "survivor");
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(metric, "metric");
    Checks.checkArgument(
        candidateIndex >= 0, "expected candidateIndex >= 0, got %d", candidateIndex);
    Checks.checkArgument(survivorIndex >= 0, "expected survivorIndex >= 0, got %d", survivorIndex);
  }
}
