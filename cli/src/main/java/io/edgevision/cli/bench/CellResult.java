package io.edgevision.cli.bench;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Everything measured for one {@link BenchCell}. Immutable once built (the lists and maps are
 * copied, maps in their iteration order); thread-safe.
 *
 * @param cell the configuration
 * @param selectedProvider the provider the session actually chose
 * @param runs measured calls
 * @param warmup unmeasured calls before them
 * @param seconds wall time of the measured calls
 * @param throughputFps frames per second over the measured calls ({@code runs × batch ÷ seconds})
 * @param stages per-stage latency: waiting, preprocess, inference, postprocess (the session's
 *     stages); detector cells add decode and suppress (parts of postprocess; suppress includes the
 *     cross-tile merge of a sliced call), crop and classifier (the second-stage state classifier)
 * @param total whole-call latency
 * @param totalP50CiMs bootstrap 95 % interval of the median of {@code total}, {lower, upper}
 * @param totalP99CiMs bootstrap 95 % interval of the 99th percentile of {@code total}
 * @param outcomes calls per outcome (completed, degraded, rejected, cancelled, skipped)
 * @param budgetMissRate fraction of calls that did not complete within the budget (null without a
 *     budget)
 * @param budgetP99Ms p99 of the latency of COMPLETED and CANCELLED calls, to read against the
 *     budget (null without a budget or when there were none)
 * @param peakRssBytes peak resident set of the process during the cell (-1 where the OS does not
 *     say)
 * @param peakHeapBytes peak Java heap in use during the cell
 * @param fingerprint the reproducibility fingerprint of the last result
 * @param cdf the latency CDF of {@code total}: points {milliseconds, fraction of calls at or below}
 * @param detector what the traffic-light detector did (tiles, lights), for detector cells ({@link
 *     BenchCell#tiles()} set); null for bare session cells
 * @param pairedRatioToFirst in an interleaved run, this cell's latency ÷ the first cell's, as the
 *     median of the per-round ratios with its bootstrap 95 % interval {median, lower, upper}; null
 *     for the first cell and in sequential runs
 * @param pairedRatioToModelFirst the same against the first cell of the same model (e.g. sliced ÷
 *     full frame of one model); null for that cell itself and in sequential runs
 */
public record CellResult(
    BenchCell cell,
    String selectedProvider,
    int runs,
    int warmup,
    double seconds,
    double throughputFps,
    Map<String, LatencySummary> stages,
    LatencySummary total,
    double[] totalP50CiMs,
    double[] totalP99CiMs,
    Map<String, Integer> outcomes,
    @Nullable Double budgetMissRate,
    @Nullable Double budgetP99Ms,
    long peakRssBytes,
    long peakHeapBytes,
    Map<String, Object> fingerprint,
    List<double[]> cdf,
    @Nullable DetectorSummary detector,
    double @Nullable [] pairedRatioToFirst,
    double @Nullable [] pairedRatioToModelFirst) {
  /** Copies the collections and checks the intervals have two ordered ends. */
  public CellResult {
    stages = ordered(stages); // insertion order kept, so reports diff cleanly
    outcomes = ordered(outcomes);
    fingerprint = ordered(fingerprint);
    cdf = List.copyOf(cdf);
    checkInterval("total_p50_ci_ms", totalP50CiMs);
    checkInterval("total_p99_ci_ms", totalP99CiMs);
    checkRatio("paired_ratio_to_first", pairedRatioToFirst);
    checkRatio("paired_ratio_to_model_first", pairedRatioToModelFirst);
  }

  private static void checkRatio(String name, double @Nullable [] r) {
    if (r != null && (r.length != 3 || !(r[1] <= r[0] && r[0] <= r[2]))) {
      throw new IllegalArgumentException(
          name
              + " must be [median, lower, upper] with lower <= median <= upper, got "
              + java.util.Arrays.toString(r));
    }
  }

  /**
   * @param ratioToFirst {@link #pairedRatioToFirst}
   * @param ratioToModelFirst {@link #pairedRatioToModelFirst}
   * @return this result with the paired ratios of an interleaved run
   */
  public CellResult withPairedRatios(
      double @Nullable [] ratioToFirst, double @Nullable [] ratioToModelFirst) {
    return new CellResult(
        cell,
        selectedProvider,
        runs,
        warmup,
        seconds,
        throughputFps,
        stages,
        total,
        totalP50CiMs,
        totalP99CiMs,
        outcomes,
        budgetMissRate,
        budgetP99Ms,
        peakRssBytes,
        peakHeapBytes,
        fingerprint,
        cdf,
        detector,
        ratioToFirst,
        ratioToModelFirst);
  }

  private static <V> Map<String, V> ordered(Map<String, V> m) {
    return java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(m));
  }

  private static void checkInterval(String name, double[] ci) {
    if (ci.length != 2 || ci[0] > ci[1]) {
      throw new IllegalArgumentException(
          name
              + " must be [lower, upper] with lower <= upper, got "
              + java.util.Arrays.toString(ci));
    }
  }

  /**
   * @param samplesNanos the measured calls' total latency
   * @param maxPoints at most this many points (at least 2)
   * @return CDF points {ms, fraction}, evenly spaced in rank, always including the first and last
   *     sample
   */
  public static List<double[]> cdfPoints(long[] samplesNanos, int maxPoints) {
    if (maxPoints < 2) {
      throw new IllegalArgumentException("maxPoints must be >= 2, got " + maxPoints);
    }
    long[] s = samplesNanos.clone();
    java.util.Arrays.sort(s);
    int n = s.length;
    java.util.ArrayList<double[]> out = new java.util.ArrayList<>();
    if (n == 0) {
      return out;
    }
    int points = Math.min(n, maxPoints);
    for (int k = 0; k < points; k++) {
      int idx = points == 1 ? n - 1 : (int) Math.round(k * (n - 1) / (double) (points - 1));
      out.add(new double[] {LatencySummary.ms(s[idx]), (idx + 1) / (double) n});
    }
    return out;
  }
}
