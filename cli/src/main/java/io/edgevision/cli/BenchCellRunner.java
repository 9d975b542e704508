package io.edgevision.cli;

import io.edgevision.cli.bench.BenchCell;
import io.edgevision.cli.bench.CellResult;
import io.edgevision.cli.bench.ContendingLoad;
import io.edgevision.cli.bench.DetectorSummary;
import io.edgevision.cli.bench.LatencySummary;
import io.edgevision.cli.bench.ProcessMemory;
import io.edgevision.cli.bench.Statistics;
import io.edgevision.core.AdmissionPolicy;
import io.edgevision.core.Budget;
import io.edgevision.core.EdgeVisionException;
import io.edgevision.core.ErrorCode;
import io.edgevision.core.ExecutionProvider;
import io.edgevision.core.Fingerprint;
import io.edgevision.core.ImageFrame;
import io.edgevision.core.ImageFrames;
import io.edgevision.core.InferenceResult;
import io.edgevision.core.InferenceSession;
import io.edgevision.core.Outcome;
import io.edgevision.core.OutputDecoder;
import io.edgevision.core.PixelFormat;
import io.edgevision.core.Stage;
import io.edgevision.core.Timings;
import io.edgevision.detectors.traffic.DetectionTimings;
import io.edgevision.detectors.traffic.ModelCatalog;
import io.edgevision.detectors.traffic.Slicing;
import io.edgevision.detectors.traffic.StateClassifier;
import io.edgevision.detectors.traffic.TilingReport;
import io.edgevision.detectors.traffic.TrafficLightDetector;
import io.edgevision.detectors.traffic.TrafficLightResult;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.jspecify.annotations.Nullable;
import org.opencv.core.Mat;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/**
 * Runs matrix cells: opens each cell's session, warms up, measures, closes. A bare-session cell
 * times {@code InferenceSession.runBatch} with the raw decoder; a detector cell ({@link
 * BenchCell#detector()}, the sliced-inference axis set) times {@code TrafficLightDetector.detect}
 * with that slicing and the model's default state classifier, as {@code detect} runs it.
 *
 * <p>{@link #run} measures one cell after another; {@link #runInterleaved} opens every cell at once
 * and makes one measured call per cell per round, the order reversed every other round (ABBA for
 * two cells), so that load drift on a shared machine falls on all cells alike. Single-threaded use.
 */
final class BenchCellRunner {
  /** CDF points kept per cell in the report. */
  static final int CDF_POINTS = 200;

  /** The stages a bare-session cell reports, in order (the session's {@link Stage}s). */
  static final List<String> SESSION_STAGES =
      Arrays.stream(Stage.values()).map(s -> s.name().toLowerCase(Locale.ROOT)).toList();

  /** The stages a detector cell reports, in order (see {@link CellResult#stages()}). */
  static final List<String> DETECTOR_STAGES =
      List.of(
          "waiting",
          "preprocess",
          "inference",
          "postprocess",
          "decode",
          "suppress",
          "crop",
          "classifier");

  private final List<ImageFrame> frames;
  private final int warmup;
  private final int runs;
  private final double durationSeconds;
  private final AdmissionPolicy policy;
  private final PrintWriter progress;
  private final @Nullable String sha256;

  BenchCellRunner(
      List<ImageFrame> frames,
      int warmup,
      int runs,
      double durationSeconds,
      AdmissionPolicy policy,
      PrintWriter progress,
      @Nullable String sha256) {
    this.sha256 = sha256;
    this.frames = List.copyOf(frames);
    this.warmup = warmup;
    this.runs = runs;
    this.durationSeconds = durationSeconds;
    this.policy = policy;
    this.progress = progress;
  }

  static InferenceSession.Builder sessionBuilder(String model, @Nullable String sha256) {
    if (model.equals("builtin:bench") || model.startsWith("classpath:")) {
      return InferenceSession.builder(CliSupport.source(model, sha256));
    }
    return ModelCatalog.sessionBuilder(model, ModelCatalog.sharedDir().resolve("models"), sha256);
  }

