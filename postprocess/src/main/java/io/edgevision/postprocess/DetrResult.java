package io.edgevision.postprocess;

import io.edgevision.postprocess.internal.Checks;
import java.util.List;
import java.util.Objects;

/**
 * The owned, immutable output of {@link DetrPostprocessor}: clean detections (highest score first,
 * boxes in pixels of the original frame, {@code x1, y1, x2, y2}), the duplicate-suppression report,
 * and counters.
 *
 * <p>Threading: immutable.
 *
 * @param detections the survivors scoring at least the score threshold
 * @param suppressions one entry per suppressed candidate whose survivor is in {@code detections}
 * @param states one decoded state per detection, in the same order, when the postprocessor has a
 *     {@link StateDecoder}; empty otherwise
 * @param invalidCount candidates dropped for a degenerate or non-finite box or score
 * @param candidateCount candidates decoded before suppression
 * @param decoding the concrete decoding used, never {@link DetrDecoding#AUTO}
 */
public record DetrResult(
    Detections detections,
    List<Suppression> suppressions,
    List<LightState> states,
    int invalidCount,
    int candidateCount,
    DetrDecoding decoding) {
  /**
   * Validates and copies.
   *
   * @param detections the survivors scoring at least the score threshold
   * @param suppressions one entry per suppressed candidate whose survivor is in {@code detections}
   * @param states one decoded state per detection, in the same order, when the postprocessor has a
   *     {@link StateDecoder}; empty otherwise
   * @param invalidCount candidates dropped for a degenerate or non-finite box or score
   * @param candidateCount candidates decoded before suppression
   * @param decoding the concrete decoding used, never {@link DetrDecoding#AUTO}
   * @throws IllegalArgumentException when a count is negative or states has the wrong size
   */
  public DetrResult {
    Objects.requireNonNull(detections, "detections");
    Objects.requireNonNull(decoding, "decoding");
    suppressions = List.copyOf(suppressions);
    states = List.copyOf(states);
    Checks.checkArgument(
        states.isEmpty() || states.size() == detections.size(),
        "expected 0 or %d states, got %d",
        detections.size(),
        states.size());
    Checks.checkArgument(invalidCount >= 0, "expected invalidCount >= 0, got %d", invalidCount);
    Checks.checkArgument(
        candidateCount >= 0, "expected candidateCount >= 0, got %d", candidateCount);
  }
}
