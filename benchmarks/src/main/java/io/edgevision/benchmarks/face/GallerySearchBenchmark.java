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
 * 1:N search of {@link FaceGallery}: one probe against {@code identities} enrolled identities of
 * random unit vectors ({@code dimension} floats, one embedding each), top-5 at threshold 0.45 (the
 * probe is a noisy copy of one enrolled identity, so exactly one match is returned).
 *
 * <p>Memory: setup prints {@link FaceGallery#memoryBytes()} and the measured heap growth (used heap
 * after GC, before and after building the gallery) for the record in {@code docs/PERFORMANCE.md}.
 *
 * <p>How to run: {@code java -jar benchmarks/target/benchmarks.jar GallerySearchBenchmark -f 1 -wi
 * 2 -i 3} (add {@code -prof gc} for allocation per search).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class GallerySearchBenchmark {
  @Param({"10000", "100000"})
  public int identities;

  @Param({"128", "512"})
  public int dimension;

  private FaceGallery gallery;
  private Embedding probe;

  /**
   * Baseline: identity name to raw (unnormalised) vector, as a caller without the SDK would keep
   * it.
   */
  private java.util.Map<String, float[]> naive;

  private float[] naiveProbe;

  @Setup(Level.Trial)
  public void setUp() {
    EmbeddingModel model = new EmbeddingModel("0".repeat(64), "benchmark", dimension);
    long before = usedHeapAfterGc();
    gallery = FaceGallery.create(model);
    naive = new java.util.HashMap<>();
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
    // The baseline's map is built after the memory measurement, from the same seed (same vectors,
    // same order).
    Random again = new Random(42);
    for (int i = 0; i < identities; i++) {
      float[] raw = new float[dimension];
      for (int k = 0; k < dimension; k++) {
        raw[k] = (float) again.nextGaussian();
      }
      naive.put("person-" + i, raw);
    }
    for (int k = 0; k < dimension; k++) {
      target[k] += (float) (0.02 * r.nextGaussian());
    }
    probe = Embedding.normalise(target, model);
    naiveProbe = target.clone();
    System.out.printf(
        "%n[gallery] %d identities x %d-d: memoryBytes() = %.1f MiB, measured heap growth = %.1f MiB%n",
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

  /**
   * Baseline, measured in the same run: what a caller writes without the SDK — a map of raw
   * vectors, cosine similarity (with both norms) per entry, every score sorted to take the best 5
   * above the threshold.
   */
  @Benchmark
  public java.util.List<java.util.Map.Entry<String, Double>> naiveMapScanTop5() {
    java.util.List<java.util.Map.Entry<String, Double>> scores =
        new java.util.ArrayList<>(naive.size());
    double pn = 0;
    for (float x : naiveProbe) {
      pn += x * x;
    }
    pn = Math.sqrt(pn);
    for (java.util.Map.Entry<String, float[]> e : naive.entrySet()) {
      float[] v = e.getValue();
      double dot = 0;
      double n = 0;
      for (int k = 0; k < v.length; k++) {
        dot += v[k] * naiveProbe[k];
        n += v[k] * v[k];
      }
      double cos = dot / (Math.sqrt(n) * pn);
      if (cos >= 0.45) {
        scores.add(java.util.Map.entry(e.getKey(), cos));
      }
    }
    scores.sort(java.util.Map.Entry.<String, Double>comparingByValue().reversed());
    return scores.subList(0, Math.min(5, scores.size()));
  }
}
