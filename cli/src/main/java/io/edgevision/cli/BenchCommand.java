package io.edgevision.cli;

import io.edgevision.cli.bench.BenchCell;
import io.edgevision.cli.bench.BenchMatrix;
import io.edgevision.cli.bench.BenchReport;
import io.edgevision.cli.bench.CellResult;
import io.edgevision.cli.bench.ColdStart;
import io.edgevision.cli.bench.ColdStartResult;
import io.edgevision.cli.bench.Comparison;
import io.edgevision.cli.bench.DetectorSummary;
import io.edgevision.cli.bench.HtmlReport;
import io.edgevision.cli.bench.LatencySummary;
import io.edgevision.core.AdmissionPolicy;
import io.edgevision.core.EdgeVisionException;
import io.edgevision.core.ErrorCode;
import io.edgevision.core.ImageFrame;
import io.edgevision.core.ImageFrames;
import io.edgevision.detectors.traffic.ModelCatalog;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code edgevision bench [MODEL...]}: the benchmark harness. Expands a matrix (models × providers
 * × frame sizes × threads × batch sizes × budgets × background load × sliced inference), runs each
 * cell through an {@code InferenceSession} (or, with {@code --tiles}, the traffic-light detector
 * pipeline) on real frames, and reports per-stage p50/p90/p95/p99/max, throughput, outcome counts,
 * budget-miss rate, peak RSS and heap, and the fingerprint; optionally the cold start of {@code
 * detect} against a bare ONNX Runtime JVM. Output: a text table, {@code --json} (schema {@code
 * edgevision.bench} v2, docs/BENCHMARK_HARNESS.md), {@code --html}. {@code bench compare OLD.json
 * NEW.json} flags regressions (exit status 3). Progress goes to stderr.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    subcommands = BenchCompareCommand.class,
    description = {
      "Benchmark models through the SDK over a matrix of settings: per-stage latency percentiles,",
      "throughput, outcomes, budget misses, memory, fingerprint; JSON and a self-contained HTML report.",
      "Every list option takes comma-separated values; each combination is one cell."
    })
