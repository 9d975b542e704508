package io.edgevision.benchmarks.traffic;

import io.edgevision.core.Budget;
import io.edgevision.core.ImageFrame;
import io.edgevision.core.ImageFrames;
import io.edgevision.core.InferenceSession;
import io.edgevision.core.PixelFormat;
import io.edgevision.detectors.traffic.ModelCatalog;
import io.edgevision.detectors.traffic.Slicing;
import io.edgevision.detectors.traffic.TrafficLightDetector;
import io.edgevision.detectors.traffic.TrafficLightResult;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import org.opencv.core.Mat;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/**
 * Paired cost of sliced inference on one 1920×1080 frame: the same {@link TrafficLightDetector}
 * configuration with {@link Slicing#off()} (one full-frame pass) and with the slicing under test,
 * called alternately (ABBA order) on the same frame and session, each call timed; reports the
 * medians, p95, the median of the per-pair ratios sliced ÷ full frame, and the sliced call's
 * per-stage split. The frame is COCO {@code 000000000257.jpg} of the shared data (9 small traffic
 * lights at a plaza) stretched to 1920×1080.
 *
 * <p>Usage: {@code java -cp benchmarks/target/benchmarks.jar
 * io.edgevision.benchmarks.traffic.SlicedHarness [femto|atto|builtin|FILE] [auto|N] [pairs]
 * [warmupPairs] [tileSize]}
 */
public final class SlicedHarness {
  private SlicedHarness() {}

  public static void main(String[] args) throws Exception {
    String model = args.length > 0 ? args[0] : ModelCatalog.FEMTO;
    String tiles = args.length > 1 ? args[1] : "auto";
    int pairs = args.length > 2 ? Integer.parseInt(args[2]) : 30;
    int warmup = args.length > 3 ? Integer.parseInt(args[3]) : 3;
    int tileSize = args.length > 4 ? Integer.parseInt(args[4]) : 0;
    Path shared = ModelCatalog.sharedDir();
    ImageFrame frame =
        stretched(
            ImageFrames.read(shared.resolve("data/street/coco/000000000257.jpg")), 1920, 1080);
    try (InferenceSession session =
        ModelCatalog.sessionBuilder(model, shared.resolve("models")).build()) {
      TrafficLightDetector full =
          TrafficLightDetector.builder(session).slicing(Slicing.off()).build();
      Slicing s = Slicing.parse(tiles);
      if (tileSize > 0) {
        s = s.toBuilder().tileSize(tileSize).build();
      }
      TrafficLightDetector sliced = full.toBuilder().slicing(s).build();
      long[] a = new long[pairs];
      long[] b = new long[pairs];
      TrafficLightResult lastFull = null;
      TrafficLightResult lastSliced = null;
      for (int i = 0; i < warmup + pairs; i++) {
        boolean fullFirst = (i & 1) == 0;
        long t0 = System.nanoTime();
        TrafficLightResult r1 = (fullFirst ? full : sliced).detect(frame, Budget.unlimited());
        long t1 = System.nanoTime();
        TrafficLightResult r2 = (fullFirst ? sliced : full).detect(frame, Budget.unlimited());
        long t2 = System.nanoTime();
        lastFull = fullFirst ? r1 : r2;
        lastSliced = fullFirst ? r2 : r1;
        if (i >= warmup) {
          a[i - warmup] = fullFirst ? t1 - t0 : t2 - t1;
          b[i - warmup] = fullFirst ? t2 - t1 : t1 - t0;
        }
      }
      double[] ratios = new double[pairs];
      for (int i = 0; i < pairs; i++) {
        ratios[i] = b[i] / (double) a[i];
      }
      var t = lastSliced.tiling();
      System.out.printf(
          Locale.ROOT,
          "model %s, frame 1920x1080, slicing %s: %d tiles of %dx%d%s, %s; %d pairs after"
              + " %d warm-up pairs, %d cores%n",
          model,
          s,
          t.tiles(),
          t.tileWidth(),
          t.tileHeight(),
          t.fullFrame() ? " + full frame" : "",
          t.batched() ? "one batch" : "one by one",
          pairs,
          warmup,
          Runtime.getRuntime().availableProcessors());
      System.out.printf(
          Locale.ROOT,
          "full frame: median %.1f ms, p95 %.1f ms, %d lights%n",
          pct(a, 50) / 1e6,
          pct(a, 95) / 1e6,
          lastFull.lights().size());
      System.out.printf(
          Locale.ROOT,
          "sliced:     median %.1f ms, p95 %.1f ms, %d lights%n",
          pct(b, 50) / 1e6,
          pct(b, 95) / 1e6,
          lastSliced.lights().size());
      var st = lastSliced.timings();
      System.out.printf(
          Locale.ROOT,
          "sliced stages (last call): preprocess %.1f ms, inference %.1f ms, postprocess"
              + " %.1f ms, merge+suppress %.2f ms%n",
          st.detector().preprocessNanos() / 1e6,
          st.detector().inferenceNanos() / 1e6,
          st.detector().postprocessNanos() / 1e6,
          st.suppressNanos() / 1e6);
      double[] sorted = ratios.clone();
      Arrays.sort(sorted);
      System.out.printf(
          Locale.ROOT,
          "sliced / full frame, median of per-pair ratios: %.2f (IQR %.2f .. %.2f)%n",
          sorted[pairs / 2],
          sorted[pairs / 4],
          sorted[(3 * pairs) / 4]);
    }
  }

  static ImageFrame stretched(ImageFrame f, int w, int h) {
    Mat src = ImageFrames.toBgrMat(f);
    Mat dst = new Mat();
    try {
      Imgproc.resize(src, dst, new Size(w, h), 0, 0, Imgproc.INTER_LINEAR);
      byte[] px = new byte[(int) (dst.total() * dst.elemSize())];
      dst.get(0, 0, px);
      return ImageFrame.wrap(ByteBuffer.wrap(px), w, h, PixelFormat.BGR);
    } finally {
      src.release();
      dst.release();
    }
  }

  static double pct(long[] v, int p) {
    long[] c = v.clone();
    Arrays.sort(c);
    return c[Math.min(c.length - 1, (int) Math.ceil(p / 100.0 * c.length) - 1)];
  }
}
