package io.edgevision.detectors.traffic;

import io.edgevision.core.Budget;
import io.edgevision.core.ImageFrame;
import io.edgevision.core.ImageFrames;
import io.edgevision.core.InferenceResult;
import io.edgevision.core.InferenceSession;
import io.edgevision.core.ModelDescriptor;
import io.edgevision.core.ModelInfo;
import io.edgevision.core.Outcome;
import io.edgevision.core.PixelFormat;
import io.edgevision.core.TensorInfo;
import io.edgevision.core.Ticker;
import io.edgevision.core.Timings;
import io.edgevision.postprocess.Box;
import io.edgevision.postprocess.Detection;
import io.edgevision.postprocess.Detections;
import io.edgevision.postprocess.DuplicateSuppressor;
import io.edgevision.postprocess.Suppression;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.opencv.core.Mat;

/**
 * Runs one frame as planned by {@link Slicing}: cuts the tiles (views of one copy of the frame),
 * runs tiles and full frame through the {@link DetrDetector} as one batch where every model of the
 * session has a dynamic batch dimension (else one by one), maps each tile's boxes back to frame
 * pixels (a shift by the tile's origin: tiles are run at their own size, so the session's resize is
 * undone by the decoder) and merges them ({@link TileMerger}).
 *
 * <p>The cost of one image for budget planning is {@link Slicing#tileCost()} when set, else a
 * running mean of the measured per-image cost of this runner's batches (total of the batch's stages
 * / images), else the session's latency estimate of its primary model, else unknown (nothing is
 * cut).
 *
 * <p>Threading: thread-safe (the cost estimate is an atomic); the detector and session are shared.
 */
final class SlicedRunner {
  private final DetrDetector detr;
  private final Slicing slicing;
  private final Ticker ticker;
  private final DuplicateSuppressor suppressor;
  private final int modelWidth;
  private final int modelHeight;
  private final boolean batchable;
  private final AtomicLong measuredCost = new AtomicLong(-1);

  /** The merged detections of one frame and what the slicing did. */
  record Run(DetectionResult result, TilingReport tiling) {}

  SlicedRunner(DetrDetector detr, Slicing slicing, Ticker ticker, DuplicateSuppressor suppressor) {
    this.detr = detr;
    this.slicing = slicing;
    this.ticker = ticker;
    this.suppressor = suppressor;
    InferenceSession session = detr.session();
    int[] size = inputSize(session.model(InferenceSession.PRIMARY)).orElse(new int[] {0, 0});
    modelWidth = size[0];
    modelHeight = size[1];
    boolean b = true;
    for (String v : session.variantNames()) {
      ModelInfo m = session.model(v);
      b &=
          m.descriptor().resize() != ModelDescriptor.ResizeMode.PAD_TO_MULTIPLE
              && imageInput(m).map(t -> t.isDynamic(0)).orElse(false);
    }
    batchable = b;
  }

  /**
   * @return the slicing options
   */
  Slicing slicing() {
    return slicing;
  }

