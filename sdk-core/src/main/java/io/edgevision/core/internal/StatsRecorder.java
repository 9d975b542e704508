package io.edgevision.core.internal;

import io.edgevision.core.Outcome;
import io.edgevision.core.SessionStats;
import io.edgevision.core.Stage;
import io.edgevision.core.Timings;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Per-session latency histograms and outcome counters (HdrHistogram, 3 significant digits).
 * Internal.
 */
public final class StatsRecorder {
  private static final long MAX_NANOS = 3_600_000_000_000L;
  private final Map<Stage, Histogram> stages = new EnumMap<>(Stage.class);
  private final Histogram total = new ConcurrentHistogram(MAX_NANOS, 3);
  private final AtomicLongArray outcomes = new AtomicLongArray(Outcome.values().length);

  public StatsRecorder() {
    for (Stage s : Stage.values()) {
      stages.put(s, new ConcurrentHistogram(MAX_NANOS, 3));
    }
  }

  /** Records one call. Thread-safe. */
  public void record(Outcome outcome, Timings t) {
    outcomes.incrementAndGet(outcome.ordinal());
    for (Stage s : Stage.values()) {
      long n = t.nanos(s);
      if (n > 0) {
        stages.get(s).recordValue(Math.min(n, MAX_NANOS));
      }
    }
    total.recordValue(Math.min(t.total().toNanos(), MAX_NANOS));
  }

  /**
   * @return a consistent-enough snapshot (each histogram copied separately)
   */
  public SessionStats snapshot() {
    Map<Outcome, Long> o = new EnumMap<>(Outcome.class);
    long calls = 0;
    for (Outcome x : Outcome.values()) {
      long c = outcomes.get(x.ordinal());
      o.put(x, c);
      calls += c;
    }
    Map<Stage, SessionStats.Percentiles> p = new EnumMap<>(Stage.class);
    stages.forEach((s, h) -> p.put(s, percentiles(h)));
    return new SessionStats(calls, o, p, percentiles(total));
  }

  private static SessionStats.Percentiles percentiles(Histogram h) {
    Histogram c = h.copy();
    long n = c.getTotalCount();
    if (n == 0) {
      return new SessionStats.Percentiles(0, 0, 0, 0, 0, 0);
    }
    return new SessionStats.Percentiles(
        n,
        c.getValueAtPercentile(50),
        c.getValueAtPercentile(95),
        c.getValueAtPercentile(99),
        c.getMaxValue(),
        c.getMean());
  }
}
