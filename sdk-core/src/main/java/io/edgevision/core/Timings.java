package io.edgevision.core;

import static io.edgevision.core.internal.Checks.checkArgument;

import java.time.Duration;

/**
 * Per-stage durations of one call, in nanoseconds on the session's {@link Ticker}. A stage that did
 * not run is 0.
 *
 * @param waitingNanos queued before starting
 * @param preprocessNanos preprocessing
 * @param inferenceNanos the native run (until it returned or was terminated)
 * @param postprocessNanos decoding
 */
public record Timings(
    long waitingNanos, long preprocessNanos, long inferenceNanos, long postprocessNanos) {
  /** No stage ran. */
  public static final Timings ZERO = new Timings(0, 0, 0, 0);

  public Timings {
    checkArgument(
        waitingNanos >= 0 && preprocessNanos >= 0 && inferenceNanos >= 0 && postprocessNanos >= 0,
        "stage durations must be >= 0, got %d/%d/%d/%d",
        waitingNanos,
        preprocessNanos,
        inferenceNanos,
        postprocessNanos);
  }

  /**
   * @return the duration of {@code stage} in nanoseconds
   */
  public long nanos(Stage stage) {
    return switch (stage) {
      case WAITING -> waitingNanos;
      case PREPROCESS -> preprocessNanos;
      case INFERENCE -> inferenceNanos;
      case POSTPROCESS -> postprocessNanos;
    };
  }

  /**
   * @return the sum of all stages
   */
  public Duration total() {
    return Duration.ofNanos(waitingNanos + preprocessNanos + inferenceNanos + postprocessNanos);
  }
}
