package io.edgevision.core.internal;

import java.util.Arrays;

/**
 * A recent-window quantile of call latencies: the last {@code window} samples, and the value at
 * quantile {@code q} among them (nearest-rank). A quantile, not a mean, so that a few fast calls do
 * not hide the slow tail that misses deadlines. Thread-safe (synchronized; a few hundred
 * nanoseconds per call). Internal.
 */
public final class LatencyEstimator {
  private final long[] ring;
  private final long[] scratch;
  private final double quantile;
  private int next;
  private int size;

  /**
   * @param window samples kept, &gt;= 1
   * @param quantile in (0, 1], e.g. 0.9
   */
  public LatencyEstimator(int window, double quantile) {
    Checks.checkArgument(window >= 1, "window must be >= 1, got %s", window);
    Checks.checkArgument(
        quantile > 0 && quantile <= 1, "quantile must be in (0, 1], got %s", quantile);
    this.ring = new long[window];
    this.scratch = new long[window];
    this.quantile = quantile;
  }

  /** Records one latency in nanoseconds. */
  public synchronized void record(long nanos) {
    ring[next] = nanos;
    next = (next + 1) % ring.length;
    size = Math.min(size + 1, ring.length);
  }

  /**
   * @return the predicted latency in nanoseconds, or -1 when there is no sample yet
   */
  public synchronized long estimate() {
    if (size == 0) {
      return -1;
    }
    System.arraycopy(ring, 0, scratch, 0, size);
    Arrays.sort(scratch, 0, size);
    int rank = (int) Math.ceil(quantile * size) - 1;
    return scratch[Math.max(0, Math.min(size - 1, rank))];
  }

  /**
   * @return number of samples in the window
   */
  public synchronized int samples() {
    return size;
  }
}
