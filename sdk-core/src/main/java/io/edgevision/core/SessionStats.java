package io.edgevision.core;

import java.util.Map;

/**
 * A snapshot of a session's statistics since it was built.
 *
 * @param calls number of calls (every outcome)
 * @param outcomes calls per outcome (every outcome present, possibly 0)
 * @param stages latency percentiles per stage, over calls in which the stage ran
 * @param total latency percentiles of whole calls
 */
public record SessionStats(
    long calls, Map<Outcome, Long> outcomes, Map<Stage, Percentiles> stages, Percentiles total) {
  public SessionStats {
    outcomes = Map.copyOf(outcomes);
    stages = Map.copyOf(stages);
  }

  /**
   * Latency percentiles in nanoseconds (HdrHistogram, 3 significant digits).
   *
   * @param count samples
   * @param p50 median
   * @param p95 95th percentile
   * @param p99 99th percentile
   * @param max maximum
   * @param mean arithmetic mean
   */
  public record Percentiles(long count, long p50, long p95, long p99, long max, double mean) {}
}
