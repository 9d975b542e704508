package io.edgevision.detectors.traffic;

import io.edgevision.core.Fingerprint;
import io.edgevision.core.Outcome;
import io.edgevision.postprocess.Detections;
import io.edgevision.postprocess.Suppression;
import java.util.List;
import java.util.Objects;

/**
 * The owned, immutable result of one {@link DetrDetector#detect} call.
 *
 * <p>When the outcome carries no value ({@link Outcome#REJECTED}, {@link Outcome#CANCELLED}, {@link
 * Outcome#SKIPPED}) the lists are empty and {@code message} says why.
 *
 * <p>Threading: immutable.
 *
 * @param outcome what happened (a missed budget is an outcome, never an exception)
 * @param detections the survivors of duplicate suppression that pass the class filter and score
 *     threshold, highest score first; boxes {@code x1, y1, x2, y2} in pixels of the original frame
 * @param suppressed the duplicate-suppression report for {@code detections}: each entry names a
 *     removed candidate and its survivor, whose {@code survivorIndex} is its index in {@code
 *     detections}
 * @param candidates the decoded candidates before suppression (score order for sigmoid top-k and
 *     baked layouts), empty unless the detector keeps them; {@link Suppression#candidateIndex()}
 *     indexes this list when present
 * @param invalidCount candidates dropped for a degenerate (for example clamped to zero width) or
 *     non-finite box
 * @param layout the layout that was decoded
 * @param variant the model variant that ran ({@code "primary"} or a registered cheaper variant)
 * @param timings per-stage durations
 * @param fingerprint what ran
 * @param message why, for outcomes other than COMPLETED ("" otherwise)
 * @param deadlineMissed true when the call completed but after its deadline
 * @param labels the class names of the variant that ran, for printing any class index of this
 *     result (detections, alternatives, suppressed readings)
 */
public record DetectionResult(
    Outcome outcome,
    Detections detections,
    List<Suppression> suppressed,
    Detections candidates,
    int invalidCount,
    DetrLayout layout,
    String variant,
    DetectionTimings timings,
    Fingerprint fingerprint,
    String message,
    boolean deadlineMissed,
    LabelNames labels) {
  /**
   * Validates and copies.
   *
   * @throws NullPointerException when a reference is null
   */
  public DetectionResult {
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(detections, "detections");
    suppressed = List.copyOf(suppressed);
    Objects.requireNonNull(candidates, "candidates");
    Objects.requireNonNull(layout, "layout");
    Objects.requireNonNull(variant, "variant");
    Objects.requireNonNull(timings, "timings");
    Objects.requireNonNull(fingerprint, "fingerprint");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(labels, "labels");
  }
}
