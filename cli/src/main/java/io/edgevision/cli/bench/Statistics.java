package io.edgevision.cli.bench;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Order statistics and bootstrap intervals on raw latency samples (nanoseconds). Pure functions;
 * thread-safe.
 *
 * <p>Percentiles use the nearest-rank definition (the smallest sample with at least {@code q} of
 * the samples at or below it), the same as HdrHistogram's {@code getValueAtPercentile} up to its
 * bucket precision. The bootstrap is a plain percentile bootstrap with a fixed seed, so the same
 * samples always give the same interval.
 */
public final class Statistics {
  /** Bootstrap resamples used by {@link #bootstrapCi}. */
  public static final int DEFAULT_BOOTSTRAP_ROUNDS = 1000;

  private static final long SEED = 0x5eed_beefL;

  private Statistics() {}

  /**
   * @param samples at least one sample
   * @param q quantile in (0, 1]
   * @return the nearest-rank quantile of {@code samples}
   */
  public static double quantile(long[] samples, double q) {
    checkSamples(samples);
    long[] s = samples.clone();
    Arrays.sort(s);
    return sortedQuantile(s, q);
  }

  private static double sortedQuantile(long[] sorted, double q) {
    if (!(q > 0 && q <= 1)) {
      throw new IllegalArgumentException("quantile must be in (0, 1], got " + q);
    }
    int rank = (int) Math.ceil(q * sorted.length); // 1-based nearest rank
    return sorted[Math.max(0, rank - 1)];
  }

  /**
   * Percentile-bootstrap 95 % interval of a quantile.
   *
   * @param samples at least one sample
   * @param q quantile in (0, 1]
   * @param rounds resamples (at least 100)
   * @return {lower, upper}
   */
  public static double[] bootstrapCi(long[] samples, double q, int rounds) {
    checkSamples(samples);
    if (rounds < 100) {
      throw new IllegalArgumentException("rounds must be >= 100, got " + rounds);
    }
    SplittableRandom rnd = new SplittableRandom(SEED);
    double[] est = new double[rounds];
    long[] resample = new long[samples.length];
    for (int r = 0; r < rounds; r++) {
      for (int i = 0; i < resample.length; i++) {
        resample[i] = samples[rnd.nextInt(samples.length)];
      }
      Arrays.sort(resample);
      est[r] = sortedQuantile(resample, q);
    }
    Arrays.sort(est);
    return new double[] {
      est[(int) Math.floor(0.025 * (rounds - 1))], est[(int) Math.ceil(0.975 * (rounds - 1))]
    };
  }

  /**
   * Median of per-pair ratios {@code a[i] / b[i]} with its bootstrap 95 % interval: the estimator
   * of paired, interleaved timing (drift of the machine's load cancels inside each pair).
   *
   * @param a numerator samples
   * @param b denominator samples, same length, all positive
   * @return {median, lower, upper}
   */
  public static double[] pairedRatio(long[] a, long[] b) {
    checkSamples(a);
    if (a.length != b.length) {
      throw new IllegalArgumentException(
          "paired samples must have equal length, got " + a.length + " and " + b.length);
    }
    double[] r = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      if (b[i] <= 0) {
        throw new IllegalArgumentException("denominator sample " + i + " must be > 0, got " + b[i]);
      }
      r[i] = a[i] / (double) b[i];
    }
    double[] sorted = r.clone();
    Arrays.sort(sorted);
    double median = median(sorted);
    SplittableRandom rnd = new SplittableRandom(SEED);
    int rounds = DEFAULT_BOOTSTRAP_ROUNDS;
    double[] est = new double[rounds];
    double[] resample = new double[r.length];
    for (int k = 0; k < rounds; k++) {
      for (int i = 0; i < r.length; i++) {
        resample[i] = r[rnd.nextInt(r.length)];
      }
      Arrays.sort(resample);
      est[k] = median(resample);
    }
    Arrays.sort(est);
    return new double[] {
      median,
      est[(int) Math.floor(0.025 * (rounds - 1))],
      est[(int) Math.ceil(0.975 * (rounds - 1))]
    };
  }

  private static double median(double[] sorted) {
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  private static void checkSamples(long[] samples) {
    if (samples.length == 0) {
      throw new IllegalArgumentException("need at least one sample, got none");
    }
  }
}
