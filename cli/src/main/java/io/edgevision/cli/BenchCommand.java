package io.edgevision.cli;

import io.edgevision.core.AdmissionPolicy;
import io.edgevision.core.Budget;
import io.edgevision.core.ImageFrame;
import io.edgevision.core.ImageFrames;
import io.edgevision.core.InferenceResult;
import io.edgevision.core.InferenceSession;
import io.edgevision.core.Outcome;
import io.edgevision.core.OutputDecoder;
import io.edgevision.core.PixelFormat;
import io.edgevision.core.Stage;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code edgevision bench [MODEL]}: runs a model repeatedly through a session and reports per-stage latency
 * percentiles, outcome counts and the fingerprint. Warm-up runs are excluded from the figures.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Benchmark a model through the SDK: per-stage p50/p95/p99, outcome counts, fingerprint.")
final class BenchCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(index = "0", arity = "0..1", paramLabel = "MODEL", defaultValue = "builtin:bench",
      description = "ONNX file (default: ${DEFAULT-VALUE}, a small CNN shipped with the SDK)")
  String model;

  @Option(names = "--image", description = "Image file to run on (default: a synthetic 1280x720 frame)")
  Path image;

  @Option(names = "--budget", description = "Latency budget per call in milliseconds (default: unlimited)")
  Long budgetMs;

  @Option(names = "--policy", defaultValue = "run_anyway",
      description = "Admission when the budget cannot fit: reject, run_anyway, degrade (default: ${DEFAULT-VALUE})")
  String policy;

  @Option(names = "--runs", defaultValue = "100", description = "Measured runs (default: ${DEFAULT-VALUE})")
  int runs;

  @Option(names = "--warmup", defaultValue = "10", description = "Unmeasured warm-up runs (default: ${DEFAULT-VALUE})")
  int warmup;

  @Option(names = "--providers", split = ",", defaultValue = "cpu", description = "Provider preference (default: ${DEFAULT-VALUE})")
  List<String> providers;

  @Option(names = "--threads", defaultValue = "0", description = "ONNX Runtime intra-op threads (0 = its default)")
  int threads;

  @picocli.CommandLine.Mixin
  ModelPin pin = new ModelPin();

  @Option(names = "--json", description = "One JSON object on stdout")
  boolean json;

  @Override
  public Integer call() throws Exception {
    if (runs < 1 || warmup < 0) {
      throw new IllegalArgumentException("--runs must be >= 1 and --warmup >= 0, got " + runs + " and " + warmup);
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    AdmissionPolicy admission = AdmissionPolicy.valueOf(policy.toUpperCase(Locale.ROOT));
    ImageFrame frame = image != null ? ImageFrames.read(image) : syntheticFrame(1280, 720);
    Budget budget = budgetMs == null ? Budget.unlimited() : Budget.ofMillis(budgetMs);
    Map<Stage, Histogram> stages = new EnumMap<>(Stage.class);
    for (Stage s : Stage.values()) {
      stages.put(s, new Histogram(3_600_000_000_000L, 3));
    }
    Histogram total = new Histogram(3_600_000_000_000L, 3);
    Map<Outcome, Integer> outcomes = new EnumMap<>(Outcome.class);
    for (Outcome o : Outcome.values()) {
      outcomes.put(o, 0);
    }
    boolean progress = System.console() != null && !json;
    try (InferenceSession s = InferenceSession.builder(CliSupport.source(model, pin.value()))
        .providers(CliSupport.providers(providers)).intraOpThreads(threads).admission(admission).build()) {
      for (int i = 0; i < warmup; i++) {
        s.run(frame, Budget.unlimited(), OutputDecoder.raw());
      }
      InferenceResult<?> last = null;
      for (int i = 0; i < runs; i++) {
        InferenceResult<?> r = s.run(frame, budget, OutputDecoder.raw());
        outcomes.merge(r.outcome(), 1, Integer::sum);
        for (Stage st : Stage.values()) {
          long n = r.timings().nanos(st);
          if (n > 0) {
            stages.get(st).recordValue(n);
          }
        }
        total.recordValue(r.timings().total().toNanos());
        last = r;
        if (progress) {
          progressBar(err, i + 1, runs);
        }
      }
      if (progress) {
        err.println();
      }
      if (json) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("model", s.model().name());
        o.put("image", image == null ? "synthetic 1280x720" : image.toString());
        o.put("runs", runs);
        o.put("warmup", warmup);
        o.put("budget_ms", budgetMs);
        o.put("provider", s.selectedProvider().name());
        Map<String, Integer> oc = new LinkedHashMap<>();
        outcomes.forEach((k, v) -> oc.put(k.name().toLowerCase(Locale.ROOT), v));
        o.put("outcomes", oc);
        Map<String, Object> st = new LinkedHashMap<>();
        stages.forEach((k, h) -> st.put(k.name().toLowerCase(Locale.ROOT), percentiles(h)));
        o.put("stages", st);
        o.put("total", percentiles(total));
        o.put("fingerprint", CliSupport.fingerprint(last.fingerprint()));
        out.println(CliSupport.JSON.writeValueAsString(o));
        return 0;
      }
      out.printf("model     %s%n", s.model().name());
      out.printf("provider  %s   frame %s   runs %d (+%d warm-up)   budget %s%n", s.selectedProvider(),
          image == null ? "synthetic 1280x720" : image, runs, warmup, budgetMs == null ? "unlimited" : budgetMs + " ms");
      out.printf("%-12s %8s %10s %10s %10s %10s%n", "stage", "count", "p50 ms", "p95 ms", "p99 ms", "max ms");
      stages.forEach((k, h) -> row(out, k.name().toLowerCase(Locale.ROOT), h));
      row(out, "total", total);
      StringBuilder sb = new StringBuilder("outcomes ");
      outcomes.forEach((k, v) -> sb.append(' ').append(k.name().toLowerCase(Locale.ROOT)).append('=').append(v));
      out.println(sb);
      var f = last.fingerprint();
      out.printf("fingerprint model %s, %s, onnxruntime %s, sdk %s, descriptor %s%n",
          f.modelSha256().substring(0, 16), f.provider(), f.onnxRuntimeVersion(), f.sdkVersion(),
          f.descriptorHash().substring(0, 16));
      return 0;
    }
  }

  private static Map<String, Object> percentiles(Histogram h) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("count", h.getTotalCount());
    m.put("p50_ms", ms(h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(50)));
    m.put("p95_ms", ms(h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(95)));
    m.put("p99_ms", ms(h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(99)));
    m.put("max_ms", ms(h.getMaxValue()));
    m.put("mean_ms", h.getTotalCount() == 0 ? 0.0 : Math.round(h.getMean() / 1e3) / 1e3);
    return m;
  }

  private static double ms(long nanos) {
    return Math.round(nanos / 1e3) / 1e3;
  }

  private static void row(PrintWriter out, String name, Histogram h) {
    if (h.getTotalCount() == 0) {
      out.printf("%-12s %8d %10s %10s %10s %10s%n", name, 0, "-", "-", "-", "-");
      return;
    }
    out.printf(Locale.ROOT, "%-12s %8d %10.3f %10.3f %10.3f %10.3f%n", name, h.getTotalCount(),
        h.getValueAtPercentile(50) / 1e6, h.getValueAtPercentile(95) / 1e6, h.getValueAtPercentile(99) / 1e6,
        h.getMaxValue() / 1e6);
  }

  private static void progressBar(PrintWriter err, int done, int total) {
    int width = 30;
    int filled = done * width / total;
    err.print("\r[" + "#".repeat(filled) + " ".repeat(width - filled) + "] " + done + "/" + total);
    err.flush();
  }

  /** A deterministic 8-bit BGR test pattern (gradients plus a grid), so runs are reproducible. */
  static ImageFrame syntheticFrame(int w, int h) {
    ByteBuffer b = ByteBuffer.allocateDirect(w * h * 3);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        boolean grid = x % 64 == 0 || y % 64 == 0;
        b.put((byte) (grid ? 255 : x * 255 / w)).put((byte) (grid ? 255 : y * 255 / h)).put((byte) ((x + y) & 0xff));
      }
    }
    b.flip();
    return ImageFrame.wrap(b, w, h, PixelFormat.BGR);
  }
}
