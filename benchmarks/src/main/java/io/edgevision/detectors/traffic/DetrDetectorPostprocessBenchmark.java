package io.edgevision.detectors.traffic;

import io.edgevision.core.Budget;
import io.edgevision.core.DecodeContext;
import io.edgevision.core.ImageFrame;
import io.edgevision.core.InferenceSession;
import io.edgevision.core.Outputs;
import io.edgevision.core.PreprocessTransform;
import io.edgevision.core.SharedDirectory;
import io.edgevision.postprocess.BoxTransform;
import io.edgevision.postprocess.Detection;
import io.edgevision.postprocess.Detections;
import io.edgevision.postprocess.DetrPostprocessor;
import io.edgevision.postprocess.DetrResult;
import io.edgevision.postprocess.DetrWorkspace;
import io.edgevision.postprocess.DuplicateSuppressor;
import io.edgevision.postprocess.SuppressionResult;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The post-processing stage that production runs: {@link DetrDetector}'s decode stage (the fused
 * {@link DetrPostprocessor} path, per-thread workspace, post-processor built once per model plan,
 * one class filter, result records) on the real outputs of one frame, against the path it replaced,
 * in the same run.
 *
 * <p>Input: the raw outputs of one real inference, captured once in setup ({@code model}: {@code
 * builtin}, the shipped traffic-light model on the bundled sample scene; {@code atto-raw}, DEIMv2
 * atto raw layout, 100 queries × 80 COCO classes, from {@code ../shared}, on the same scene).
 * Outputs are served from the captured arrays, so inference is not measured. Thresholds are those
 * of {@code ./edgevision eval} (0.05 / 0.05: the most candidates).
 *
 * <ul>
 *   <li>{@code detector}: {@code DetrDetector}'s decode stage exactly as {@code detect} runs it
 *       (this class sits in the detectors package to call it; it is package-private).
 *   <li>{@code detectorTrafficLights}: the same stage of a {@link TrafficLightDetector}'s detector
 *       (its light-class filter applied once, after suppression).
 *   <li>{@code previousPath}: the replaced code, rebuilt here from public APIs: a new {@link
 *       DetrPostprocessor} per frame, {@link DetrPostprocessor#decode} into {@link Detection}
 *       records, back to arrays, {@link DuplicateSuppressor#suppress} into records again.
 *   <li>{@code fusedKernel}: {@link DetrPostprocessor#processInto} alone (what {@code
 *       DetrPostprocessBenchmark} measures): the floor under both.
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class DetrDetectorPostprocessBenchmark {
  @Param({"builtin", "atto-raw"})
  public String model;

  private InferenceSession session;
  private DetrDetector detector;
  private DetrDetector lightDetector;
  private Captured captured;
  private DetrSignature signature;
  private DetrPostprocessor fused;
  private DetrWorkspace fusedWs;
  private BoxTransform toFrame;
  private int queries;

  /** Built once per detector, as before. */
  private final DuplicateSuppressor previousSuppressor =
      DuplicateSuppressor.defaults().toBuilder().scoreThreshold(0.05f).build();

  /** One frame's outputs, served without copying. */
  record Captured(
      Map<String, float[]> floats,
      Map<String, long[]> longs,
      Map<String, long[]> shapes,
      DecodeContext context)
      implements Outputs {
    static Captured of(Outputs o, DecodeContext ctx) {
      Map<String, float[]> f = new LinkedHashMap<>();
      Map<String, long[]> l = new LinkedHashMap<>();
      Map<String, long[]> s = new LinkedHashMap<>();
      for (String name : o.names()) {
        s.put(name, o.shape(name));
        if (ctx.model().output(name).orElseThrow().type() == io.edgevision.core.ElementType.INT64) {
          l.put(name, o.longs(name));
        } else {
          f.put(name, o.floats(name));
        }
      }
      return new Captured(f, l, s, ctx);
    }

    @Override
    public List<String> names() {
      return List.copyOf(shapes.keySet());
    }

    @Override
    public long[] shape(String name) {
      return shapes.get(name);
    }

    @Override
    public float[] floats(String name) {
      return floats.get(name);
    }

    @Override
    public int copyFloats(String name, float[] dst) {
      float[] f = floats.get(name);
      System.arraycopy(f, 0, dst, 0, f.length);
      return f.length;
    }

    @Override
    public long[] longs(String name) {
      return longs.get(name);
    }
  }

  @Setup(Level.Trial)
  public void setUp() {
    if (model.equals(ModelCatalog.BUILTIN)) {
      session = ModelCatalog.sessionBuilder(ModelCatalog.BUILTIN, Path.of(".")).build();
    } else {
      Path dir =
          SharedDirectory.find("models")
              .orElseThrow(
                  () ->
                      new IllegalStateException(
                          "model " + model + " needs " + SharedDirectory.describeSearch("models")));
      session = ModelCatalog.sessionBuilder(ModelCatalog.ATTO_RAW, dir).build();
    }
    ImageFrame frame = ModelCatalog.sampleScene();
    captured = session.run(frame, Budget.unlimited(), Captured::of).get();
    detector =
        DetrDetector.builder(session).scoreThreshold(0.05f).candidateThreshold(0.05f).build();
    lightDetector =
        TrafficLightDetector.builder(session)
            .scoreThreshold(0.05f)
            .candidateThreshold(0.05f)
            .build()
            .detrDetector();
    signature = detector.signature(InferenceSession.PRIMARY);
    if (signature.layout() != DetrLayout.RAW) {
      throw new IllegalStateException("expected a raw layout, got " + signature.layout());
    }
    PreprocessTransform t = captured.context().transform();
    toFrame =
        BoxTransform.of((float) t.scaleX(), (float) t.scaleY(), (float) t.padX(), (float) t.padY())
            .withClamp(t.sourceWidth(), t.sourceHeight());
    queries = (int) captured.shape(signature.logits())[1];
    fused = previousPostprocessor();
    fusedWs = new DetrWorkspace();
    DetrDetector.Decoded d = detector.decode(captured, captured.context());
    List<Detection> previous = previousPath();
    if (!d.detections().equals(previous)) {
      throw new IllegalStateException(
          "the two paths disagree: " + d.detections() + " vs " + previous);
    }
    System.out.printf(
        "%n[setup] %s: Q=%d, %d candidates, %d detections, %d suppressions (both paths agree)%n",
        model,
        queries,
        fused.decode(logits(), boxes(), queries, toFrame).detections().size(),
        d.detections().size(),
        d.suppressed().size());
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    session.close();
  }

  private float[] logits() {
    return captured.floats(signature.logits());
  }

  private float[] boxes() {
    return captured.floats(signature.boxes());
  }

  private DetrPostprocessor previousPostprocessor() {
    PreprocessTransform t = captured.context().transform();
    int labels = session.model(InferenceSession.PRIMARY).descriptor().labels().size();
    DetrPostprocessor.Builder b =
        DetrPostprocessor.builder(t.tensorWidth(), t.tensorHeight())
            .scoreThreshold(0.05f)
            .candidateThreshold(0.05f);
    if (labels > 0) {
      b.numClasses(labels);
    }
    return b.build();
  }

  @Benchmark
  public Object detector() {
    return detector.decode(captured, captured.context());
  }

  @Benchmark
  public Object detectorTrafficLights() {
    return lightDetector.decode(captured, captured.context());
  }

  @Benchmark
  public List<Detection> previousPath() {
    // What DetrDetector did before: a post-processor per frame, records, arrays, records.
    DetrResult r = previousPostprocessor().decode(logits(), boxes(), queries, toFrame);
    Detections list = r.detections();
    int n = list.size();
    float[] xyxy = new float[4 * n];
    float[] scores = new float[n];
    int[] classIds = new int[n];
    int[] q = new int[n];
    for (int i = 0; i < n; i++) {
      Detection d = list.get(i);
      d.box().toArray(xyxy, i);
      scores[i] = d.score();
      classIds[i] = d.classId();
      q[i] = d.queryIndex();
    }
    SuppressionResult s = previousSuppressor.suppress(xyxy, scores, classIds, q, n);
    return s.detections();
  }

  @Benchmark
  public int fusedKernel() {
    return fused.processInto(logits(), boxes(), queries, toFrame, fusedWs);
  }

  /**
   * Paired measurement, robust to a machine whose load drifts: times {@link #detector()} and {@link
   * #previousPath()} (the same methods JMH measures) alternately in ABBA order, each over a batch
   * of calls, and reports the median of the per-pair ratios previous ÷ detector with a bootstrap 95
   * % interval.
   *
   * <p>Usage: {@code java -cp benchmarks/target/benchmarks.jar
   * io.edgevision.detectors.traffic.DetrDetectorPostprocessBenchmark [builtin|atto-raw] [pairs]
   * [batch]}
   *
   * @param args model, pairs (default 400), calls per timed batch (default 20)
   */
  public static void main(String[] args) {
    DetrDetectorPostprocessBenchmark b = new DetrDetectorPostprocessBenchmark();
    b.model = args.length > 0 ? args[0] : "builtin";
    int pairs = args.length > 1 ? Integer.parseInt(args[1]) : 400;
    int batch = args.length > 2 ? Integer.parseInt(args[2]) : 20;
    int warmup = pairs / 4;
    b.setUp();
    try {
      double[] ratios = new double[pairs];
      long[] det = new long[pairs];
      long[] prev = new long[pairs];
      Object sink = null;
      for (int i = 0; i < warmup + pairs; i++) {
        long td;
        long tp;
        if ((i & 1) == 0) {
          long t0 = System.nanoTime();
          for (int k = 0; k < batch; k++) {
            sink = b.detector();
          }
          long t1 = System.nanoTime();
          for (int k = 0; k < batch; k++) {
            sink = b.previousPath();
          }
          long t2 = System.nanoTime();
          td = t1 - t0;
          tp = t2 - t1;
        } else {
          long t0 = System.nanoTime();
          for (int k = 0; k < batch; k++) {
            sink = b.previousPath();
          }
          long t1 = System.nanoTime();
          for (int k = 0; k < batch; k++) {
            sink = b.detector();
          }
          long t2 = System.nanoTime();
          tp = t1 - t0;
          td = t2 - t1;
        }
        if (i >= warmup) {
          det[i - warmup] = td;
          prev[i - warmup] = tp;
          ratios[i - warmup] = tp / (double) td;
        }
      }
      if (sink == null) {
        throw new IllegalStateException("no result");
      }
      double median = median(ratios);
      java.util.Random rnd = new java.util.Random(7);
      double[] boot = new double[2000];
      double[] sample = new double[pairs];
      for (int r = 0; r < boot.length; r++) {
        for (int i = 0; i < pairs; i++) {
          sample[i] = ratios[rnd.nextInt(pairs)];
        }
        boot[r] = median(sample);
      }
      java.util.Arrays.sort(boot);
      double[] dm = new double[pairs];
      double[] pm = new double[pairs];
      for (int i = 0; i < pairs; i++) {
        dm[i] = det[i] / (double) batch / 1e3;
        pm[i] = prev[i] / (double) batch / 1e3;
      }
      System.out.printf(
          java.util.Locale.ROOT,
          "model %s, %d pairs of %d-call batches after %d warm-up pairs%n"
              + "median per call: detector %.2f us, previous path %.2f us%n"
              + "previous / detector, median of pair ratios: %.3f (95%% bootstrap CI %.3f .. %.3f)%n",
          b.model,
          pairs,
          batch,
          warmup,
          median(dm),
          median(pm),
          median,
          boot[49],
          boot[1949]);
    } finally {
      b.tearDown();
    }
  }

  private static double median(double[] v) {
    double[] c = v.clone();
    java.util.Arrays.sort(c);
    int n = c.length;
    return n % 2 == 1 ? c[n / 2] : (c[n / 2 - 1] + c[n / 2]) / 2;
  }
}
// How to run (builds the reactor, then the shaded jar):
//   ./mvnw -B -ntp -q -pl benchmarks -am package -DskipTests
//   java -jar benchmarks/target/benchmarks.jar DetrDetectorPostprocessBenchmark -f 2 -wi 3 -i 5 -w
// 1s -r 1s -prof gc
// Compare detector with previousPath in the same run; the paired figure in docs/PERFORMANCE.md
// comes from main():
//   java -cp benchmarks/target/benchmarks.jar
// io.edgevision.detectors.traffic.DetrDetectorPostprocessBenchmark builtin 400 20
