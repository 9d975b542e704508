package io.edgevision.benchmarks.postprocess;

import io.edgevision.postprocess.BoxTransform;
import io.edgevision.postprocess.DetrPostprocessor;
import io.edgevision.postprocess.DetrWorkspace;
import io.edgevision.postprocess.DuplicateSuppressor;
import java.util.Arrays;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * How the sigmoid top-300 decode scales with the number of classes, at 300 queries.
 *
 * <ul>
 *   <li>{@code partialSelection}: the SDK decode (bounded heap on the logits, sigmoid on the 300
 *       selected only, box decode), with suppression disabled, into a reused workspace.
 *   <li>{@code fullSortBaseline}: the textbook approach in the same run: sigmoid on all {@code Q ×
 *       C} scores, sort them all (packed primitive keys, {@code Arrays.sort}), take the first 300.
 * </ul>
 *
 * <p>Both must read every logit, so neither can be constant in {@code C}; the question is the cost
 * per logit: the partial selection stays near one comparison per logit while the full sort pays an
 * {@code exp} and {@code log(Q·C)} comparisons per logit.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class DetrDecodeScalingBenchmark {
  private static final int QUERIES = 300;
  private static final int SELECT = 300;

  @Param({"20", "80", "91", "365", "1203"})
  public int classes;

  private SyntheticDetr detr;
  private DetrPostprocessor decodeOnly;
  private DetrWorkspace ws;
  private long[] keys;

  @Setup(Level.Trial)
  public void setUp() {
    detr = new SyntheticDetr(QUERIES, classes, 91L + classes);
    decodeOnly =
        DetrPostprocessor.builder(640, 640)
            .numClasses(classes)
            .numSelect(SELECT)
            .candidateThreshold(0f)
            .scoreThreshold(0f)
            .suppressor(DuplicateSuppressor.disabled())
            .build();
    ws = new DetrWorkspace();
    keys = new long[QUERIES * classes];
  }

  @Benchmark
  public int partialSelection() {
    return decodeOnly.processInto(detr.logits, detr.boxes, QUERIES, BoxTransform.IDENTITY, ws);
  }

  @Benchmark
  public long fullSortBaseline() {
    float[] logits = detr.logits;
    for (int i = 0; i < logits.length; i++) {
      float score = (float) (1.0 / (1.0 + Math.exp(-logits[i])));
      // Scores are positive: their bit patterns order like the floats; invert for descending order.
      keys[i] = ((long) (Integer.MAX_VALUE - Float.floatToIntBits(score)) << 32) | i;
    }
    Arrays.sort(keys);
    long checksum = 0;
    for (int k = 0; k < SELECT; k++) {
      checksum += (int) keys[k];
    }
    return checksum;
  }
}
// How to run (after ./mvnw -q -pl benchmarks -am package -DskipTests):
//   java -jar benchmarks/target/benchmarks.jar DetrDecodeScalingBenchmark -f 1 -wi 3 -i 5 -w 1s -r
// 1s -prof gc
// Read time per call against `classes`; divide by 300 * classes for the cost per logit.
