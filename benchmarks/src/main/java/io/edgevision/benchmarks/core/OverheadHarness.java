package io.edgevision.benchmarks.core;

import java.util.Arrays;
import java.util.Locale;
import java.util.Random;

/**
 * Paired measurement of the SDK's per-call overhead, robust to a machine whose load drifts: it runs
 * {@link SessionOverheadBenchmark#sdkRun()} and {@link SessionOverheadBenchmark#rawOrtRun()} (the
 * same code JMH measures) alternately in ABBA order, times each call, and reports the median of the
 * per-pair ratios sdk/raw with a bootstrap 95% interval. Adjacent calls share the machine's state,
 * so drift cancels in each ratio, which sequential JMH runs minutes apart cannot guarantee. Both
 * sessions run with ONNX Runtime's idle spinning off, so the idle one's worker threads do not take
 * CPU from the running one.
 *
 * <p>Usage: {@code java -cp benchmarks/target/benchmarks.jar
 * io.edgevision.benchmarks.core.OverheadHarness [deimv2_atto_raw|builtin] [pairs] [warmupPairs]}
 */
public final class OverheadHarness {
  private OverheadHarness() {}

  public static void main(String[] args) throws Exception {
    String model = args.length > 0 ? args[0] : "deimv2_atto_raw";
    int pairs = args.length > 1 ? Integer.parseInt(args[1]) : 300;
    int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 50;
    SessionOverheadBenchmark b = new SessionOverheadBenchmark();
    b.model = model;
    b.spinning = "0";
    b.setup();
    try {
      long[] sdk = new long[pairs];
      long[] raw = new long[pairs];
      Object sink = null;
      for (int i = 0; i < warmup + pairs; i++) {
        boolean sdkFirst = (i & 1) == 0; // ABBA: alternate which side goes first
        long ts;
        long tr;
        if (sdkFirst) {
          long t0 = System.nanoTime();
          sink = b.sdkRun();
          long t1 = System.nanoTime();
          sink = b.rawOrtRun();
          long t2 = System.nanoTime();
          ts = t1 - t0;
          tr = t2 - t1;
        } else {
          long t0 = System.nanoTime();
          sink = b.rawOrtRun();
          long t1 = System.nanoTime();
          sink = b.sdkRun();
          long t2 = System.nanoTime();
          tr = t1 - t0;
          ts = t2 - t1;
        }
        if (i >= warmup) {
          sdk[i - warmup] = ts;
          raw[i - warmup] = tr;
        }
      }
      if (sink == null) {
        throw new IllegalStateException("no result");
      }
      double[] ratios = new double[pairs];
      for (int i = 0; i < pairs; i++) {
        ratios[i] = sdk[i] / (double) raw[i];
      }
      double median = median(ratios);
      double[] ci = bootstrapMedianCi(ratios, 2000, new Random(7));
      System.out.printf(
          Locale.ROOT,
          "model %s, %d pairs after %d warm-up pairs, spinning off%n",
          model,
          pairs,
          warmup);
      System.out.printf(
          Locale.ROOT,
          "median call: sdk %.3f ms, raw %.3f ms%n",
          median(sdk) / 1e6,
          median(raw) / 1e6);
      System.out.printf(
          Locale.ROOT,
          "sdk/raw per-pair ratio: median %.4f (95%% bootstrap CI %.4f .. %.4f) -> overhead %+.2f %%%n",
          median,
          ci[0],
          ci[1],
          (median - 1) * 100);
      var st = b.sdkStats().stages();
      System.out.printf(
          Locale.ROOT,
          "sdk stages p50: preprocess %.3f ms, inference %.3f ms, postprocess %.3f ms%n",
          st.get(io.edgevision.core.Stage.PREPROCESS).p50() / 1e6,
          st.get(io.edgevision.core.Stage.INFERENCE).p50() / 1e6,
          st.get(io.edgevision.core.Stage.POSTPROCESS).p50() / 1e6);
      System.out.printf(
          Locale.ROOT,
          "{\"model\":\"%s\",\"pairs\":%d,\"sdk_median_ms\":%.4f,\"raw_median_ms\":%.4f,\"ratio_median\":%.5f,"
              + "\"ratio_ci95\":[%.5f,%.5f]}%n",
          model,
          pairs,
          median(sdk) / 1e6,
          median(raw) / 1e6,
          median,
          ci[0],
          ci[1]);
    } finally {
      b.tearDown();
    }
  }

  static double median(double[] v) {
    double[] c = v.clone();
    Arrays.sort(c);
    int n = c.length;
    return n % 2 == 1 ? c[n / 2] : (c[n / 2 - 1] + c[n / 2]) / 2;
  }

  static double median(long[] v) {
    double[] d = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      d[i] = v[i];
    }
    return median(d);
  }

  static double[] bootstrapMedianCi(double[] v, int rounds, Random rnd) {
    double[] medians = new double[rounds];
    double[] sample = new double[v.length];
    for (int r = 0; r < rounds; r++) {
      for (int i = 0; i < v.length; i++) {
        sample[i] = v[rnd.nextInt(v.length)];
      }
      medians[r] = median(sample);
    }
    Arrays.sort(medians);
    return new double[] {medians[(int) (0.025 * rounds)], medians[(int) (0.975 * rounds) - 1]};
  }
}
