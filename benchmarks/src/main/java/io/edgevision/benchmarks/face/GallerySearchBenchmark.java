package io.edgevision.benchmarks.face;

import io.edgevision.detectors.face.Embedding;
import io.edgevision.detectors.face.EmbeddingModel;
import io.edgevision.detectors.face.FaceGallery;
import io.edgevision.detectors.face.Identification;
import java.util.Random;
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
 * 1:N search of {@link FaceGallery}: one probe against {@code identities} enrolled identities of random unit
 * vectors ({@code dimension} floats, one embedding each), top-5 at threshold 0.45 (the probe is a noisy copy of
 * one enrolled identity, so exactly one match is returned).
 *
 * <p>Memory: setup prints {@link FaceGallery#memoryBytes()} and the measured heap growth (used heap after GC,
 * before and after building the gallery) for the record in {@code docs/PERFORMANCE.md}.
 *
 * <p>How to run: {@code java -jar benchmarks/target/benchmarks.jar GallerySearchBenchmark -f 1 -wi 2 -i 3}
 * (add {@code -prof gc} for allocation per search).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class GallerySearchBenchmark {
  @Param({"10000", "100000"})
  public int identities;

  @Param({"128", "512"})
  public int dimension;

  private FaceGallery gallery;
  private Embedding probe;

  @Setup(Level.Trial)
  public void setUp() {
    EmbeddingModel model = new EmbeddingModel("0".repeat(64), "benchmark", dimension);
    long before = usedHeapAfterGc();
    gallery = FaceGallery.create(model);
    Random r = new Random(42);
    float[] v = new float[dimension];
    float[] target = null;
    for (int i = 0; i < identities; i++) {
      for (int k = 0; k < dimension; k++) {
        v[k] = (float) r.nextGaussian();
      }
      Embedding e = Embedding.normalise(v, model);
      if (i == identities / 2) {
        target = e.vector();
      }
      gallery.enroll("person-" + i, e);
    }
    long after = usedHeapAfterGc();
    for (int k = 0; k < dimension; k++) {
      target[k] += (float) (0.02 * r.nextGaussian());
    }
    probe = Embedding.normalise(target, model);
    System.out.printf("%n[gallery] %d identities x %d-d: memoryBytes() = %.1f MiB, measured heap growth = %.1f MiB%n",
        identities, dimension, gallery.memoryBytes() / 1048576.0, (after - before) / 1048576.0);
  }

  private static long usedHeapAfterGc() {
    Runtime rt = Runtime.getRuntime();
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return rt.totalMemory() - rt.freeMemory();
  }

  @Benchmark
  public Identification identifyTop5() {
    return gallery.identify(probe, 5, 0.45f);
  }
}
