package io.edgevision.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgevision.cli.bench.BenchCell;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BenchCellRunnerTest {
  @ParameterizedTest(name = "{0} cells, round {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        // two cells: ABBA
        "2 | 0 | 0 1",
        "2 | 1 | 1 0",
        "2 | 2 | 0 1",
        "2 | 3 | 1 0",
        // three cells: forward, then backward, so each cell's mean position is the same
        "3 | 0 | 0 1 2",
        "3 | 1 | 2 1 0",
        // one cell: nothing to rotate
        "1 | 1 | 0"
      })
  void interleavedRoundsReverseTheOrderEveryOtherRound(int cells, int round, String expected) {
    String order =
        Arrays.stream(BenchCellRunner.roundOrder(cells, round))
            .mapToObj(Integer::toString)
            .collect(Collectors.joining(" "));
    assertThat(order).isEqualTo(expected);
  }

  @ParameterizedTest(name = "cell {0}")
  @CsvSource({
    // the first cell of a model is its own reference
    "0, 0",
    // real auto against real off
    "1, 0",
    // builtin off starts the second model
    "2, 2",
    // builtin auto against builtin off
    "3, 2"
  })
  void theModelsFirstCellIsTheReferenceOfItsPairedRatio(int cell, int expected) {
    List<BenchCell> cells =
        List.of(
            new BenchCell("real", "cpu", "native", 0, 1, null, 0, "off", null),
            new BenchCell("real", "cpu", "native", 0, 1, null, 0, "auto", null),
            new BenchCell("builtin", "cpu", "native", 0, 1, null, 0, "off", null),
            new BenchCell("builtin", "cpu", "native", 0, 1, null, 0, "auto", null));
    assertThat(BenchCellRunner.firstOfModel(cells, cell)).isEqualTo(expected);
  }
}
