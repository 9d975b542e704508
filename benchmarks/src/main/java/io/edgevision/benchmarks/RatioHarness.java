package io.edgevision.benchmarks;

import io.edgevision.benchmarks.core.PairedTiming;
import io.edgevision.benchmarks.core.PairedTiming.Path;
import io.edgevision.benchmarks.core.PairedTiming.Samples;
import io.edgevision.benchmarks.core.PreprocessBenchmark;
import io.edgevision.benchmarks.core.SessionOverheadBenchmark;
import io.edgevision.benchmarks.postprocess.FairPostprocess;
import io.edgevision.detectors.face.Embedding;
import io.edgevision.detectors.face.EmbeddingModel;
import io.edgevision.detectors.face.FaceGallery;
import io.edgevision.detectors.face.GalleryStorage;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.opencv.core.Core;

/**
 * The paired, interleaved measurements behind the headline ratios of docs/PERFORMANCE.md ({@link
 * PairedTiming}): every ratio comes from calls made in the same rounds, so the load drift of a
 * shared machine cancels.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.edgevision.benchmarks.RatioHarness overhead builtin|deimv2_atto_raw [rounds]
 * java -cp benchmarks/target/benchmarks.jar io.edgevision.benchmarks.RatioHarness gallery IDENTITIES DIM [rounds]
 * java -cp benchmarks/target/benchmarks.jar io.edgevision.benchmarks.RatioHarness gallery-int8 IDENTITIES DIM [rounds]
 * java -cp benchmarks/target/benchmarks.jar io.edgevision.benchmarks.RatioHarness preprocess OPENCV_THREADS [rounds]
 * java -cp benchmarks/target/benchmarks.jar io.edgevision.benchmarks.RatioHarness postprocess QUERIES CLASSES [rounds]
 * java -cp benchmarks/target/benchmarks.jar io.edgevision.benchmarks.RatioHarness traffic builtin|MODEL.onnx [rounds]
 * </pre>
 */
