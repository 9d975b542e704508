package io.edgevision.benchmarks.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;

/**
 * Interleaved timing of two or more code paths on a machine whose load drifts: each round calls
 * every path once, in an order that rotates and reverses from round to round (ABC, BCA, CAB, CBA,
 * BAC, ACB for three; ABBA for two), so each ratio {@code path[i] / path[ref]} is taken from calls
 * made within one round, where drift cancels. Reports the median of the per-round ratios with a
 * percentile-bootstrap 95 % interval (fixed seed). Each sample may time {@code reps} consecutive
 * calls, for paths of a few microseconds. Not thread-safe.
 *
 * <p>Example: {@code PairedTiming.run(List.of(new Path("sdk", sdk::run), new Path("raw",
 * raw::run)), 300, 50, 1)}.
 */
public final class PairedTiming {
  /** A named code path; its result is kept so that the JIT cannot drop the call. */
  public record Path(String name, Callable<?> body) {}

  /**
   * The samples of one path.
   *
   * @param name the path
   * @param nanos per-round time per call
   */
  public record Samples(String name, long[] nanos) {
    /**
     * @return the median time per call in nanoseconds
     */
    public double median() {
      return PairedTiming.median(Arrays.stream(nanos).asDoubleStream().toArray());
    }
  }

  /**
   * A ratio {@code num / den} over rounds.
   *
   * @param num numerator path
   * @param den denominator path
   * @param median median of the per-round ratios
   * @param lower bootstrap 95 % lower bound
   * @param upper bootstrap 95 % upper bound
   */
  public record Ratio(String num, String den, double median, double lower, double upper) {
    @Override
    public String toString() {
      return String.format(
          Locale.ROOT, "%s / %s = %.4f (95%% CI %.4f .. %.4f)", num, den, median, lower, upper);
    }
  }

  private static volatile Object sink;

  private PairedTiming() {}

  /**
   * @param paths two or more paths
   * @param rounds measured rounds (≥ 10)
   * @param warmupRounds unmeasured rounds first
   * @param reps calls per timed sample (≥ 1)
   * @return one sample set per path, in the order given
   * @throws Exception what a path throws
   */
  public static List<Samples> run(List<Path> paths, int rounds, int warmupRounds, int reps)
      throws Exception {
    if (paths.size() < 2 || rounds < 10 || warmupRounds < 0 || reps < 1) {
      throw new IllegalArgumentException(
          "need >= 2 paths, >= 10 rounds, >= 0 warm-up rounds, >= 1 reps; got "
              + paths.size()
              + ", "
              + rounds
              + ", "
              + warmupRounds
              + ", "
              + reps);
    }
    int k = paths.size();
    long[][] t = new long[k][rounds];
    int[] order = new int[k];
    for (int round = 0; round < warmupRounds + rounds; round++) {
      int shift = round % k;
      boolean reverse = (round / k) % 2 == 1;
      for (int j = 0; j < k; j++) {
        int p = (j + shift) % k;
        order[reverse ? k - 1 - j : j] = p;
      }
      for (int j = 0; j < k; j++) {
        int p = order[j];
        Callable<?> body = paths.get(p).body();
        long t0 = System.nanoTime();
        for (int r = 0; r < reps; r++) {
          sink = body.call();
        }
        long dt = (System.nanoTime() - t0) / reps;
        if (round >= warmupRounds) {
          t[p][round - warmupRounds] = Math.max(1, dt);
        }
      }
    }
    List<Samples> out = new ArrayList<>();
    for (int p = 0; p < k; p++) {
      out.add(new Samples(paths.get(p).name(), t[p]));
    }
    return out;
  }

  /**
   * @param num numerator samples
   * @param den denominator samples from the same rounds
   * @return the median per-round ratio with its interval
   */
  public static Ratio ratio(Samples num, Samples den) {
    int n = num.nanos().length;
    double[] r = new double[n];
    for (int i = 0; i < n; i++) {
      r[i] = num.nanos()[i] / (double) den.nanos()[i];
    }
    double m = median(r);
    SplittableRandom rnd = new SplittableRandom(7);
    int rounds = 2000;
    double[] est = new double[rounds];
    double[] s = new double[n];
    for (int b = 0; b < rounds; b++) {
      for (int i = 0; i < n; i++) {
        s[i] = r[rnd.nextInt(n)];
      }
      est[b] = median(s);
    }
    Arrays.sort(est);
    return new Ratio(
        num.name(), den.name(), m, est[(int) (0.025 * rounds)], est[(int) (0.975 * rounds) - 1]);
  }

  static double median(double[] v) {
    double[] c = v.clone();
    Arrays.sort(c);
    int n = c.length;
    return n % 2 == 1 ? c[n / 2] : (c[n / 2 - 1] + c[n / 2]) / 2;
  }

  /**
   * Prints one line per path (median) and one per ratio against {@code reference}, plus a JSON
   * line.
   *
   * @param label what was measured
   * @param samples the run's samples
   * @param reference index of the denominator path
   * @return the ratios of every other path against the reference
   */
  public static List<Ratio> report(String label, List<Samples> samples, int reference) {
    System.out.printf(
        Locale.ROOT,
        "== %s (%d rounds, load average %.1f)%n",
        label,
        samples.get(0).nanos().length,
        java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    StringBuilder json = new StringBuilder("{\"label\":\"" + label + "\",\"medians_us\":{");
    for (int i = 0; i < samples.size(); i++) {
      Samples s = samples.get(i);
      System.out.printf(Locale.ROOT, "   %-28s median %12.3f us%n", s.name(), s.median() / 1e3);
      json.append(i == 0 ? "" : ",")
          .append('"')
          .append(s.name())
          .append("\":")
          .append(String.format(Locale.ROOT, "%.3f", s.median() / 1e3));
    }
    json.append("},\"ratios\":[");
    List<Ratio> ratios = new ArrayList<>();
    for (int i = 0; i < samples.size(); i++) {
      if (i == reference) {
        continue;
      }
      Ratio r = ratio(samples.get(i), samples.get(reference));
      ratios.add(r);
      System.out.println("   " + r);
      json.append(ratios.size() == 1 ? "" : ",")
          .append(
              String.format(
                  Locale.ROOT,
                  "{\"num\":\"%s\",\"den\":\"%s\",\"median\":%.4f,\"ci95\":[%.4f,%.4f]}",
                  r.num(),
                  r.den(),
                  r.median(),
                  r.lower(),
                  r.upper()));
    }
    System.out.println(json.append("]}"));
    return ratios;
  }
}