  /**
   * Resizes every frame to {@code WxH} (a stretch, as a camera set to that resolution would
   * deliver).
   */
  static List<ImageFrame> resized(List<ImageFrame> frames, String size) {
    if (size.equals(BenchCell.NATIVE_SIZE)) {
      return frames;
    }
    int[] wh = BenchCell.parseSize(size);
    List<ImageFrame> out = new ArrayList<>();
    for (ImageFrame f : frames) {
      Mat src = ImageFrames.toBgrMat(f);
      Mat dst = new Mat();
      Imgproc.resize(src, dst, new Size(wh[0], wh[1]), 0, 0, Imgproc.INTER_AREA);
      out.add(ImageFrames.fromMat(dst, PixelFormat.BGR));
    }
    return out;
  }

  /**
   * Measures one cell alone: {@code runs} calls, or as many as fit in the duration.
   *
   * @param cell the cell
   * @return its result
   */
  CellResult run(BenchCell cell) {
    ProcessMemory.resetPeaks();
    try (OpenCell c = open(cell);
        ContendingLoad load = ContendingLoad.start(cell.contend())) {
      c.warmUp(warmup);
      long start = System.nanoTime();
      long stopAt = durationSeconds > 0 ? start + (long) (durationSeconds * 1e9) : Long.MAX_VALUE;
      int reportEvery = Math.max(1, runs / 10);
      while (c.n < runs && System.nanoTime() < stopAt) {
        c.measure();
        if (c.n % reportEvery == 0) {
          progress.printf(Locale.ROOT, "\r  %d/%d calls", c.n, runs);
          progress.flush();
        }
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      progress.print("\r");
      return c.result(seconds, ProcessMemory.peakRssBytes(), ProcessMemory.peakHeapBytes());
    }
  }

  /**
   * Measures all cells in the same rounds: every cell open at once, each warmed up, then {@code
   * runs} rounds of one call per cell, the order reversed every other round. A cell's wall time
   * (for its throughput) is the sum of its own calls; peak RSS and heap are the whole run's (the
   * cells share the process). Background load and a duration do not apply (checked by the caller).
   *
   * @param cells the cells, in matrix order
   * @return their results, in the same order
   */
  List<CellResult> runInterleaved(List<BenchCell> cells) {
    if (cells.stream().anyMatch(c -> c.contend() != 0) || durationSeconds > 0) {
      throw new IllegalArgumentException(
          "--interleave runs all cells in the same rounds: --contend must be 0 and --duration off");
    }
    ProcessMemory.resetPeaks();
    List<OpenCell> open = new ArrayList<>();
    try {
      for (BenchCell cell : cells) {
        open.add(open(cell));
      }
      for (int i = 0; i < open.size(); i++) {
        progress.printf(
            Locale.ROOT, "warm-up [%d/%d] %s%n", i + 1, open.size(), cells.get(i).key());
        progress.flush();
        open.get(i).warmUp(warmup);
      }
      int reportEvery = Math.max(1, runs / 10);
      for (int round = 0; round < runs; round++) {
        for (int k : roundOrder(open.size(), round)) {
          open.get(k).measure();
        }
        if ((round + 1) % reportEvery == 0) {
          progress.printf(Locale.ROOT, "\r  %d/%d rounds", round + 1, runs);
          progress.flush();
        }
      }
      progress.print("\r");
      long rss = ProcessMemory.peakRssBytes();
      long heap = ProcessMemory.peakHeapBytes();
      List<CellResult> out = new ArrayList<>();
      for (int i = 0; i < open.size(); i++) {
        OpenCell c = open.get(i);
        int modelFirst = firstOfModel(cells, i);
        out.add(
            c.result(c.busyNanos / 1e9, rss, heap)
                .withPairedRatios(
                    i == 0 ? null : ratio(c, open.get(0)),
                    modelFirst == i ? null : ratio(c, open.get(modelFirst))));
      }
      return out;
    } finally {
      for (OpenCell c : open) {
        c.close();
      }
    }
  }

  /**
   * @return the index of the first cell with the same model as cell {@code i}
   */
  static int firstOfModel(List<BenchCell> cells, int i) {
    for (int k = 0; k < i; k++) {
      if (cells.get(k).model().equals(cells.get(i).model())) {
        return k;
      }
    }
    return i;
  }

  /** Median of the per-round ratios a ÷ b (round r of both cells is sample r). */
  private static double[] ratio(OpenCell a, OpenCell b) {
    double[] r =
        Statistics.pairedRatio(Arrays.copyOf(a.samples, a.n), Arrays.copyOf(b.samples, b.n));
    return new double[] {round4(r[0]), round4(r[1]), round4(r[2])};
  }

  private static double round4(double v) {
    return Math.round(v * 1e4) / 1e4;
  }

  /**
   * @param cells how many cells
   * @param round the round, from 0
   * @return the cell order of that round: 0..n-1 in even rounds, reversed in odd ones (ABBA)
   */
  static int[] roundOrder(int cells, int round) {
    int[] order = new int[cells];
    for (int i = 0; i < cells; i++) {
      order[i] = round % 2 == 0 ? i : cells - 1 - i;
    }
    return order;
  }

  private OpenCell open(BenchCell cell) {
    return cell.detector() ? new DetectorCell(cell) : new SessionCell(cell);
  }

  /** The stage values of a detector call, in the order of {@link #DETECTOR_STAGES}, nanoseconds. */
  static long[] detectorStages(DetectionTimings t) {
    return new long[] {
      t.detector().waitingNanos(),
      t.detector().preprocessNanos(),
      t.detector().inferenceNanos(),
      t.detector().postprocessNanos(),
      t.decodeNanos(),
      t.suppressNanos(),
      t.cropNanos(),
      t.classifier().total().toNanos()
    };
  }

  /** The slicing of a detector cell, as {@code detect --tiles T --tile-size S} builds it. */
  static Slicing slicing(BenchCell cell) {
    String tiles = cell.tiles();
    if (tiles == null) {
      throw new IllegalArgumentException("not a detector cell: " + cell.key());
    }
    return DetectCommand.slicing(tiles, cell.tileSize());
  }

  private static double[] ci(long[] samples, double q) {
    if (samples.length == 0) {
      return new double[] {0, 0};
    }
    double[] ci = Statistics.bootstrapCi(samples, q, Statistics.DEFAULT_BOOTSTRAP_ROUNDS);
    return new double[] {Math.round(ci[0] / 1e3) / 1e3, Math.round(ci[1] / 1e3) / 1e3};
  }

  private static List<ImageFrame> batch(List<ImageFrame> frames, int from, int size) {
    List<ImageFrame> b = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      b.add(frames.get((from + i) % frames.size()));
    }
    return b;
  }

