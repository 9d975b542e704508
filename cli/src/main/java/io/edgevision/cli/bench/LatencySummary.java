package io.edgevision.cli.bench;

import org.HdrHistogram.Histogram;

/**
 * Percentiles of one latency distribution in milliseconds (HdrHistogram, 3 significant digits).
 * Immutable.
 *
 * @param count recorded values
 * @param p50Ms median
 * @param p90Ms 90th percentile
 * @param p95Ms 95th percentile (issue 11 asks p50/p95 per stage)
 * @param p99Ms 99th percentile
 * @param maxMs largest value
 * @param meanMs arithmetic mean
 */
public record LatencySummary(
    long count,
    double p50Ms,
    double p90Ms,
    double p95Ms,
    double p99Ms,
    double maxMs,
    double meanMs) {
  /** The summary of a histogram with no values: count 0, every figure 0. */
  public static final LatencySummary EMPTY = new LatencySummary(0, 0, 0, 0, 0, 0, 0);

  /** Checks that the percentiles are ordered and non-negative. */
  public LatencySummary {
    if (count < 0
        || p50Ms < 0
        || p50Ms > p90Ms
        || p90Ms > p95Ms
        || p95Ms > p99Ms
        || p99Ms > maxMs
        || meanMs < 0) {
      throw new IllegalArgumentException(
          "expected count >= 0 and 0 <= p50 <= p90 <= p95 <= p99 <= max, got count "
              + count
              + ", p50 "
              + p50Ms
              + ", p90 "
              + p90Ms
              + ", p95 "
              + p95Ms
              + ", p99 "
              + p99Ms
              + ", max "
              + maxMs
              + ", mean "
              + meanMs);
    }
  }

  /**
   * @param nanos a histogram of nanosecond values
   * @return its summary in milliseconds, rounded to the microsecond
   */
  public static LatencySummary of(Histogram nanos) {
    if (nanos.getTotalCount() == 0) {
      return EMPTY;
    }
    return new LatencySummary(
        nanos.getTotalCount(),
        ms(nanos.getValueAtPercentile(50)),
        ms(nanos.getValueAtPercentile(90)),
        ms(nanos.getValueAtPercentile(95)),
        ms(nanos.getValueAtPercentile(99)),
        ms(nanos.getMaxValue()),
        Math.round(nanos.getMean() / 1e3) / 1e3);
  }

  /** A histogram fit for latencies from 1 ns to one hour at 3 significant digits. */
  public static Histogram newHistogram() {
    return new Histogram(3_600_000_000_000L, 3);
  }

  static double ms(long nanos) {
    return Math.round(nanos / 1e3) / 1e3;
  }
}
