package io.edgevision.cli.bench;

import static io.edgevision.cli.bench.Reports.cell;
import static io.edgevision.cli.bench.Reports.report;
import static io.edgevision.cli.bench.Reports.result;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class HtmlReportTest {
  static BenchReport sample() {
    CellResult a =
        result(
            cell("builtin:bench", null),
            0.11,
            new double[] {0.10, 0.12},
            0.3,
            new double[] {0.25, 0.4},
            null,
            200);
    CellResult b =
        result(
            cell("<model & \"x\">", 30L),
            12,
            new double[] {11.5, 12.5},
            40,
            new double[] {35, 45},
            0.08,
            200);
    ColdStartResult cold =
        new ColdStartResult(
            4,
            2400,
            800,
            3.0,
            new double[] {2.8, 3.2},
            1500,
            600,
            2.5,
            new double[] {2.4, 2.6},
            List.of("java"),
            List.of("java"));
    return report(List.of(a, b), cold);
  }

  @Test
  void hasOneCdfPerCellStageBarsTheTableAndNothingFromANetwork() {
    BenchReport r = sample();
    CellResult a = r.cells().get(0);
    CellResult b = r.cells().get(1);
    Comparison.Result cmp = Comparison.compare(report(List.of(a), null), r, 0.01);
    String html = HtmlReport.render(r, cmp);
    assertThat(Pattern.compile("<svg class=\"chart cdf\"").matcher(html).results().count())
        .isEqualTo(2);
    assertThat(html)
        .contains("<svg class=\"chart stages\"")
        .contains("<table id=\"cells\">")
        .contains("<table id=\"comparison\">")
        .contains("Cold start")
        .contains("3.00×")
        .contains("2.50×");
    // one CDF path per cell, a budget line only for the budgeted cell
    assertThat(Pattern.compile("<path d=\"M").matcher(html).results().count()).isEqualTo(2);
    assertThat(Pattern.compile("stroke-dasharray").matcher(html).results().count()).isEqualTo(1);
    // three stage rectangles per cell (waiting is zero) plus four legend squares
    assertThat(
            Pattern.compile("<rect x=\"[0-9.]+\" y=\"[0-9]+\" width=\"[0-9.]+\" height=\"16\"")
                .matcher(html)
                .results()
                .count())
        .isEqualTo(6);
    // user text is escaped
    assertThat(html).contains("&lt;model &amp; &quot;x&quot;&gt;").doesNotContain("<model & ");
    // self-contained: no external URL other than the SVG namespace, no external script or style
    assertThat(html.replace("http://www.w3.org/2000/svg", ""))
        .doesNotContain("http://")
        .doesNotContain("https://")
        .doesNotContain("src=")
        .doesNotContain("<link");
    assertThat(html).contains("12.000").contains("8.0 %"); // p50 of the second cell, its miss rate
  }

  @Test
  void showsTheTilesOfDetectorCellsInTheCellTable() {
    CellResult full =
        result(
            Reports.tiled("real", "off", null),
            50,
            new double[] {49, 51},
            70,
            new double[] {65, 75},
            null,
            100,
            new DetectorSummary(0, 0, 0, 0, 0, 0, true, false, 0, ""));
    CellResult sliced =
        result(
                Reports.tiled("real", "auto", 256),
                400,
                new double[] {390, 410},
                500,
                new double[] {480, 520},
                null,
                100,
                new DetectorSummary(100, 7, 6, 8, 256, 256, true, true, 3, ""))
            .withPairedRatios(new double[] {8.0, 7.5, 8.5}, new double[] {8.0, 7.5, 8.5});
    String html = HtmlReport.render(report(List.of(full, sliced), null), null);
    // cell 1: tiles off, no tile size, full frame; cell 2: AUTO at 256 px, the budget cut 7 calls
    assertThat(html)
        .contains("<td>off</td><td>model</td><td class=\"l\">full frame, 0 lights</td>")
        .contains(
            "<td>auto</td><td>256</td><td class=\"l\">6–8 × 256×256 px + full frame, one batch,"
                + " 7 budget-limited, 3 lights</td>");
    // the paired ratios of an interleaved run, and dashes for the reference cell
    assertThat(html)
        .contains("<td>8.000× (7.500 – 8.500)</td><td>8.000× (7.500 – 8.500)</td>")
        .contains("<td>1.000×</td><td>–</td><td>–</td>");
    // a bare-session cell has dashes in the three tile columns
    assertThat(HtmlReport.render(sample(), null))
        .contains("<td>0</td><td>–</td><td>–</td><td class=\"l\">–</td>");
  }

  @Test
  void rendersAnEmptyCellWithoutFailing() {
    CellResult empty =
        new CellResult(
            cell("m", null),
            "CPU",
            0,
            0,
            0,
            0,
            java.util.Map.of(),
            LatencySummary.EMPTY,
            new double[] {0, 0},
            new double[] {0, 0},
            java.util.Map.of(),
            null,
            null,
            -1,
            0,
            java.util.Map.of(),
            List.of(),
            null,
            null,
            null);
    String html = HtmlReport.render(report(List.of(empty), null), null);
    assertThat(html)
        .contains("<svg class=\"chart cdf\"")
        .doesNotContain("<path d=\"M")
        .doesNotContain("NaN");
  }
}