  /** One call as measured: its outcome, stage values, whole-call latency and fingerprint. */
  private record Call(
      Outcome outcome,
      long[] stageNanos,
      long totalNanos,
      Fingerprint fingerprint,
      @Nullable TrafficLightResult lights) {}

  /** A cell with its sessions open and its accumulators; closed by its owner. */
  private abstract class OpenCell implements AutoCloseable {
    final BenchCell cell;
    final List<ImageFrame> cellFrames;
    final Budget budget;
    final List<String> stageNames;
    final Histogram[] stages;
    final Histogram total = LatencySummary.newHistogram();
    final Histogram doneOrCancelled = LatencySummary.newHistogram();
    final Map<String, Integer> outcomes = new LinkedHashMap<>();
    long[] samples = new long[Math.min(runs, 4096)];
    int n;
    int misses;
    long busyNanos;
    int next;
    @Nullable Call last;

    OpenCell(BenchCell cell, List<String> stageNames) {
      this.cell = cell;
      this.cellFrames = resized(frames, cell.frameSize());
      this.budget = cell.budgetMs() == null ? Budget.unlimited() : Budget.ofMillis(cell.budgetMs());
      this.stageNames = stageNames;
      this.stages = new Histogram[stageNames.size()];
      for (int i = 0; i < stages.length; i++) {
        stages[i] = LatencySummary.newHistogram();
      }
      for (Outcome o : Outcome.values()) {
        outcomes.put(o.name().toLowerCase(Locale.ROOT), 0);
      }
    }

