package io.edgevision.benchmarks.postprocess;

import io.edgevision.postprocess.BoxTransform;
import io.edgevision.postprocess.DetrPostprocessor;
import io.edgevision.postprocess.DetrResult;
import io.edgevision.postprocess.DetrWorkspace;
import io.edgevision.postprocess.DuplicateSuppressor;
import io.edgevision.postprocess.SuppressionWorkspace;
import java.util.concurrent.TimeUnit;
import org.opencv.core.MatOfFloat;
import org.opencv.core.MatOfInt;
import org.opencv.core.MatOfRect2d;
import org.opencv.core.Rect2d;
import org.opencv.dnn.Dnn;
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
 * DETR post-processing of one frame against OpenCV's {@code Dnn.NMSBoxes} on the same boxes.
 *
 * <p>Input: synthetic raw DINO/DEIM outputs ({@link SyntheticDetr}, fixed seed, dense duplicate
 * clusters) for {@code queries × classes}. What each method measures:
 *
 * <ul>
 *   <li>{@code decodeAndSuppress}: the whole SDK path from raw logits: sigmoid top-300 over {@code
 *       Q × C} (partial selection), box decode to pixels, duplicate suppression (all rules), into a
 *       reused {@link DetrWorkspace}. This is what replaces decode + NMS in a detector.
 *   <li>{@code suppressOnly}: the SDK's duplicate suppression alone on the decoded candidates
 *       (reused {@link SuppressionWorkspace}).
 *   <li>{@code opencvNmsBoxes}: {@code Dnn.NMSBoxes} (class-agnostic, IoU 0.5, score threshold 0.1)
 *       on exactly the same decoded candidates. The {@code MatOfRect2d}/{@code MatOfFloat} inputs
 *       are built once in setup, so only the JNI call and the NMS are measured (favourable to
 *       OpenCV); the output {@code MatOfInt} is reused.
 *   <li>{@code opencvNmsBoxesWithConversion}: the same, plus building the two input Mats from the
 *       float arrays, as a Java caller holding {@code float[]} must do every frame.
 *   <li>{@code decodeAndSuppressOwnedResult}: {@code decodeAndSuppress} plus copying the output
 *       into an owned, immutable {@link DetrResult} (the allocating convenience API).
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
public class DetrPostprocessBenchmark {
  @Param({"300", "900"})
  public int queries;

  @Param({"80", "91"})
  public int classes;

  private SyntheticDetr detr;
  private DetrPostprocessor post;
  private DetrWorkspace detrWs;
  private SuppressionWorkspace suppressWs;
  private DuplicateSuppressor suppressor;
  private float[] candXyxy;
  private float[] candScores;
  private int[] candClasses;
  private int[] candQueries;
  private int candCount;
  private Rect2d[] rects;
  private MatOfRect2d cvBoxes;
  private MatOfFloat cvScores;
  private MatOfInt cvKeep;

