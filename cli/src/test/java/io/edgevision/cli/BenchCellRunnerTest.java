package io.edgevision.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
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
}
