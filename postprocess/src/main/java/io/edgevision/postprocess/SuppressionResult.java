package io.edgevision.postprocess;

import io.edgevision.postprocess.internal.Checks;
import java.util.List;
import java.util.Objects;

/**
 * The outcome of {@link DuplicateSuppressor#suppress}: the surviving detections (highest score
 * first, boxes in pixels of the original frame), the report of every suppressed detection whose
 * survivor is in {@code detections}, and the number of invalid inputs dropped.
 *
 * <p>Threading: immutable.
 *
 * @param detections the survivors, highest score first
 * @param suppressions one entry per suppressed detection, in processing (score) order
 * @param invalidCount inputs dropped before suppression: degenerate or non-finite box, or
 *     non-finite score
 */
public record SuppressionResult(
    Detections detections, List<Suppression> suppressions, int invalidCount) {
  /**
   * Validates and copies.
   *
   * @param detections the survivors, highest score first
   * @param suppressions one entry per suppressed detection, in processing (score) order
   * @param invalidCount inputs dropped before suppression: degenerate or non-finite box, or
   *     non-finite score
   * @throws IllegalArgumentException when {@code invalidCount < 0}
   */
  public SuppressionResult {
    Objects.requireNonNull(detections, "detections");
    suppressions = List.copyOf(suppressions);
    Checks.checkArgument(invalidCount >= 0, "expected invalidCount >= 0, got %d", invalidCount);
  }
}