  /**
   * @param frame the frame
   * @param fixed the caller's budget with its deadline fixed on the ticker (or unlimited)
   * @return the merged result and the tiling report
   */
  Run detect(ImageFrame frame, Budget fixed) {
    if (slicing.mode() == Slicing.Mode.OFF) {
      return new Run(detr.detect(frame, fixed), TilingReport.NONE);
    }
    int mw = modelWidth > 0 ? modelWidth : slicing.tileSize();
    int mh = modelHeight > 0 ? modelHeight : slicing.tileSize();
    if (mw == 0) {
      return new Run(
          detr.detect(frame, fixed),
          new TilingReport(
              false,
              0,
              0,
              0,
              0,
              true,
              false,
              false,
              0,
              "not sliced: the model's input size is dynamic and no tile size is set (Slicing.Builder.tileSize)"));
    }
    long now = ticker.read();
    long remaining = fixed.isUnlimited() ? Long.MAX_VALUE : fixed.deadlineFrom(now) - now;
    Slicing.Plan plan = slicing.plan(frame.width(), frame.height(), mw, mh, remaining, cost());
    if (!plan.sliced()) {
      DetectionResult d = detr.detect(frame, fixed);
      TilingReport report =
          new TilingReport(
              false,
              0,
              plan.plannedTiles(),
              0,
              0,
              true,
              false,
              plan.budgetLimited(),
              0,
              plan.reason());
      return new Run(plan.budgetLimited() ? withDegradation(d, plan.reason()) : d, report);
    }
    List<TileGrid.Tile> regions = new ArrayList<>(plan.tiles());
    List<ImageFrame> images = crops(frame, plan.tiles());
    if (plan.fullFrame()) {
      regions.add(new TileGrid.Tile(0, 0, frame.width(), frame.height()));
      images.add(frame);
    }
    TileGrid.Tile first = plan.tiles().get(0);
    Batch batch = batchable ? runBatch(images, fixed) : runOneByOne(images, fixed);
    TilingReport report =
        new TilingReport(
            true,
            plan.tiles().size(),
            plan.plannedTiles(),
            first.width(),
            first.height(),
            plan.fullFrame(),
            batchable,
            plan.budgetLimited(),
            0,
            plan.reason());
    InferenceResult<List<DetrDetector.Decoded>> r = batch.result;
    String variant = r.fingerprint().variant();
    DetrLayout layout = detr.signature(variant).layout();
    if (r.value().isEmpty()) {
      return new Run(
          new DetectionResult(
              r.outcome(),
              Detections.empty(),
              List.of(),
              Detections.empty(),
              0,
              layout,
              variant,
              new DetectionTimings(r.timings(), 0, 0, Timings.ZERO, 0),
              r.fingerprint(),
              join(plan.reason(), r.message()),
              r.deadlineMissed(),
              detr.labels(variant)),
          report);
    }
    List<DetrDetector.Decoded> decoded = r.get();
    long t0 = ticker.read();
    List<TileMerger.Source> sources = new ArrayList<>(decoded.size());
    long decodeNanos = 0;
    long suppressNanos = 0;
    int invalid = 0;
    for (int i = 0; i < decoded.size(); i++) {
      DetrDetector.Decoded d = decoded.get(i);
      TileGrid.Tile t = regions.get(i);
      sources.add(
          new TileMerger.Source(
              t, shift(d.detections(), t.x(), t.y()), shift(d.suppressed(), t.x(), t.y())));
      decodeNanos += d.decodeNanos();
      suppressNanos += d.suppressNanos();
      invalid += d.invalidCount();
    }
    TileMerger.Merged merged = TileMerger.merge(sources, frame.width(), frame.height(), suppressor);
    long mergeNanos = ticker.read() - t0;
    report =
        new TilingReport(
            true,
            report.tiles(),
            report.plannedTiles(),
            report.tileWidth(),
            report.tileHeight(),
            report.fullFrame(),
            report.batched(),
            report.budgetLimited(),
            merged.edgeMerges(),
            report.reason());
    Outcome outcome =
        plan.budgetLimited() && r.outcome() == Outcome.COMPLETED ? Outcome.DEGRADED : r.outcome();
    String message =
        join(
            plan.budgetLimited() ? "sliced inference cut by the budget: " + plan.reason() : "",
            r.message());
    if (batch.stopped > 0) {
      message =
          join(
              message,
              batch.stopped + " of " + images.size() + " images not run: " + batch.stopReason);
    }
    return new Run(
        new DetectionResult(
            outcome,
            merged.detections(),
            merged.suppressed(),
            Detections.empty(),
            invalid + merged.invalid(),
            layout,
            variant,
            new DetectionTimings(
                r.timings(), decodeNanos, suppressNanos + mergeNanos, Timings.ZERO, 0),
            r.fingerprint(),
            message,
            r.deadlineMissed(),
            detr.labels(variant)),
        report);
  }

  private static DetectionResult withDegradation(DetectionResult d, String why) {
    Outcome o = d.outcome() == Outcome.COMPLETED ? Outcome.DEGRADED : d.outcome();
    return new DetectionResult(
        o,
        d.detections(),
        d.suppressed(),
        d.candidates(),
        d.invalidCount(),
        d.layout(),
        d.variant(),
        d.timings(),
        d.fingerprint(),
        join("sliced inference cut by the budget: " + why, d.message()),
        d.deadlineMissed(),
        d.labels());
  }

  /**
   * The cost of one image: fixed, else measured, else the session's estimate, else -1 (unknown).
   */
  private long cost() {
    if (slicing.tileCost() != null) {
      return slicing.tileCost().toNanos();
    }
    long m = measuredCost.get();
    if (m > 0) {
      return m;
    }
    return detr.session()
        .latencyEstimate(InferenceSession.PRIMARY)
        .map(d -> d.toNanos())
        .orElse(-1L);
  }

  private void learn(Timings t, int images) {
    long per = t.total().toNanos() / Math.max(1, images);
    if (per <= 0) {
      return;
    }
    measuredCost.updateAndGet(old -> old <= 0 ? per : (3 * old + per) / 4);
  }

  /**
   * The outcome of running the plan's images; {@code stopped} images did not run (one-by-one mode
   * only).
   */
  private record Batch(
      InferenceResult<List<DetrDetector.Decoded>> result, int stopped, String stopReason) {}

  private Batch runBatch(List<ImageFrame> images, Budget fixed) {
    InferenceResult<List<DetrDetector.Decoded>> r = detr.detectBatch(images, fixed);
    if (r.outcome().hasValue() && r.fingerprint().variant().equals(InferenceSession.PRIMARY)) {
      learn(r.timings(), images.size());
    }
    return new Batch(r, 0, "");
  }

