package io.edgevision.cli.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Compares two bench reports cell by cell ({@link BenchCell#key()}) and flags changes larger than
 * the runs' own noise. Pure; thread-safe.
 *
 * <p>Noise thresholds, derived from the two runs (docs/BENCHMARK_HARNESS.md):
 *
 * <ul>
 *   <li>latency p50 and p99: the relative half-widths of the two runs' bootstrap 95 % intervals,
 *       added ({@code (hi − lo) / 2 / value} for each run), but at least {@code minRelative}. A
 *       change beyond it means the intervals cannot both hold for the same true value.
 *   <li>budget-miss rate: twice the standard error of the difference of two proportions (pooled),
 *       but at least {@code minRelative} in absolute terms.
 * </ul>
 *
 * Higher is worse for all three metrics.
 *
 * <p>Example: {@code Comparison.compare(BenchReport.read(old), BenchReport.read(now),
 * Comparison.DEFAULT_MIN_RELATIVE) .hasRegression()}.
 */
public final class Comparison {
  /** Default floor of every threshold: 1 % (relative for latencies, absolute for the miss rate). */
  public static final double DEFAULT_MIN_RELATIVE = 0.01;

  /** What a row concluded. */
  public enum Verdict {
    /** Worse by more than the threshold. */
    REGRESSION,
    /** Better by more than the threshold. */
    IMPROVEMENT,
    /** Within the threshold. */
    WITHIN_NOISE
  }

  /**
   * One metric of one cell.
   *
   * @param cell the cell key
   * @param metric {@code p50_ms}, {@code p99_ms} or {@code budget_miss_rate}
   * @param oldValue value in the old report
   * @param newValue value in the new report
   * @param change relative change for latencies ({@code new/old − 1}), absolute difference for the
   *     miss rate
   * @param threshold the noise threshold the change was held against (same unit as {@code change})
   * @param verdict the conclusion
   */
  public record Row(
      String cell,
      String metric,
      double oldValue,
      double newValue,
      double change,
      double threshold,
      Verdict verdict) {}

  /**
   * @param rows every compared metric, in the new report's cell order
   * @param onlyInOld cell keys the new report lacks
   * @param onlyInNew cell keys the old report lacks
   */
  public record Result(List<Row> rows, List<String> onlyInOld, List<String> onlyInNew) {
    /** Copies the lists. */
    public Result {
      rows = List.copyOf(rows);
      onlyInOld = List.copyOf(onlyInOld);
      onlyInNew = List.copyOf(onlyInNew);
    }

    /**
     * @return whether any row is a {@link Verdict#REGRESSION}
     */
    public boolean hasRegression() {
      return rows.stream().anyMatch(r -> r.verdict() == Verdict.REGRESSION);
    }

    /**
     * @return a fixed-width table for the terminal
     */
    public String toTable() {
      StringBuilder sb = new StringBuilder();
      sb.append(
          String.format(
              Locale.ROOT,
              "%-12s %-17s %11s %11s %9s %9s  %s%n",
              "verdict",
              "metric",
              "old",
              "new",
              "change",
              "noise",
              "cell"));
      for (Row r : rows) {
        boolean rate = r.metric().equals(MISS_RATE);
        sb.append(
            String.format(
                Locale.ROOT,
                "%-12s %-17s %11.4f %11.4f %9s %9s  %s%n",
                r.verdict().name().toLowerCase(Locale.ROOT),
                r.metric(),
                r.oldValue(),
                r.newValue(),
                rate
                    ? String.format(Locale.ROOT, "%+.3f", r.change())
                    : String.format(Locale.ROOT, "%+.1f%%", r.change() * 100),
                rate
                    ? String.format(Locale.ROOT, "%.3f", r.threshold())
                    : String.format(Locale.ROOT, "%.1f%%", r.threshold() * 100),
                r.cell()));
      }
      onlyInOld.forEach(k -> sb.append("only in old: ").append(k).append('\n'));
      onlyInNew.forEach(k -> sb.append("only in new: ").append(k).append('\n'));
      return sb.toString();
    }
  }

  static final String MISS_RATE = "budget_miss_rate";

  private Comparison() {}

  /**
   * @param oldReport the reference
   * @param newReport the candidate
   * @param minRelative floor of every threshold, in [0, 1)
   * @return the rows and the unmatched cells
   */
  public static Result compare(BenchReport oldReport, BenchReport newReport, double minRelative) {
    if (!(minRelative >= 0 && minRelative < 1)) {
      throw new IllegalArgumentException("minimum threshold must be in [0, 1), got " + minRelative);
    }
    Map<String, CellResult> old = new LinkedHashMap<>();
    oldReport.cells().forEach(c -> old.put(c.cell().key(), c));
    List<Row> rows = new ArrayList<>();
    List<String> onlyInNew = new ArrayList<>();
    for (CellResult n : newReport.cells()) {
      String key = n.cell().key();
      CellResult o = old.remove(key);
      if (o == null) {
        onlyInNew.add(key);
        continue;
      }
      rows.add(
          latencyRow(
              key,
              "p50_ms",
              o.total().p50Ms(),
              o.totalP50CiMs(),
              n.total().p50Ms(),
              n.totalP50CiMs(),
              minRelative));
      rows.add(
          latencyRow(
              key,
              "p99_ms",
              o.total().p99Ms(),
              o.totalP99CiMs(),
              n.total().p99Ms(),
              n.totalP99CiMs(),
              minRelative));
      @Nullable Row miss = missRateRow(key, o, n, minRelative);
      if (miss != null) {
        rows.add(miss);
      }
    }
    return new Result(rows, new ArrayList<>(old.keySet()), onlyInNew);
  }

  static Row latencyRow(
      String cell,
      String metric,
      double oldV,
      double[] oldCi,
      double newV,
      double[] newCi,
      double minRelative) {
    double threshold =
        Math.max(minRelative, relativeHalfWidth(oldV, oldCi) + relativeHalfWidth(newV, newCi));
    double change;
    if (oldV > 0) {
      change = newV / oldV - 1;
    } else {
      change = newV > 0 ? Double.POSITIVE_INFINITY : 0;
    }
    return new Row(cell, metric, oldV, newV, change, threshold, verdict(change, threshold));
  }

  static double relativeHalfWidth(double value, double[] ci) {
    return value > 0 ? (ci[1] - ci[0]) / 2 / value : 0;
  }

  static @Nullable Row missRateRow(String cell, CellResult o, CellResult n, double minAbsolute) {
    Double po = o.budgetMissRate();
    Double pn = n.budgetMissRate();
    if (po == null || pn == null) {
      return null;
    }
    double threshold = Math.max(minAbsolute, missRateThreshold(po, o.runs(), pn, n.runs()));
    double change = pn - po;
    return new Row(cell, MISS_RATE, po, pn, change, threshold, verdict(change, threshold));
  }

  /**
   * @return twice the pooled standard error of the difference of two observed proportions
   */
  static double missRateThreshold(double p1, int n1, double p2, int n2) {
    double pooled = (p1 * n1 + p2 * n2) / (n1 + n2);
    return 2 * Math.sqrt(pooled * (1 - pooled) * (1.0 / n1 + 1.0 / n2));
  }

  private static Verdict verdict(double change, double threshold) {
    if (change > threshold) {
      return Verdict.REGRESSION;
    }
    if (change < -threshold) {
      return Verdict.IMPROVEMENT;
    }
    return Verdict.WITHIN_NOISE;
  }
}
