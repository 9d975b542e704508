package io.edgevision.detectors.traffic;

import io.edgevision.core.Fingerprint;
import io.edgevision.core.Outcome;
import io.edgevision.postprocess.Suppression;
import java.util.List;
import java.util.Objects;

/**
 * The owned, immutable result of one {@link TrafficLightDetector#detect} call.
 *
 * <p>When the detector's outcome carries no value ({@link Outcome#REJECTED}, {@link
 * Outcome#CANCELLED}, {@link Outcome#SKIPPED}), {@code lights} is empty and {@code message} says
 * why. When the detector ran but the second-stage classifier did not (its budget share ran out),
 * the lights come without classifier states and {@code message} says so.
 *
 * <p>Threading: immutable.
 *
 * @param outcome the detector's outcome: COMPLETED, DEGRADED (a cheaper variant ran), REJECTED,
 *     CANCELLED or SKIPPED
 * @param lights the traffic lights, highest score first; no two share a DETR query
 * @param suppressed the duplicate-suppression report for {@code lights}: every removed candidate
 *     whose survivor is a returned light ({@code survivorIndex} indexes {@code lights}), e.g. the
 *     "bird" reading of a light
 * @param variant the model variant that ran
 * @param timings per-stage durations
 * @param fingerprint what ran
 * @param message why, for anything but a plain COMPLETED ("" otherwise)
 * @param deadlineMissed true when the call completed but after its deadline
 * @param labels the class names of the variant that ran, for printing any class index of this
 *     result (detections, alternatives, suppressed readings)
 * @param tiling what sliced inference did ({@link TilingReport#NONE} for a plain full-frame call);
 *     when the budget cut the plan the outcome is {@link Outcome#DEGRADED} and {@code message} says
 *     why
 */
public record TrafficLightResult(
    Outcome outcome,
    List<TrafficLight> lights,
    List<Suppression> suppressed,
    String variant,
    DetectionTimings timings,
    Fingerprint fingerprint,
    String message,
    boolean deadlineMissed,
    LabelNames labels,
    TilingReport tiling) {
  /**
   * Validates and copies.
   *
   * @throws NullPointerException when a reference is null
   */
  public TrafficLightResult {
    Objects.requireNonNull(outcome, "outcome");
    lights = List.copyOf(lights);
    suppressed = List.copyOf(suppressed);
    Objects.requireNonNull(variant, "variant");
    Objects.requireNonNull(timings, "timings");
    Objects.requireNonNull(fingerprint, "fingerprint");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(labels, "labels");
    Objects.requireNonNull(tiling, "tiling");
  }

  /**
   * A result of a plain full-frame call ({@link TilingReport#NONE}).
   *
   * @param outcome the detector's outcome
   * @param lights the traffic lights
   * @param suppressed the duplicate-suppression report
   * @param variant the model variant that ran
   * @param timings per-stage durations
   * @param fingerprint what ran
   * @param message why, for anything but a plain COMPLETED
   * @param deadlineMissed true when the call completed but after its deadline
   * @param labels the class names of the variant that ran
   */
  public TrafficLightResult(
      Outcome outcome,
      List<TrafficLight> lights,
      List<Suppression> suppressed,
      String variant,
      DetectionTimings timings,
      Fingerprint fingerprint,
      String message,
      boolean deadlineMissed,
      LabelNames labels) {
    this(
        outcome,
        lights,
        suppressed,
        variant,
        timings,
        fingerprint,
        message,
        deadlineMissed,
        labels,
        TilingReport.NONE);
  }
}