    /** One call on the next frame(s). */
    abstract Call call(Budget b);

    abstract String selectedProvider();

    abstract int framesPerCall();

    void warmUp(int calls) {
      for (int i = 0; i < calls; i++) {
        call(Budget.unlimited());
      }
    }

    void measure() {
      long t0 = System.nanoTime();
      Call r = call(budget);
      busyNanos += System.nanoTime() - t0;
      outcomes.merge(r.outcome().name().toLowerCase(Locale.ROOT), 1, Integer::sum);
      for (int i = 0; i < stages.length; i++) {
        if (r.stageNanos()[i] > 0) {
          stages[i].recordValue(r.stageNanos()[i]);
        }
      }
      long t = Math.max(1, r.totalNanos());
      total.recordValue(t);
      if (n == samples.length) {
        samples = Arrays.copyOf(samples, samples.length * 2);
      }
      samples[n++] = t;
      if (cell.budgetMs() != null) {
        boolean inTime = t <= cell.budgetMs() * 1_000_000L;
        if (r.outcome() == Outcome.REJECTED || r.outcome() == Outcome.CANCELLED || !inTime) {
          misses++;
        }
        if (r.outcome() == Outcome.COMPLETED || r.outcome() == Outcome.CANCELLED) {
          doneOrCancelled.recordValue(t);
        }
      }
      observe(r);
      last = r;
    }

    /** A hook for what a subclass tracks per measured call. */
    void observe(Call r) {}

    @Nullable DetectorSummary detectorSummary() {
      return null;
    }

    CellResult result(double seconds, long peakRss, long peakHeap) {
      long[] measured = Arrays.copyOf(samples, n);
      Map<String, LatencySummary> stageSummaries = new LinkedHashMap<>();
      for (int i = 0; i < stages.length; i++) {
        stageSummaries.put(stageNames.get(i), LatencySummary.of(stages[i]));
      }
      Call l = last;
      return new CellResult(
          cell,
          selectedProvider(),
          n,
          warmup,
          seconds,
          seconds > 0 ? n * framesPerCall() / seconds : 0,
          stageSummaries,
          LatencySummary.of(total),
          ci(measured, 0.5),
          ci(measured, 0.99),
          outcomes,
          cell.budgetMs() == null || n == 0 ? null : misses / (double) n,
          cell.budgetMs() == null || doneOrCancelled.getTotalCount() == 0
              ? null
              : LatencySummary.of(doneOrCancelled).p99Ms(),
          peakRss,
          peakHeap,
          l == null ? Map.of() : CliSupport.fingerprint(l.fingerprint()),
          CellResult.cdfPoints(measured, CDF_POINTS),
          detectorSummary(),
          null,
          null);
    }

    @Override
    public abstract void close();
  }

  /** A bare session call with the raw decoder; the latency is the session's own total. */
  private final class SessionCell extends OpenCell {
    private final InferenceSession session;

    SessionCell(BenchCell cell) {
      super(cell, SESSION_STAGES);
      session =
          sessionBuilder(cell.model(), sha256)
              .providers(CliSupport.providers(List.of(cell.provider())))
              .intraOpThreads(cell.threads())
              .admission(policy)
              .build();
    }

    @Override
    Call call(Budget b) {
      InferenceResult<?> r =
          session.runBatch(batch(cellFrames, next, cell.batch()), b, OutputDecoder.raw());
      next += cell.batch();
      Timings t = r.timings();
      long[] v = new long[Stage.values().length];
      for (Stage st : Stage.values()) {
        v[st.ordinal()] = t.nanos(st);
      }
      return new Call(r.outcome(), v, t.total().toNanos(), r.fingerprint(), null);
    }

    @Override
    String selectedProvider() {
      return session.selectedProvider().name();
    }

