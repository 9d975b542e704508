package io.edgevision.cli.bench;

import static io.edgevision.cli.bench.Reports.cell;
import static io.edgevision.cli.bench.Reports.report;
import static io.edgevision.cli.bench.Reports.result;
import static io.edgevision.cli.bench.Reports.tiled;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BenchReportTest {
  @Test
  void roundTripsThroughJsonWithTheDocumentedFieldNames(@TempDir Path dir) throws Exception {
    CellResult c =
        result(cell("m", 30L), 10, new double[] {9.8, 10.2}, 20, new double[] {18, 22}, 0.05, 100);
    ColdStartResult cold =
        new ColdStartResult(
            5,
            2500,
            900,
            2.7,
            new double[] {2.5, 2.9},
            1500,
            700,
            2.1,
            new double[] {2.0, 2.2},
            List.of("java", "detect"),
            List.of("java", "probe"));
    BenchReport r = report(List.of(c), cold);
    Path f = dir.resolve("r.json");
    Files.writeString(f, r.toJson());
    JsonNode j = new ObjectMapper().readTree(f.toFile());
    // the field names docs/BENCHMARK_HARNESS.md documents
    assertThat(j.get("schema").asText()).isEqualTo("edgevision.bench");
    assertThat(j.get("schema_version").asInt()).isEqualTo(2);
    assertThat(j.get("settings").get("interleaved").asBoolean()).isFalse();
    JsonNode cell = j.get("cells").get(0);
    assertThat(cell.get("cell").get("budget_ms").asLong()).isEqualTo(30);
    assertThat(cell.get("cell").has("key")).isFalse();
    assertThat(cell.get("total").get("p99_ms").asDouble()).isEqualTo(20);
    assertThat(cell.get("total").get("p95_ms").asDouble()).isEqualTo(10);
    assertThat(cell.get("stages").get("inference").get("p95_ms").asDouble()).isEqualTo(8);
    assertThat(cell.get("total_p50_ci_ms").get(1).asDouble()).isEqualTo(10.2);
    assertThat(cell.get("budget_miss_rate").asDouble()).isEqualTo(0.05);
    assertThat(cell.get("stages").get("inference").get("p50_ms").asDouble()).isEqualTo(8);
    assertThat(cell.get("peak_rss_bytes").asLong()).isEqualTo(200L << 20);
    assertThat(cell.get("cdf").get(1).get(1).asDouble()).isEqualTo(0.5);
    assertThat(j.get("cold_start").get("ratio_ci").get(0).asDouble()).isEqualTo(2.5);
    assertThat(j.get("cold_start").get("cpu_ratio").asDouble()).isEqualTo(2.1);

    BenchReport back = BenchReport.read(f);
    assertThat(back.cells().get(0).cell()).isEqualTo(c.cell());
    assertThat(back.cells().get(0).total()).isEqualTo(c.total());
    assertThat(back.cells().get(0).budgetMissRate()).isEqualTo(0.05);
    assertThat(back.coldStart().ratio()).isEqualTo(2.7);
    assertThat(back.toJson()).isEqualTo(r.toJson());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        // not JSON at all
        "garbage               | not json            | is not JSON",
        // JSON of another tool
        "other schema          | {\"schema\":\"x\"}  | is not an EdgeVision bench report: expected \"schema\": \"edgevision.bench\", got \"x\"",
        // a future version
        "newer version         | {\"schema\":\"edgevision.bench\",\"schema_version\":3} | has bench report schema version 3, this edgevision reads 2",
        // version 1 had no tiles axis: its cells cannot be matched safely with version 2 cells
        "version 1             | {\"schema\":\"edgevision.bench\",\"schema_version\":1} | has bench report schema version 1, this edgevision reads 2 (re-run",
        // the right header, a wrong body
        "bad body              | {\"schema\":\"edgevision.bench\",\"schema_version\":2,\"cells\":{}} | is not a valid bench report"
      })
  void refusesWhatItCannotRead(String name, String content, String message, @TempDir Path dir)
      throws Exception {
    Path f = dir.resolve("r.json");
    Files.writeString(f, content);
    assertThatThrownBy(() -> BenchReport.read(f))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }

  @Test
  void roundTripsADetectorCellWithItsTilesAndTiling(@TempDir Path dir) throws Exception {
    CellResult sliced =
        result(
            tiled("real", "auto", 256),
            400,
            new double[] {390, 410},
            500,
            new double[] {480, 520},
            null,
            100,
            Reports.AUTO_1080P);
    CellResult full =
        result(
            tiled("real", "off", null),
            50,
            new double[] {49, 51},
            70,
            new double[] {65, 75},
            null,
            100,
            new DetectorSummary(0, 0, 0, 0, 0, 0, true, false, 0, ""));
    CellResult bare =
        result(cell("real", null), 40, new double[] {39, 41}, 60, new double[] {55, 65}, null, 100);
    sliced = sliced.withPairedRatios(new double[] {8.0, 7.5, 8.4}, new double[] {8.0, 7.5, 8.4});
    BenchReport r = report(List.of(full, sliced, bare), null);
    Path f = dir.resolve("r.json");
    Files.writeString(f, r.toJson());
    JsonNode cells = new ObjectMapper().readTree(f.toFile()).get("cells");
    // the documented fields: cell.tiles and cell.tile_size (null where not set), detector
    assertThat(cells.get(0).get("cell").get("tiles").asText()).isEqualTo("off");
    assertThat(cells.get(0).get("cell").get("tile_size").isNull()).isTrue();
    assertThat(cells.get(1).get("cell").get("tile_size").asInt()).isEqualTo(256);
    assertThat(cells.get(1).get("detector").get("tiles_max").asInt()).isEqualTo(8);
    assertThat(cells.get(1).get("detector").get("tile_width").asInt()).isEqualTo(609);
    assertThat(cells.get(1).get("detector").get("sliced_calls").asInt()).isEqualTo(100);
    assertThat(cells.get(2).get("cell").get("tiles").isNull()).isTrue();
    assertThat(cells.get(2).get("detector").isNull()).isTrue();
    assertThat(cells.get(1).get("paired_ratio_to_first").get(2).asDouble()).isEqualTo(8.4);
    assertThat(cells.get(0).get("paired_ratio_to_model_first").isNull()).isTrue();

    BenchReport back = BenchReport.read(f);
    assertThat(back.cells())
        .extracting(CellResult::cell)
        .containsExactly(full.cell(), sliced.cell(), bare.cell());
    assertThat(back.cells().get(1).detector()).isEqualTo(Reports.AUTO_1080P);
    assertThat(back.cells().get(2).detector()).isNull();
    assertThat(back.toJson()).isEqualTo(r.toJson());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        // two numbers instead of three
        "too short       | 1.0, 0.9",
        // the median outside its interval
        "median outside  | 2.0, 0.9, 1.1",
        // a reversed interval
        "reversed        | 1.0, 1.1, 0.9"
      })
  void aPairedRatioMustBeAMedianInsideItsInterval(String name, String values) {
    double[] r =
        java.util.Arrays.stream(values.split(",")).mapToDouble(Double::parseDouble).toArray();
    CellResult c =
        result(cell("m", null), 10, new double[] {9, 11}, 20, new double[] {19, 21}, null, 10);
    assertThatThrownBy(() -> c.withPairedRatios(r, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("paired_ratio_to_first must be [median, lower, upper]");
  }

  @Test
  void cdfPointsSpanTheSamplesInRankOrder() {
    long[] ns = new long[1000];
    for (int i = 0; i < ns.length; i++) {
      ns[i] = (ns.length - i) * 1_000_000L; // 1000 ms down to 1 ms
    }
    List<double[]> cdf = CellResult.cdfPoints(ns, 11);
    assertThat(cdf).hasSize(11);
    assertThat(cdf.get(0)).containsExactly(1.0, 0.001);
    assertThat(cdf.get(10)).containsExactly(1000.0, 1.0);
    for (int i = 1; i < cdf.size(); i++) {
      assertThat(cdf.get(i)[0]).isGreaterThanOrEqualTo(cdf.get(i - 1)[0]);
      assertThat(cdf.get(i)[1]).isGreaterThan(cdf.get(i - 1)[1]);
    }
    assertThat(CellResult.cdfPoints(new long[] {5_000_000L}, 200)).hasSize(1);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        // p50 above p90
        "p50 > p90 | 5 | 4 | 5 | 6 | 7 | p50 5.0, p90 4.0, p95 5.0",
        // p95 below p90
        "p95 < p90 | 4 | 5 | 4.5 | 6 | 7 | p90 5.0, p95 4.5, p99 6.0",
        // p95 above p99
        "p95 > p99 | 4 | 5 | 6.5 | 6 | 7 | p95 6.5, p99 6.0"
      })
  void latencySummaryRefusesUnorderedPercentiles(
      String name, double p50, double p90, double p95, double p99, double max, String message) {
    assertThatThrownBy(() -> new LatencySummary(3, p50, p90, p95, p99, max, 5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("0 <= p50 <= p90 <= p95 <= p99 <= max")
        .hasMessageContaining(message);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    // 1..100 ms once each: the k-th percentile is k ms
    "1, 100, 50, 90, 95, 99, 100",
    // 1..1000 ms: HdrHistogram keeps 3 significant digits
    "1, 1000, 500, 900, 950, 990, 1000",
    // one value: every percentile is that value
    "7, 7, 7, 7, 7, 7, 7"
  })
  void latencySummaryPercentilesOfAHistogram(
      int fromMs, int toMs, double p50, double p90, double p95, double p99, double max) {
    org.HdrHistogram.Histogram h = LatencySummary.newHistogram();
    for (long ms = fromMs; ms <= toMs; ms++) {
      h.recordValue(ms * 1_000_000L);
    }
    LatencySummary s = LatencySummary.of(h);
    assertThat(s.count()).isEqualTo(toMs - fromMs + 1);
    // within HdrHistogram's 3 significant digits (0.1 %)
    assertThat(s.p50Ms()).isCloseTo(p50, org.assertj.core.data.Percentage.withPercentage(0.1));
    assertThat(s.p90Ms()).isCloseTo(p90, org.assertj.core.data.Percentage.withPercentage(0.1));
    assertThat(s.p95Ms()).isCloseTo(p95, org.assertj.core.data.Percentage.withPercentage(0.1));
    assertThat(s.p99Ms()).isCloseTo(p99, org.assertj.core.data.Percentage.withPercentage(0.1));
    assertThat(s.maxMs()).isCloseTo(max, org.assertj.core.data.Percentage.withPercentage(0.1));
  }
}