  /**
   * For models with a static batch of 1: one call per image, stopping at the first that returns no
   * value.
   */
  private Batch runOneByOne(List<ImageFrame> images, Budget fixed) {
    List<DetrDetector.Decoded> all = new ArrayList<>();
    InferenceResult<List<DetrDetector.Decoded>> last = null;
    long w = 0;
    long p = 0;
    long inf = 0;
    long post = 0;
    for (ImageFrame f : images) {
      InferenceResult<List<DetrDetector.Decoded>> r = detr.detectBatch(List.of(f), fixed);
      Timings t = r.timings();
      w += t.waitingNanos();
      p += t.preprocessNanos();
      inf += t.inferenceNanos();
      post += t.postprocessNanos();
      if (r.value().isEmpty()) {
        if (all.isEmpty()) {
          return new Batch(r, 0, "");
        }
        last =
            new InferenceResult<>(
                last.outcome(),
                all,
                new Timings(w, p, inf, post),
                last.fingerprint(),
                last.message(),
                r.deadlineMissed());
        return new Batch(last, images.size() - all.size(), r.outcome() + " " + r.message());
      }
      all.add(r.get().get(0));
      last = r;
    }
    Timings total = new Timings(w, p, inf, post);
    if (last.fingerprint().variant().equals(InferenceSession.PRIMARY)) {
      learn(total, images.size());
    }
    return new Batch(
        new InferenceResult<>(
            last.outcome(), all, total, last.fingerprint(), last.message(), last.deadlineMissed()),
        0,
        "");
  }

  /** Tiles as views of one direct copy of the frame (BGR when the frame is YUV). */
  static List<ImageFrame> crops(ImageFrame frame, List<TileGrid.Tile> tiles) {
    ImageFrame src = frame;
    if (frame.format().isYuv420()) {
      Mat bgr = ImageFrames.toBgrMat(frame);
      try {
        byte[] px = new byte[(int) (bgr.total() * bgr.elemSize())];
        bgr.get(0, 0, px);
        src = ImageFrame.wrap(ByteBuffer.wrap(px), frame.width(), frame.height(), PixelFormat.BGR);
      } finally {
        bgr.release();
      }
    }
    ByteBuffer data = src.data();
    ByteBuffer direct = ByteBuffer.allocateDirect(data.remaining());
    direct.put(data).flip();
    int stride = src.rowStride();
    int ch = src.format().channels();
    List<ImageFrame> out = new ArrayList<>(tiles.size() + 1);
    for (TileGrid.Tile t : tiles) {
      if (t.x2() > src.width() || t.y2() > src.height()) {
        throw new IllegalArgumentException(
            "tile " + t + " exceeds the " + src.width() + "x" + src.height() + " frame");
      }
      ByteBuffer view = direct.duplicate();
      view.position(t.y() * stride + t.x() * ch);
      out.add(ImageFrame.wrap(view, t.width(), t.height(), stride, src.format()));
    }
    return out;
  }

  private static Detections shift(Detections ds, float dx, float dy) {
    if (dx == 0 && dy == 0) {
      return ds;
    }
    List<Detection> out = new ArrayList<>(ds.size());
    for (Detection d : ds) {
      out.add(shift(d, dx, dy));
    }
    return Detections.of(out);
  }

  private static Detection shift(Detection d, float dx, float dy) {
    Box b = d.box();
    return new Detection(
        new Box(b.x1() + dx, b.y1() + dy, b.x2() + dx, b.y2() + dy),
        d.classId(),
        d.score(),
        d.queryIndex(),
        d.alternatives());
  }

  private static List<Suppression> shift(List<Suppression> ss, float dx, float dy) {
    if (dx == 0 && dy == 0) {
      return ss;
    }
    List<Suppression> out = new ArrayList<>(ss.size());
    for (Suppression s : ss) {
      out.add(
          new Suppression(
              s.candidateIndex(),
              shift(s.suppressed(), dx, dy),
              s.survivorIndex(),
              shift(s.survivor(), dx, dy),
              s.rule(),
              s.metric(),
              s.overlap()));
    }
    return out;
  }

  private static String join(String a, String b) {
    return a.isEmpty() ? b : b.isEmpty() ? a : a + "; " + b;
  }

  /**
   * The model's input {@code [width, height]}: the descriptor's input size, else the image input's
   * static dims.
   */
  static Optional<int[]> inputSize(ModelInfo m) {
    Optional<int[]> d = m.descriptor().inputSize();
    if (d.isPresent()) {
      return d;
    }
    return imageInput(m)
        .flatMap(
            t -> {
              boolean nhwc = m.descriptor().layout() == ModelDescriptor.Layout.NHWC;
              int wi = nhwc ? 2 : 3;
              int hi = nhwc ? 1 : 2;
              if (t.isDynamic(wi) || t.isDynamic(hi)) {
                return Optional.empty();
              }
              return Optional.of(new int[] {(int) t.dim(wi), (int) t.dim(hi)});
            });
  }

  private static Optional<TensorInfo> imageInput(ModelInfo m) {
    Optional<String> named = m.descriptor().inputName();
    if (named.isPresent()) {
      return m.input(named.get());
    }
    return m.inputs().stream().filter(t -> t.rank() == 4).findFirst();
  }
}
