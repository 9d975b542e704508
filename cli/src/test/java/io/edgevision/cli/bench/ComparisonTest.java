package io.edgevision.cli.bench;

import static io.edgevision.cli.bench.Reports.cell;
import static io.edgevision.cli.bench.Reports.report;
import static io.edgevision.cli.bench.Reports.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.edgevision.cli.bench.Comparison.Verdict;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ComparisonTest {
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        // case                               | old p50 | old CI half | new p50 | new CI half |
        // verdict      | threshold
        "identical runs                       | 10      | 0.2         | 10      | 0.2         | WITHIN_NOISE | 0.04",
        "10 % slower, tight intervals         | 10      | 0.1         | 11      | 0.11        | REGRESSION   | 0.02",
        "10 % slower, wide intervals          | 10      | 0.8         | 11      | 0.88        | WITHIN_NOISE | 0.16",
        "10 % faster, tight intervals         | 10      | 0.1         | 9       | 0.09        | IMPROVEMENT  | 0.02",
        "zero-width intervals: the 1 % floor  | 10      | 0           | 10.05   | 0           | WITHIN_NOISE | 0.01",
        "zero-width intervals, 2 % slower     | 10      | 0           | 10.2    | 0           | REGRESSION   | 0.01"
      })
  void p50VerdictAgainstTheRunsOwnNoise(
      String name,
      double oldP50,
      double oldHalf,
      double newP50,
      double newHalf,
      Verdict verdict,
      double threshold) {
    Comparison.Row row =
        Comparison.latencyRow(
            "c",
            "p50_ms",
            oldP50,
            new double[] {oldP50 - oldHalf, oldP50 + oldHalf},
            newP50,
            new double[] {newP50 - newHalf, newP50 + newHalf},
            Comparison.DEFAULT_MIN_RELATIVE);
    assertThat(row.verdict()).isEqualTo(verdict);
    assertThat(row.threshold()).isCloseTo(threshold, within(1e-9));
    assertThat(row.change()).isCloseTo(newP50 / oldP50 - 1, within(1e-12));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        // case                                 | old rate | new rate | runs | verdict
        "no misses either side                  | 0        | 0        | 100  | WITHIN_NOISE",
        // pooled p = 0.03, 2 * sqrt(0.03 * 0.97 * 0.02) = 0.048: +0.02 is noise
        "2 % to 4 % over 100 calls              | 0.02     | 0.04     | 100  | WITHIN_NOISE",
        // pooled p = 0.11, threshold 0.0885: +0.18 is real
        "2 % to 20 % over 100 calls             | 0.02     | 0.20     | 100  | REGRESSION",
        // pooled p = 0.03, 2 * sqrt(0.03 * 0.97 * 0.0002) = 0.0048: +0.02 is real with 10,000 calls
        // each
        "2 % to 4 % over 10,000 calls           | 0.02     | 0.04     | 10000| REGRESSION",
        "20 % to 2 % over 100 calls             | 0.20     | 0.02     | 100  | IMPROVEMENT"
      })
  void missRateVerdictUsesTwoStandardErrors(
      String name, double oldRate, double newRate, int runs, Verdict verdict) {
    CellResult o =
        result(
            cell("m", 30L), 10, new double[] {9.9, 10.1}, 20, new double[] {19, 21}, oldRate, runs);
    CellResult n =
        result(
            cell("m", 30L), 10, new double[] {9.9, 10.1}, 20, new double[] {19, 21}, newRate, runs);
    Comparison.Row row = Comparison.missRateRow("m", o, n, Comparison.DEFAULT_MIN_RELATIVE);
    assertThat(row).isNotNull();
    assertThat(row.verdict()).isEqualTo(verdict);
  }

  @Test
  void matchesCellsByKeyAndListsTheUnmatched() {
    CellResult a =
        result(
            cell("a", null),
            10,
            new double[] {9.9, 10.1},
            20,
            new double[] {19.5, 20.5},
            null,
            100);
    CellResult b =
        result(
            cell("b", null),
            10,
            new double[] {9.9, 10.1},
            20,
            new double[] {19.5, 20.5},
            null,
            100);
    CellResult bSlow =
        result(
            cell("b", null),
            12,
            new double[] {11.9, 12.1},
            20,
            new double[] {19.5, 20.5},
            null,
            100);
    CellResult c =
        result(
            cell("c", null),
            10,
            new double[] {9.9, 10.1},
            20,
            new double[] {19.5, 20.5},
            null,
            100);
    Comparison.Result r =
        Comparison.compare(report(List.of(a, b), null), report(List.of(bSlow, c), null), 0.01);
    assertThat(r.rows())
        .extracting(Comparison.Row::metric)
        .containsExactly("p50_ms", "p99_ms"); // no budget: no miss row
    assertThat(r.rows().get(0).verdict()).isEqualTo(Verdict.REGRESSION);
    assertThat(r.rows().get(1).verdict()).isEqualTo(Verdict.WITHIN_NOISE);
    assertThat(r.hasRegression()).isTrue();
    assertThat(r.onlyInOld()).containsExactly(a.cell().key());
    assertThat(r.onlyInNew()).containsExactly(c.cell().key());
    assertThat(r.toTable())
        .contains("regression")
        .contains("+20.0%")
        .contains("only in old: model=a")
        .contains("only in new: model=c");
    assertThat(
            Comparison.compare(report(List.of(a, b), null), report(List.of(a, b), null), 0.01)
                .hasRegression())
        .isFalse();
  }

  @Test
  void matchesDetectorCellsByTilesAndTileSize() {
    double[] ci = {9.9, 10.1};
    double[] ci99 = {19.5, 20.5};
    CellResult off = result(Reports.tiled("real", "off", null), 10, ci, 20, ci99, null, 100);
    CellResult auto = result(Reports.tiled("real", "auto", null), 80, ci, 90, ci99, null, 100);
    CellResult auto256 = result(Reports.tiled("real", "auto", 256), 80, ci, 90, ci99, null, 100);
    CellResult bare = result(cell("real", null), 10, ci, 20, ci99, null, 100);
    // the sliced cell of the new run is far slower than the old full-frame cell, but they are
    // different cells: each is compared with its own counterpart only
    Comparison.Result r =
        Comparison.compare(
            report(List.of(off, auto, bare), null),
            report(List.of(auto, off, auto256), null),
            0.01);
    assertThat(r.rows())
        .extracting(Comparison.Row::cell)
        .containsExactly(auto.cell().key(), auto.cell().key(), off.cell().key(), off.cell().key());
    assertThat(r.hasRegression()).isFalse();
    // the bare-session cell of the same model is not the "tiles off" detector cell
    assertThat(r.onlyInOld()).containsExactly(bare.cell().key());
    assertThat(r.onlyInNew()).containsExactly(auto256.cell().key());
  }

  @Test
  void refusesAThresholdFloorOutsideTheUnitInterval() {
    BenchReport r = report(List.of(), null);
    assertThatThrownBy(() -> Comparison.compare(r, r, 1.5))
        .hasMessage("minimum threshold must be in [0, 1), got 1.5");
  }
}