    @Override
    int framesPerCall() {
      return cell.batch();
    }

    @Override
    public void close() {
      session.close();
    }
  }

  /**
   * {@code TrafficLightDetector.detect} with the cell's slicing and the model's default classifier;
   * the latency is the wall time of the whole call (it includes the cross-tile merge and the
   * classifier's crops, which the detector's {@code Timings} total leaves out).
   */
  private final class DetectorCell extends OpenCell {
    private final InferenceSession session;
    private final @Nullable InferenceSession classifierSession;
    private final TrafficLightDetector detector;
    private int sliced;
    private int budgetLimited;
    private int tilesMin = Integer.MAX_VALUE;
    private int tilesMax;
    private @Nullable TilingReport lastSliced;

    DetectorCell(BenchCell cell) {
      super(cell, DETECTOR_STAGES);
      List<ExecutionProvider> providers = CliSupport.providers(List.of(cell.provider()));
      Slicing slicing = slicing(cell);
      session =
          sessionBuilder(cell.model(), sha256)
              .providers(providers)
              .intraOpThreads(cell.threads())
              .admission(policy)
              .build();
      InferenceSession cls = null;
      try {
        cls =
            ModelCatalog.defaultClassifier(cell.model())
                .map(
                    c ->
                        ModelCatalog.classifierSessionBuilder(c)
                            .providers(providers)
                            .intraOpThreads(cell.threads())
                            .build())
                .orElse(null);
        TrafficLightDetector.Builder b = TrafficLightDetector.builder(session).slicing(slicing);
        if (cls != null) {
          b.stateClassifier(StateClassifier.builder(cls).build());
        }
        detector = b.build();
      } catch (EdgeVisionException e) {
        session.close();
        if (cls != null) {
          cls.close();
        }
        if (e.code() != ErrorCode.MODEL_DESCRIPTOR_MISMATCH) {
          throw e;
        }
        throw new IllegalArgumentException(
            "--tiles applies to traffic-light (DETR-family) detectors; model '"
                + cell.model()
                + "' is not one: "
                + e.getMessage(),
            e);
      } catch (RuntimeException e) {
        session.close();
        if (cls != null) {
          cls.close();
        }
        throw e;
      }
      classifierSession = cls;
    }

    @Override
    Call call(Budget b) {
      ImageFrame frame = cellFrames.get(next++ % cellFrames.size());
      long t0 = System.nanoTime();
      TrafficLightResult r = detector.detect(frame, b);
      long t = System.nanoTime() - t0;
      return new Call(r.outcome(), detectorStages(r.timings()), t, r.fingerprint(), r);
    }

    @Override
    void observe(Call c) {
      TrafficLightResult r = c.lights();
      if (r == null) {
        return;
      }
      TilingReport tr = r.tiling();
      if (tr.sliced()) {
        sliced++;
        lastSliced = tr;
      }
      if (tr.budgetLimited()) {
        budgetLimited++;
      }
      tilesMin = Math.min(tilesMin, tr.tiles());
      tilesMax = Math.max(tilesMax, tr.tiles());
    }

    @Override
    DetectorSummary detectorSummary() {
      Call l = last;
      TrafficLightResult r = l == null ? null : l.lights();
      if (r == null) {
        return new DetectorSummary(0, 0, 0, 0, 0, 0, false, false, 0, "");
      }
      TilingReport s = lastSliced;
      return new DetectorSummary(
          sliced,
          budgetLimited,
          tilesMin,
          tilesMax,
          s == null ? 0 : s.tileWidth(),
          s == null ? 0 : s.tileHeight(),
          r.tiling().fullFrame(),
          s != null && s.batched(),
          r.lights().size(),
          r.tiling().reason());
    }

    @Override
    String selectedProvider() {
      return session.selectedProvider().name();
    }

    @Override
    int framesPerCall() {
      return 1;
    }

    @Override
    public void close() {
      session.close();
      if (classifierSession != null) {
        classifierSession.close();
      }
    }
  }
}