  @Setup(Level.Trial)
  public void setUp() {
    io.edgevision.core.OpenCvLoader
        .ensureLoaded(); // the SDK's copy: one library, one thread setting
    detr = new SyntheticDetr(queries, classes, 359L + queries + classes);
    post = DetrPostprocessor.builder(640, 640).numClasses(classes).build();
    suppressor =
        DuplicateSuppressor.defaults().toBuilder()
            .scoreThreshold(DetrPostprocessor.DEFAULT_SCORE_THRESHOLD)
            .build();
    detrWs = new DetrWorkspace();
    suppressWs = new SuppressionWorkspace();
    // The candidates both suppressors see: the SDK decode without suppression.
    DetrResult decoded =
        post.toBuilder()
            .suppressor(DuplicateSuppressor.disabled())
            .scoreThreshold(DetrPostprocessor.DEFAULT_CANDIDATE_THRESHOLD)
            .build()
            .process(detr.logits, detr.boxes, queries, BoxTransform.IDENTITY);
    candCount = decoded.detections().size();
    candXyxy = new float[4 * candCount];
    candScores = new float[candCount];
    candClasses = new int[candCount];
    candQueries = new int[candCount];
    rects = new Rect2d[candCount];
    for (int i = 0; i < candCount; i++) {
      var d = decoded.detections().get(i);
      d.box().toArray(candXyxy, i);
      candScores[i] = d.score();
      candClasses[i] = d.classId();
      candQueries[i] = d.queryIndex();
      rects[i] = new Rect2d(d.box().x1(), d.box().y1(), d.box().width(), d.box().height());
    }
    cvBoxes = new MatOfRect2d(rects);
    cvScores = new MatOfFloat(candScores);
    cvKeep = new MatOfInt();
    int kept = post.processInto(detr.logits, detr.boxes, queries, BoxTransform.IDENTITY, detrWs);
    Dnn.NMSBoxes(cvBoxes, cvScores, DetrPostprocessor.DEFAULT_CANDIDATE_THRESHOLD, 0.5f, cvKeep);
    System.out.printf(
        "%n[setup] Q=%d C=%d: %d candidates >= %.2f; SDK keeps %d (>= %.2f) after %d suppressions; "
            + "NMSBoxes keeps %d%n",
        queries,
        classes,
        candCount,
        DetrPostprocessor.DEFAULT_CANDIDATE_THRESHOLD,
        kept,
        DetrPostprocessor.DEFAULT_SCORE_THRESHOLD,
        detrWs.output().suppressionCount(),
        cvKeep.rows());
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    cvBoxes.release();
    cvScores.release();
    cvKeep.release();
  }

  @Benchmark
  public int decodeAndSuppress() {
    return post.processInto(detr.logits, detr.boxes, queries, BoxTransform.IDENTITY, detrWs);
  }

  @Benchmark
  public DetrResult decodeAndSuppressOwnedResult() {
    return post.process(detr.logits, detr.boxes, queries, BoxTransform.IDENTITY, detrWs);
  }

  @Benchmark
  public int suppressOnly() {
    return suppressor.suppressInto(
        candXyxy, candScores, candClasses, candQueries, candCount, suppressWs);
  }

  @Benchmark
  public MatOfInt opencvNmsBoxes() {
    Dnn.NMSBoxes(cvBoxes, cvScores, DetrPostprocessor.DEFAULT_CANDIDATE_THRESHOLD, 0.5f, cvKeep);
    return cvKeep;
  }

  @Benchmark
  public int opencvNmsBoxesWithConversion() {
    Rect2d[] r = new Rect2d[candCount];
    for (int i = 0; i < candCount; i++) {
      int p = 4 * i;
      r[i] =
          new Rect2d(
              candXyxy[p],
              candXyxy[p + 1],
              candXyxy[p + 2] - candXyxy[p],
              candXyxy[p + 3] - candXyxy[p + 1]);
    }
    MatOfRect2d b = new MatOfRect2d(r);
    MatOfFloat s = new MatOfFloat(candScores);
    Dnn.NMSBoxes(b, s, DetrPostprocessor.DEFAULT_CANDIDATE_THRESHOLD, 0.5f, cvKeep);
    int kept = cvKeep.rows();
    b.release();
    s.release();
    return kept;
  }
}
// How to run (after ./mvnw -q -pl postprocess install -DskipTests && ./mvnw -q -pl benchmarks
// package -DskipTests -o):
//   java -jar benchmarks/target/benchmarks.jar DetrPostprocessBenchmark -f 2 -wi 3 -i 5 -w 1s -r 1s
// -prof gc
// Compare decodeAndSuppress / suppressOnly with opencvNmsBoxes in the same run; gc.alloc.rate.norm
// must be ~0 B/op
// for decodeAndSuppress and suppressOnly. On a shared machine, make sure no other JMH run is going
// (pgrep -f
// benchmarks.jar) and compare code versions only across runs made the same way, back to back.