public final class RatioHarness {
  private RatioHarness() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      throw new IllegalArgumentException(
          "usage: RatioHarness overhead|gallery|preprocess|postprocess ARGS... (see Javadoc)");
    }
    switch (args[0]) {
      case "overhead" -> overhead(args[1], arg(args, 2, 200));
      case "gallery" ->
          gallery(Integer.parseInt(args[1]), Integer.parseInt(args[2]), arg(args, 3, 200));
      case "gallery-int8" ->
          galleryInt8(Integer.parseInt(args[1]), Integer.parseInt(args[2]), arg(args, 3, 200));
      case "preprocess" -> preprocess(Integer.parseInt(args[1]), arg(args, 2, 300));
      case "postprocess" ->
          postprocess(Integer.parseInt(args[1]), Integer.parseInt(args[2]), arg(args, 3, 400));
      case "traffic" -> traffic(args[1], arg(args, 2, 200));
      default -> throw new IllegalArgumentException("unknown measurement " + args[0]);
    }
  }

  private static int arg(String[] a, int i, int def) {
    return a.length > i ? Integer.parseInt(a[i]) : def;
  }

  /**
   * SDK run against the raw baseline with its conversion loop, and against session.run on a filled
   * tensor.
   */
  static void overhead(String model, int rounds) throws Exception {
    SessionOverheadBenchmark b = new SessionOverheadBenchmark();
    b.model = model;
    b.spinning = "0";
    b.setup();
    try {
      int reps = model.equals("builtin") ? 20 : 1;
      List<Samples> s =
          PairedTiming.run(
              List.of(
                  new Path("sdkRun", b::sdkRun),
                  new Path("rawOrtRun (+conversion loop)", b::rawOrtRun),
                  new Path("rawRunFilled", b::rawRunFilled)),
              rounds,
              rounds / 5,
              reps);
      PairedTiming.report("overhead " + model, s, 1);
      System.out.println("   " + PairedTiming.ratio(s.get(0), s.get(2)));
      var st = b.sdkStats().stages();
      System.out.printf(
          Locale.ROOT,
          "   sdk stages p50: preprocess %.4f ms, inference %.4f ms, postprocess %.4f ms%n",
          st.get(io.edgevision.core.Stage.PREPROCESS).p50() / 1e6,
          st.get(io.edgevision.core.Stage.INFERENCE).p50() / 1e6,
          st.get(io.edgevision.core.Stage.POSTPROCESS).p50() / 1e6);
    } finally {
      b.tearDown();
    }
  }

  /**
   * FaceGallery.identify against a plain contiguous float[] loop and against reading the same
   * bytes.
   */
  static void gallery(int identities, int dim, int rounds) throws Exception {
    EmbeddingModel model = new EmbeddingModel("0".repeat(64), "benchmark", dim);
    FaceGallery gallery = FaceGallery.create(model);
    float[] matrix = new float[identities * dim];
    Random r = new Random(42);
    float[] v = new float[dim];
    float[] target = null;
    for (int i = 0; i < identities; i++) {
      for (int k = 0; k < dim; k++) {
        v[k] = (float) r.nextGaussian();
      }
      Embedding e = Embedding.normalise(v, model);
      System.arraycopy(e.vector(), 0, matrix, i * dim, dim);
      if (i == identities / 2) {
        target = e.vector();
      }
      gallery.enroll("person-" + i, e);
    }
    for (int k = 0; k < dim; k++) {
      target[k] += (float) (0.02 * r.nextGaussian());
    }
    Embedding probe = Embedding.normalise(target, model);
    float[] q = probe.vector();
    int[] bytes = new int[identities * dim]; // same byte count as the matrix, for the read floor
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = i;
    }
    List<Samples> s =
        PairedTiming.run(
            List.of(
                new Path("sdk identify top-5", () -> gallery.identify(probe, 5, 0.45f)),
                new Path(
                    "plain float[] loop top-5", () -> plainTop5(matrix, identities, dim, q, 0.45f)),
                new Path("read floor (int sum, same bytes)", () -> sum(bytes))),
            rounds,
            rounds / 5,
            1);
    PairedTiming.report(
        String.format(
            Locale.ROOT,
            "gallery %d x %d (%.1f MB)",
            identities,
            dim,
            identities * (double) dim * 4 / 1e6),
        s,
        1);
    System.out.println("   " + PairedTiming.ratio(s.get(0), s.get(2)));
    System.out.printf(
        Locale.ROOT,
        "   read bandwidth of the floor loop: %.2f GB/s%n",
        identities * (double) dim * 4 / s.get(2).median());
  }

  /**
   * FaceGallery.identify with {@link GalleryStorage#INT8} against the same gallery in {@link
   * GalleryStorage#FLOAT32} (same embeddings, same probe), interleaved; also prints both galleries'
   * memoryBytes() and whether their top-5 agree.
   */
  static void galleryInt8(int identities, int dim, int rounds) throws Exception {
    EmbeddingModel model = new EmbeddingModel("0".repeat(64), "benchmark", dim);
    FaceGallery f32 = FaceGallery.create(model, GalleryStorage.FLOAT32);
    FaceGallery i8 = FaceGallery.create(model, GalleryStorage.INT8);
    Random r = new Random(42);
    float[] v = new float[dim];
    float[] target = null;
    for (int i = 0; i < identities; i++) {
      for (int k = 0; k < dim; k++) {
        v[k] = (float) r.nextGaussian();
      }
      Embedding e = Embedding.normalise(v, model);
      if (i == identities / 2) {
        target = e.vector();
      }
      f32.enroll("person-" + i, e);
      i8.enroll("person-" + i, e);
    }
    for (int k = 0; k < dim; k++) {
      target[k] += (float) (0.02 * r.nextGaussian());
    }
    Embedding probe = Embedding.normalise(target, model);
    List<Samples> s =
        PairedTiming.run(
            List.of(
                new Path("float32 identify top-5", () -> f32.identify(probe, 5, 0.45f)),
                new Path("int8 identify top-5", () -> i8.identify(probe, 5, 0.45f))),
            rounds,
            rounds / 5,
            1);
    PairedTiming.report(
        String.format(Locale.ROOT, "gallery storage %d x %d", identities, dim), s, 1);
    System.out.printf(
        Locale.ROOT,
        "   memoryBytes: float32 %.1f MiB, int8 %.1f MiB%n",
        f32.memoryBytes() / 1048576.0,
        i8.memoryBytes() / 1048576.0);
    System.out.println(
        "   top-5 float32 "
            + f32.identify(probe, 5, -1f).matches()
            + "\n   top-5 int8    "
            + i8.identify(probe, 5, -1f).matches());
  }

  /**
   * What a user writes: one dot product per row, one accumulator, the best five above the
   * threshold.
   */
  static int[] plainTop5(float[] m, int rows, int dim, float[] q, float threshold) {
    int[] ids = {-1, -1, -1, -1, -1};
    float[] best = {threshold, threshold, threshold, threshold, threshold};
    for (int r = 0, off = 0; r < rows; r++, off += dim) {
      float s = 0;
      for (int k = 0; k < dim; k++) {
        s += m[off + k] * q[k];
      }
      if (s >= best[4]) {
        int j = 4;
        while (j > 0 && s > best[j - 1]) {
          best[j] = best[j - 1];
          ids[j] = ids[j - 1];
          j--;
        }
        best[j] = s;
        ids[j] = r;
      }
    }
    return ids;
  }

  static int sum(int[] a) {
    int s = 0;
    for (int x : a) {
      s += x;
    }
    return s;
  }

  /** SDK preprocessing against blobFromImage with OpenCV's thread count set for both. */
  static void preprocess(int threads, int rounds) throws Exception {
    io.edgevision.core.OpenCvLoader
        .ensureLoaded(); // the SDK's copy: one library, one thread setting
    Core.setNumThreads(threads);
    for (String resize : new String[] {"stretch", "letterbox"}) {
      PreprocessBenchmark b = new PreprocessBenchmark();
      b.resize = resize;
      b.setup();
      try {
        List<Samples> s =
            PairedTiming.run(
                List.of(
                    new Path("sdk " + resize, b::sdk),
                    new Path("blobFromImage (stretch)", b::opencvBlobFromImage)),
                rounds,
                rounds / 5,
                1);
        PairedTiming.report(
            "preprocess 1920x1080 -> 640x640, OpenCV threads " + Core.getNumThreads(), s, 0);
      } finally {
        b.tearDown();
      }
    }
  }

  /** SDK decode + duplicate suppression against a plain Java decode loop + NMSBoxes. */
  static void postprocess(int queries, int classes, int rounds) throws Exception {
    io.edgevision.core.OpenCvLoader
        .ensureLoaded(); // the SDK's copy: one library, one thread setting
    FairPostprocess f = new FairPostprocess(queries, classes);
    try {
      int[] kept = f.keptQueries();
      List<Samples> s =
          PairedTiming.run(
              List.of(
                  new Path("sdk processInto", f::sdk),
                  new Path("plain decode + NMSBoxes", f::plainDecodeAndNmsBoxes)),
              rounds,
              rounds / 5,
              20);
      PairedTiming.report("postprocess " + queries + " x " + classes, s, 0);
      System.out.printf(
          "   kept: SDK %d, plain + NMSBoxes %d, same query in both %d%n",
          kept[0], kept[1], kept[2]);
    } finally {
      f.close();
    }
  }

  /**
   * TrafficLightDetector.detect end to end against bare ONNX Runtime on the same model and frame.
   */
  static void traffic(String model, int rounds) throws Exception {
    io.edgevision.benchmarks.traffic.TrafficLightBenchmark b =
        new io.edgevision.benchmarks.traffic.TrafficLightBenchmark();
    b.model = model;
    b.setup();
    try {
      List<Samples> s =
          PairedTiming.run(
              List.of(new Path("sdk detect", b::sdkDetect), new Path("bare ORT", b::rawOrtRun)),
              rounds,
              rounds / 5,
              1);
      PairedTiming.report("traffic lights end to end, " + model, s, 1);
    } finally {
      b.tearDown();
    }
  }
}
