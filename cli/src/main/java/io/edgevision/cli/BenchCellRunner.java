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
import io.edgevision.core.ImageFrame;
import io.edgevision.core.ImageFrames;
import io.edgevision.core.InferenceResult;
import io.edgevision.core.InferenceSession;
import io.edgevision.core.Outcome;
import io.edgevision.core.OutputDecoder;
import io.edgevision.core.PixelFormat;
import io.edgevision.core.Stage;
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
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.opencv.core.Mat;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/**
 * Runs one matrix cell: opens its session, warms up, measures, closes. A bare-session cell times
 * {@code InferenceSession.runBatch} with the raw decoder; a detector cell ({@link
 * BenchCell#detector()}, the sliced-inference axis set) times {@code TrafficLightDetector.detect}
 * with that slicing and the model's default state classifier, as {@code detect} runs it.
 * Single-threaded use.
 */
final class BenchCellRunner {
  /** CDF points kept per cell in the report. */
  static final int CDF_POINTS = 200;

  private final List<ImageFrame> frames;
  private final int warmup;
  private final int runs;
  private final double durationSeconds;
  private final AdmissionPolicy policy;
  private final PrintWriter progress;
  private final @org.jspecify.annotations.Nullable String sha256;

  BenchCellRunner(
      List<ImageFrame> frames,
      int warmup,
      int runs,
      double durationSeconds,
      AdmissionPolicy policy,
      PrintWriter progress,
      @org.jspecify.annotations.Nullable String sha256) {
    this.sha256 = sha256;
    this.frames = List.copyOf(frames);
    this.warmup = warmup;
    this.runs = runs;
    this.durationSeconds = durationSeconds;
    this.policy = policy;
    this.progress = progress;
  }

