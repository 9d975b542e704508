package io.edgevision.detectors.traffic;

import io.edgevision.core.Timings;
import java.time.Duration;
import java.util.Objects;

/**
 * Per-stage durations of one detection call, in nanoseconds. The detector's stages come from its
 * session ({@link Timings}, on the session's ticker); {@code decodeNanos} and {@code suppressNanos}
 * split the session's post-processing stage (measured with {@link System#nanoTime()} inside it);
 * {@code classifier} is the second-stage state classifier's call ({@link Timings#ZERO} when none
 * ran).
 *
 * <p>Threading: immutable.
 *
 * @param detector the DETR session's stages: waiting, preprocess, inference, post-processing (which
 *     includes decode and suppression)
 * @param decodeNanos decoding the outputs into candidates (part of {@code
 *     detector.postprocessNanos()})
 * @param suppressNanos duplicate suppression (part of {@code detector.postprocessNanos()})
 * @param classifier the second-stage classifier's stages, {@link Timings#ZERO} when it did not run
 * @param cropNanos cutting the crops for the classifier, 0 when it did not run
 */
public record DetectionTimings(
    Timings detector, long decodeNanos, long suppressNanos, Timings classifier, long cropNanos) {
  /** Nothing ran. */
  public static final DetectionTimings ZERO =
      new DetectionTimings(Timings.ZERO, 0, 0, Timings.ZERO, 0);

  /**
   * Validates the durations.
   *
   * @throws IllegalArgumentException when a duration is negative
   */
  public DetectionTimings {
    Objects.requireNonNull(detector, "detector");
    Objects.requireNonNull(classifier, "classifier");
    if (decodeNanos < 0 || suppressNanos < 0 || cropNanos < 0) {
      throw new IllegalArgumentException(
          "expected durations >= 0, got decode "
              + decodeNanos
              + ", suppress "
              + suppressNanos
              + ", crop "
              + cropNanos);
    }
  }

  /**
   * @return this with the classifier's stages and crop time set
   */
  DetectionTimings withClassifier(Timings classifierTimings, long cropTime) {
    return new DetectionTimings(detector, decodeNanos, suppressNanos, classifierTimings, cropTime);
  }

  /**
   * @return the sum of the detector's stages, the crops and the classifier's stages
   */
  public Duration total() {
    return detector.total().plus(classifier.total()).plusNanos(cropNanos);
  }
}
