package io.edgevision.cli.bench;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Small hand-made reports for the harness tests. */
final class Reports {
  private Reports() {}

  static BenchCell cell(String model, @Nullable Long budgetMs) {
    return new BenchCell(model, "cpu", BenchCell.NATIVE_SIZE, 1, 1, budgetMs, 0);
  }

  /** A detector cell: the sliced-inference axis set. */
  static BenchCell tiled(String model, String tiles, @Nullable Integer tileSize) {
    return new BenchCell(model, "cpu", "1920x1080", 0, 1, null, 0, tiles, tileSize);
  }

  /** What AUTO does on 1920×1080 with a 416 px model: 8 tiles of 609 px + the full frame. */
  static final DetectorSummary AUTO_1080P =
      new DetectorSummary(100, 0, 8, 8, 609, 609, true, true, 3, "");

  /**
   * A cell result whose total p50/p99 and their intervals are given; other fields are consistent
   * filler.
   */
  static CellResult result(
      BenchCell cell,
      double p50,
      double[] p50Ci,
      double p99,
      double[] p99Ci,
      @Nullable Double missRate,
      int runs) {
    return result(cell, p50, p50Ci, p99, p99Ci, missRate, runs, null);
  }

  /** As above, with the detector summary of a detector cell (null for a bare-session cell). */
  static CellResult result(
      BenchCell cell,
      double p50,
      double[] p50Ci,
      double p99,
      double[] p99Ci,
      @Nullable Double missRate,
      int runs,
      @Nullable DetectorSummary detector) {
    LatencySummary total = new LatencySummary(runs, p50, p50, p50, p99, p99, p50);
    return new CellResult(
        cell,
        "CPU",
        runs,
        5,
        runs * p50 / 1000,
        1000 / p50,
        Map.of(
            "waiting",
            LatencySummary.EMPTY,
            "preprocess",
            new LatencySummary(runs, p50 / 10, p50 / 10, p50 / 10, p50 / 10, p50 / 10, p50 / 10),
            "inference",
            new LatencySummary(
                runs, p50 * 0.8, p50 * 0.8, p50 * 0.8, p99 * 0.8, p99 * 0.8, p50 * 0.8),
            "postprocess",
            new LatencySummary(runs, p50 / 10, p50 / 10, p50 / 10, p50 / 10, p50 / 10, p50 / 10)),
        total,
        p50Ci,
        p99Ci,
        Map.of("completed", runs),
        missRate,
        missRate == null ? null : p99,
        200L << 20,
        40L << 20,
        Map.of("model_sha256", "ab".repeat(32)),
        List.of(
            new double[] {p50 * 0.9, 0.01},
            new double[] {p50, 0.5},
            new double[] {p99, 0.99},
            new double[] {p99 * 1.1, 1.0}),
        detector,
        null,
        null);
  }

  static BenchReport report(List<CellResult> cells, @Nullable ColdStartResult cold) {
    return new BenchReport(
        BenchReport.SCHEMA,
        BenchReport.SCHEMA_VERSION,
        "2026-11-30T12:00:00Z",
        new BenchReport.Host("Linux 6.1", "amd64", 2, "17.0.15", 2.5),
        new BenchReport.Settings(5, 100, 0, "classpath:scene.jpg", 1, "RUN_ANYWAY", false),
        cells,
        cold);
  }
}