  static InferenceSession.Builder sessionBuilder(
      String model, @org.jspecify.annotations.Nullable String sha256) {
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

  CellResult run(BenchCell cell) {
    return cell.detector() ? runDetector(cell) : runSession(cell);
  }

  private CellResult runSession(BenchCell cell) {
    List<ImageFrame> cellFrames = resized(frames, cell.frameSize());
    Budget budget = cell.budgetMs() == null ? Budget.unlimited() : Budget.ofMillis(cell.budgetMs());
    Map<Stage, Histogram> stages = new EnumMap<>(Stage.class);
    for (Stage s : Stage.values()) {
      stages.put(s, LatencySummary.newHistogram());
    }
    Histogram total = LatencySummary.newHistogram();
    Histogram doneOrCancelled = LatencySummary.newHistogram();
    Map<String, Integer> outcomes = new LinkedHashMap<>();
    for (Outcome o : Outcome.values()) {
      outcomes.put(o.name().toLowerCase(Locale.ROOT), 0);
    }
    long[] samples = new long[Math.min(runs, 4096)];
    int n = 0;
    int misses = 0;
    InferenceResult<?> last = null;
    ProcessMemory.resetPeaks();
    try (InferenceSession s =
            sessionBuilder(cell.model(), sha256)
                .providers(CliSupport.providers(List.of(cell.provider())))
                .intraOpThreads(cell.threads())
                .admission(policy)
                .build();
        ContendingLoad load = ContendingLoad.start(cell.contend())) {
      int next = 0;
      for (int i = 0; i < warmup; i++) {
        s.runBatch(batch(cellFrames, next, cell.batch()), Budget.unlimited(), OutputDecoder.raw());
        next += cell.batch();
      }
      long start = System.nanoTime();
      long stopAt = durationSeconds > 0 ? start + (long) (durationSeconds * 1e9) : Long.MAX_VALUE;
      int reportEvery = Math.max(1, runs / 10);
      while (n < runs && System.nanoTime() < stopAt) {
        InferenceResult<?> r =
            s.runBatch(batch(cellFrames, next, cell.batch()), budget, OutputDecoder.raw());
        next += cell.batch();
        outcomes.merge(r.outcome().name().toLowerCase(Locale.ROOT), 1, Integer::sum);
        for (Stage st : Stage.values()) {
          long v = r.timings().nanos(st);
          if (v > 0) {
            stages.get(st).recordValue(v);
          }
        }
        long t = Math.max(1, r.timings().total().toNanos());
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
        last = r;
        if (n % reportEvery == 0) {
          progress.printf(Locale.ROOT, "\r  %d/%d calls", n, runs);
          progress.flush();
        }
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      progress.print("\r");
      long[] measured = Arrays.copyOf(samples, n);
      Map<String, LatencySummary> stageSummaries = new LinkedHashMap<>();
      stages.forEach(
          (k, h) -> stageSummaries.put(k.name().toLowerCase(Locale.ROOT), LatencySummary.of(h)));
      double[] p50Ci = ci(measured, 0.5);
      double[] p99Ci = ci(measured, 0.99);
      return new CellResult(
          cell,
          s.selectedProvider().name(),
          n,
          warmup,
          seconds,
          seconds > 0 ? n * cell.batch() / seconds : 0,
          stageSummaries,
          LatencySummary.of(total),
          p50Ci,
          p99Ci,
          outcomes,
          cell.budgetMs() == null || n == 0 ? null : misses / (double) n,
          cell.budgetMs() == null || doneOrCancelled.getTotalCount() == 0
              ? null
              : LatencySummary.of(doneOrCancelled).p99Ms(),
          ProcessMemory.peakRssBytes(),
          ProcessMemory.peakHeapBytes(),
          last == null ? Map.of() : CliSupport.fingerprint(last.fingerprint()),
          CellResult.cdfPoints(measured, CDF_POINTS),
          null);
    }
  }

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

  /** The detector's timings as the stage values of {@link #DETECTOR_STAGES}, nanoseconds. */
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

  private CellResult runDetector(BenchCell cell) {
    List<ImageFrame> cellFrames = resized(frames, cell.frameSize());
    Budget budget = cell.budgetMs() == null ? Budget.unlimited() : Budget.ofMillis(cell.budgetMs());
    Histogram[] stages = new Histogram[DETECTOR_STAGES.size()];
    for (int i = 0; i < stages.length; i++) {
      stages[i] = LatencySummary.newHistogram();
    }
    Histogram total = LatencySummary.newHistogram();
    Histogram doneOrCancelled = LatencySummary.newHistogram();
    Map<String, Integer> outcomes = new LinkedHashMap<>();
    for (Outcome o : Outcome.values()) {
      outcomes.put(o.name().toLowerCase(Locale.ROOT), 0);
    }
    long[] samples = new long[Math.min(runs, 4096)];
    int n = 0;
    int misses = 0;
    int sliced = 0;
    int budgetLimited = 0;
    int tilesMin = Integer.MAX_VALUE;
    int tilesMax = 0;
    TilingReport lastSliced = null;
    TrafficLightResult last = null;
    List<ExecutionProvider> providers = CliSupport.providers(List.of(cell.provider()));
    Slicing slicing = slicing(cell);
    ProcessMemory.resetPeaks();
    try (InferenceSession s =
            sessionBuilder(cell.model(), sha256)
                .providers(providers)
                .intraOpThreads(cell.threads())
                .admission(policy)
                .build();
        InferenceSession cls =
            ModelCatalog.defaultClassifier(cell.model())
                .map(
                    c ->
                        ModelCatalog.classifierSessionBuilder(c)
                            .providers(providers)
                            .intraOpThreads(cell.threads())
                            .build())
                .orElse(null);
        ContendingLoad load = ContendingLoad.start(cell.contend())) {
      TrafficLightDetector.Builder b = TrafficLightDetector.builder(s).slicing(slicing);
      if (cls != null) {
        b.stateClassifier(StateClassifier.builder(cls).build());
      }
      TrafficLightDetector detector;
      try {
        detector = b.build();
      } catch (EdgeVisionException e) {
        if (e.code() != ErrorCode.MODEL_DESCRIPTOR_MISMATCH) {
          throw e;
        }
        throw new IllegalArgumentException(
            "--tiles applies to traffic-light (DETR-family) detectors; model '"
                + cell.model()
                + "' is not one: "
                + e.getMessage(),
            e);
      }
      int next = 0;
      for (int i = 0; i < warmup; i++) {
        detector.detect(cellFrames.get(next++ % cellFrames.size()), Budget.unlimited());
      }
      long start = System.nanoTime();
      long stopAt = durationSeconds > 0 ? start + (long) (durationSeconds * 1e9) : Long.MAX_VALUE;
      int reportEvery = Math.max(1, runs / 10);
      while (n < runs && System.nanoTime() < stopAt) {
        ImageFrame frame = cellFrames.get(next++ % cellFrames.size());
        long t0 = System.nanoTime();
        TrafficLightResult r = detector.detect(frame, budget);
        // the whole call as the caller sees it: the detector's stages plus the cross-tile merge
        // and the classifier's crops, which its Timings total leaves out
        long t = Math.max(1, System.nanoTime() - t0);
        outcomes.merge(r.outcome().name().toLowerCase(Locale.ROOT), 1, Integer::sum);
        long[] v = detectorStages(r.timings());
        for (int i = 0; i < v.length; i++) {
          if (v[i] > 0) {
            stages[i].recordValue(v[i]);
          }
        }
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
        last = r;
        if (n % reportEvery == 0) {
          progress.printf(Locale.ROOT, "\r  %d/%d calls", n, runs);
          progress.flush();
        }
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      progress.print("\r");
      long[] measured = Arrays.copyOf(samples, n);
      Map<String, LatencySummary> stageSummaries = new LinkedHashMap<>();
      for (int i = 0; i < stages.length; i++) {
        stageSummaries.put(DETECTOR_STAGES.get(i), LatencySummary.of(stages[i]));
      }
      DetectorSummary summary =
          last == null
              ? new DetectorSummary(0, 0, 0, 0, 0, 0, false, false, 0, "")
              : new DetectorSummary(
                  sliced,
                  budgetLimited,
                  tilesMin,
                  tilesMax,
                  lastSliced == null ? 0 : lastSliced.tileWidth(),
                  lastSliced == null ? 0 : lastSliced.tileHeight(),
                  last.tiling().fullFrame(),
                  lastSliced != null && lastSliced.batched(),
                  last.lights().size(),
                  last.tiling().reason());
      return new CellResult(
          cell,
          s.selectedProvider().name(),
          n,
          warmup,
          seconds,
          seconds > 0 ? n / seconds : 0,
          stageSummaries,
          LatencySummary.of(total),
          ci(measured, 0.5),
          ci(measured, 0.99),
          outcomes,
          cell.budgetMs() == null || n == 0 ? null : misses / (double) n,
          cell.budgetMs() == null || doneOrCancelled.getTotalCount() == 0
              ? null
              : LatencySummary.of(doneOrCancelled).p99Ms(),
          ProcessMemory.peakRssBytes(),
          ProcessMemory.peakHeapBytes(),
          last == null ? Map.of() : CliSupport.fingerprint(last.fingerprint()),
          CellResult.cdfPoints(measured, CDF_POINTS),
          summary);
    }
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
}