final class BenchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(
      arity = "0..*",
      paramLabel = "MODEL",
      description =
          "ONNX files or names: builtin:bench (default, a small CNN in the SDK), builtin (the "
              + "traffic-light model), atto, femto, atto-raw, femto-raw (shared models)")
  List<String> models = new ArrayList<>(List.of("builtin:bench"));

  @Option(
      names = "--provider",
      split = ",",
      paramLabel = "P",
      description =
          "Providers, one cell each; join a fallback chain with '+', e.g. cuda+cpu (default: cpu)")
  @Nullable List<String> providers;

  @Option(
      names = "--providers",
      split = ",",
      paramLabel = "P",
      description =
          "One fallback chain for every cell, as in the other commands: --providers cuda,cpu is --provider cuda+cpu")
  @Nullable List<String> providerChain;

  @Option(
      names = "--size",
      split = ",",
      paramLabel = "WxH",
      description =
          "Frame resolutions fed to the SDK, or 'native' for the frames as read (default: native)")
  List<String> sizes = new ArrayList<>(List.of(BenchCell.NATIVE_SIZE));

  @Option(
      names = "--threads",
      split = ",",
      paramLabel = "N",
      description = "ONNX Runtime intra-op threads, 0 = its default (default: 0)")
  List<Integer> threads = new ArrayList<>(List.of(0));

  @Option(
      names = "--batch",
      split = ",",
      paramLabel = "N",
      description = "Frames per call (default: 1)")
  List<Integer> batches = new ArrayList<>(List.of(1));

  @Option(
      names = "--budget",
      split = ",",
      paramLabel = "MS",
      description = "Latency budgets in milliseconds, or 'none' (default: none)")
  List<String> budgets = new ArrayList<>(List.of("none"));

  @Option(
      names = "--contend",
      split = ",",
      paramLabel = "N",
      description =
          "Busy background threads while a cell runs, to measure budget adherence under load (default: 0)")
  List<Integer> contend = new ArrayList<>(List.of(0));

  @Option(
      names = "--tiles",
      split = ",",
      paramLabel = "T",
      description =
          "Sliced inference, one cell each: off, auto or a tile count N (as detect --tiles). Cells then"
              + " run the traffic-light detector pipeline (with the model's default state classifier)"
              + " instead of a bare session call; traffic-light models only (default: not set)")
  @Nullable List<String> tiles;

  @Option(
      names = "--tile-size",
      split = ",",
      paramLabel = "PX",
      description =
          "Tile sides in frame pixels, one cell each, or 'model' for the model's input size; sliced"
              + " cells only (needs --tiles auto or N; default: model)")
  @Nullable List<String> tileSizes;

  @Option(
      names = "--policy",
      defaultValue = "run_anyway",
      description =
          "Admission when the budget cannot fit: reject, run_anyway, degrade (default: ${DEFAULT-VALUE})")
  String policy;

  @Option(
      names = "--runs",
      defaultValue = "100",
      description = "Measured calls per cell (default: ${DEFAULT-VALUE})")
  int runs;

  @Option(
      names = "--duration",
      defaultValue = "0",
      paramLabel = "SECONDS",
      description = "Measure each cell for this long instead (--runs is then a cap; default: off)")
  double durationSeconds;

  @Option(
      names = "--interleave",
      description =
          "Run all cells in the same rounds (one call per cell per round, the order reversed every"
              + " other round), so that a shared machine's load drift falls on every cell alike;"
              + " all sessions stay open; not with --contend or --duration (default: one cell after"
              + " another)")
  boolean interleave;

  @Option(
      names = "--warmup",
      defaultValue = "10",
      description = "Unmeasured warm-up calls per cell (default: ${DEFAULT-VALUE})")
  int warmup;

  @Option(names = "--image", description = "One image file to run on")
  @Nullable Path image;

  @Option(
      names = "--frames",
      paramLabel = "DIR",
      description =
          "A folder of images (jpg, jpeg, png, bmp), cycled through (default: the bundled street scene)")
  @Nullable Path framesDir;

  @picocli.CommandLine.Mixin ModelPin pin = new ModelPin();

  @Option(names = "--json", description = "Print the report as JSON on stdout instead of the table")
  boolean json;

  @Option(names = "--out", paramLabel = "FILE", description = "Also write the JSON report to FILE")
  @Nullable Path jsonFile;

  @Option(
      names = "--html",
      paramLabel = "FILE",
      description = "Write a self-contained HTML report to FILE")
  @Nullable Path htmlFile;

  @Option(
      names = "--baseline",
      paramLabel = "OLD.json",
      description =
          "Compare with an earlier report; exit status 3 on a regression beyond the noise")
  @Nullable Path baseline;

  @Option(
      names = "--min-threshold",
      defaultValue = "0.01",
      description = "Floor of the noise threshold for --baseline (default: ${DEFAULT-VALUE})")
  double minThreshold;

  @Option(
      names = "--cold-start",
      defaultValue = "0",
      paramLabel = "PAIRS",
      description =
          "Also time PAIRS interleaved cold launches of 'detect' against a bare ONNX Runtime JVM (default: off)")
  int coldStartPairs;

  @Option(
      names = "--cold-start-jvm-option",
      paramLabel = "OPT",
      description =
          "Extra JVM option for the cold-start detect launches (not the baseline), repeatable, e.g. "
              + "-Dedgevision.native.cache=off or -XX:SharedArchiveFile=cli/target/edgevision-cli.jsa")
  List<String> coldStartJvmOptions = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    if (runs < 1 || warmup < 0 || durationSeconds < 0 || coldStartPairs < 0) {
      throw new IllegalArgumentException(
          "--runs must be >= 1, --warmup, --duration and --cold-start >= 0, got "
              + runs
              + ", "
              + warmup
              + ", "
              + durationSeconds
              + " and "
              + coldStartPairs);
    }
    if (image != null && framesDir != null) {
      throw new IllegalArgumentException("give --image or --frames, not both");
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    AdmissionPolicy admission = AdmissionPolicy.valueOf(policy.toUpperCase(Locale.ROOT));
    List<Optional<Long>> budgetValues = budgets.stream().map(BenchMatrix::parseBudget).toList();
    if (providers != null && providerChain != null) {
      throw new IllegalArgumentException(
          "give --provider (one cell each) or --providers (one chain), not both");
    }
    List<String> providerAxis =
        providerChain != null
            ? List.of(String.join("+", providerChain))
            : providers != null ? providers : List.of("cpu");
    if (tileSizes != null && tiles == null) {
      throw new IllegalArgumentException("--tile-size needs --tiles auto or N, got no --tiles");
    }
    List<Optional<String>> tileAxis =
        tiles == null ? List.of(Optional.empty()) : tiles.stream().map(Optional::of).toList();
    List<Optional<Integer>> tileSizeAxis =
        tileSizes == null
            ? List.of(Optional.empty())
            : tileSizes.stream().map(BenchMatrix::parseTileSize).toList();
    List<BenchCell> cells =
        new BenchMatrix(
                models,
                providerAxis,
                sizes,
                threads,
                batches,
                budgetValues,
                contend,
                tileAxis,
                tileSizeAxis)
            .cells();
    @Nullable BenchReport old = baseline == null ? null : BenchReport.read(baseline);
    String framesLabel;
    List<ImageFrame> frames;
    if (framesDir != null) {
      frames = readFolder(framesDir);
      framesLabel = framesDir.toString();
    } else if (image != null) {
      frames = List.of(ImageFrames.read(image));
      framesLabel = image.toString();
    } else {
      frames = List.of(ModelCatalog.sampleScene());
      framesLabel = "classpath:" + ModelCatalog.SAMPLE_SCENE_RESOURCE;
    }
    BenchReport.Host host = BenchReport.Host.current();
    BenchCellRunner runner =
        new BenchCellRunner(frames, warmup, runs, durationSeconds, admission, err, pinned());
    List<CellResult> results = new ArrayList<>();
    if (interleave) {
      err.printf(Locale.ROOT, "%d cells interleaved, %d rounds%n", cells.size(), runs);
      err.flush();
      results.addAll(runner.runInterleaved(cells));
      for (int i = 0; i < cells.size(); i++) {
        progressLine(err, i, cells.size(), results.get(i));
      }
    } else {
      for (int i = 0; i < cells.size(); i++) {
        BenchCell c = cells.get(i);
        err.printf(Locale.ROOT, "[%d/%d] %s%n", i + 1, cells.size(), c.key());
        err.flush();
        CellResult r = runner.run(c);
        progressLine(err, -1, cells.size(), r);
        results.add(r);
      }
    }
    @Nullable ColdStartResult cold = null;
    if (coldStartPairs > 0) {
      err.printf("cold start: %d pairs of fresh JVMs%n", coldStartPairs);
      cold = ColdStart.measure(coldStartPairs, coldStartJvmOptions, err);
    }
    BenchReport report =
        new BenchReport(
            BenchReport.SCHEMA,
            BenchReport.SCHEMA_VERSION,
            Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(),
            host,
            new BenchReport.Settings(
                warmup,
                runs,
                durationSeconds,
                framesLabel,
                frames.size(),
                admission.name(),
                interleave),
            results,
            cold);
    Comparison.@Nullable Result cmp =
        old == null ? null : Comparison.compare(old, report, minThreshold);
    if (jsonFile != null) {
      Files.writeString(jsonFile, report.toJson());
    }
    if (htmlFile != null) {
      Files.writeString(htmlFile, HtmlReport.render(report, cmp));
    }
    if (json) {
      out.println(report.toJson());
    } else {
      printTable(out, report);
    }
    if (cmp != null) {
      err.print(cmp.toTable());
      err.flush();
      return cmp.hasRegression() ? BenchCompareCommand.EXIT_REGRESSION : 0;
    }
    return 0;
  }

  /** One cell's summary on stderr; {@code index} >= 0 prefixes its {@code [i/n] key}. */
  private static void progressLine(PrintWriter err, int index, int cells, CellResult r) {
    if (index >= 0) {
      err.printf(Locale.ROOT, "[%d/%d] %s%n", index + 1, cells, r.cell().key());
    }
    err.printf(
        Locale.ROOT,
        "  %d calls in %.1f s: p50 %.3f ms, p95 %.3f ms, p99 %.3f ms%n",
        r.runs(),
        r.seconds(),
        r.total().p50Ms(),
        r.total().p95Ms(),
        r.total().p99Ms());
    err.flush();
  }

  static List<ImageFrame> readFolder(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException("--frames must be a folder of images, got " + dir);
    }
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files =
          s.filter(
                  p ->
                      p.getFileName()
                          .toString()
                          .toLowerCase(Locale.ROOT)
                          .matches(".*\\.(jpe?g|png|bmp)"))
              .sorted()
              .toList();
    }
    if (files.isEmpty()) {
      throw new EdgeVisionException(
          ErrorCode.BAD_INPUT,
          "no images (jpg, jpeg, png, bmp) in " + dir + " (expected at least one frame)");
    }
    List<ImageFrame> frames = new ArrayList<>();
    for (Path f : files) {
      frames.add(ImageFrames.read(f));
    }
    return frames;
  }

  /** {@code --sha256} pins one model: with a matrix of several it would be ambiguous. */
  private @Nullable String pinned() {
    String sha = pin.value();
    if (sha != null && models.size() != 1) {
      throw new IllegalArgumentException(
          "--sha256 pins one model, got " + models.size() + " models: " + models);
    }
    return sha;
  }

  private static void printTable(PrintWriter out, BenchReport report) {
    out.printf(
        Locale.ROOT,
        "frames %s (%d), warm-up %d, runs %d per cell%s, policy %s, %d CPUs, load %.2f%n",
        report.settings().frames(),
        report.settings().frameCount(),
        report.settings().warmup(),
        report.settings().runs(),
        report.settings().interleaved() ? " (interleaved)" : "",
        report.settings().policy(),
        report.host().cpus(),
        report.host().loadAverage());
    for (int i = 0; i < report.cells().size(); i++) {
      CellResult c = report.cells().get(i);
      out.printf(Locale.ROOT, "%n%d. %s -> %s%n", i + 1, c.cell().key(), c.selectedProvider());
      out.printf(
          Locale.ROOT,
          "   %-12s %8s %10s %10s %10s %10s %10s%n",
          "stage",
          "count",
          "p50 ms",
          "p90 ms",
          "p95 ms",
          "p99 ms",
          "max ms");
      for (Map.Entry<String, LatencySummary> e :
          c.stages().entrySet().stream()
              .sorted(Map.Entry.comparingByKey(BenchCommand::stageOrder))
              .toList()) {
        row(out, e.getKey(), e.getValue());
      }
      row(out, "total", c.total());
      DetectorSummary d = c.detector();
      if (d != null) {
        out.printf(
            Locale.ROOT,
            "   tiles %s: %d of %d calls sliced, %s tiles%s%s%s, %d budget-limited, %d lights"
                + " (last call)%s%n",
            c.cell().tiles(),
            d.slicedCalls(),
            c.runs(),
            d.tilesMin() == d.tilesMax() ? d.tilesMax() : d.tilesMin() + ".." + d.tilesMax(),
            d.slicedCalls() > 0
                ? String.format(Locale.ROOT, " of %dx%d px", d.tileWidth(), d.tileHeight())
                : "",
            d.fullFrame() ? " + full frame" : "",
            d.slicedCalls() > 0 ? (d.batched() ? ", one batch" : ", one by one") : "",
            d.budgetLimitedCalls(),
            d.lights(),
            d.reason().isEmpty() ? "" : " (" + d.reason() + ")");
      }
      pairedLine(out, "cell 1", c.pairedRatioToFirst());
      pairedLine(out, "the model's first cell", c.pairedRatioToModelFirst());
      out.printf(
          Locale.ROOT,
          "   p50 95%% CI %.3f .. %.3f ms, %.1f frames/s, peak RSS %s, peak heap %.0f MiB%n",
          c.totalP50CiMs()[0],
          c.totalP50CiMs()[1],
          c.throughputFps(),
          c.peakRssBytes() < 0
              ? "n/a"
              : String.format(Locale.ROOT, "%.0f MiB", c.peakRssBytes() / 1048576.0),
          c.peakHeapBytes() / 1048576.0);
      StringBuilder sb = new StringBuilder("   outcomes");
      c.outcomes().entrySet().stream()
          .sorted(Map.Entry.comparingByKey())
          .forEach(e -> sb.append(' ').append(e.getKey()).append('=').append(e.getValue()));
      if (c.budgetMissRate() != null) {
        sb.append(String.format(Locale.ROOT, "; budget miss rate %.3f", c.budgetMissRate()));
      }
      if (c.budgetP99Ms() != null) {
        sb.append(
            String.format(
                Locale.ROOT,
                "; p99 of completed+cancelled %.3f ms vs budget %d ms",
                c.budgetP99Ms(),
                c.cell().budgetMs()));
      }
      out.println(sb);
      Object sha = c.fingerprint().get("model_sha256");
      out.printf(
          "   fingerprint model %s, onnxruntime %s, sdk %s%n",
          sha == null ? "-" : sha.toString().substring(0, Math.min(16, sha.toString().length())),
          c.fingerprint().get("onnxruntime_version"),
          c.fingerprint().get("sdk_version"));
    }
    ColdStartResult cold = report.coldStart();
    if (cold != null) {
      out.printf(
          Locale.ROOT,
          "%ncold start (%d pairs): detect %.0f ms, bare ONNX Runtime %.0f ms, detect/bare %.2fx "
              + "(95%% CI %.2f .. %.2f)%n",
          cold.pairs(),
          cold.detectMedianMs(),
          cold.bareMedianMs(),
          cold.ratio(),
          cold.ratioCi()[0],
          cold.ratioCi()[1]);
      if (cold.cpuRatio() > 0) {
        out.printf(
            Locale.ROOT,
            "cold start CPU time: detect %.0f ms, bare %.0f ms, detect/bare %.2fx (95%% CI %.2f .. %.2f)%n",
            cold.detectCpuMedianMs(),
            cold.bareCpuMedianMs(),
            cold.cpuRatio(),
            cold.cpuRatioCi()[0],
            cold.cpuRatioCi()[1]);
      }
    }
  }

  private static void pairedLine(PrintWriter out, String against, double @Nullable [] r) {
    if (r != null) {
      out.printf(
          Locale.ROOT,
          "   ÷ %s, median of per-round ratios: %.3f (95%% CI %.3f .. %.3f)%n",
          against,
          r[0],
          r[1],
          r[2]);
    }
  }

  private static int stageOrder(String a, String b) {
    List<String> order = BenchCellRunner.DETECTOR_STAGES;
    return Integer.compare(order.indexOf(a), order.indexOf(b));
  }

  private static void row(PrintWriter out, String name, LatencySummary h) {
    if (h.count() == 0) {
      out.printf("   %-12s %8d %10s %10s %10s %10s %10s%n", name, 0, "-", "-", "-", "-", "-");
      return;
    }
    out.printf(
        Locale.ROOT,
        "   %-12s %8d %10.3f %10.3f %10.3f %10.3f %10.3f%n",
        name,
        h.count(),
        h.p50Ms(),
        h.p90Ms(),
        h.p95Ms(),
        h.p99Ms(),
        h.maxMs());
  }
}
