package io.edgevision.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BenchMatrixTest {
  private static BenchMatrix matrix(
      List<String> models, List<Integer> threads, List<Optional<Long>> budgets) {
    return new BenchMatrix(
        models, List.of("cpu"), List.of("native"), threads, List.of(1), budgets, List.of(0));
  }

  @Test
  void cellsAreTheCartesianProductInAFixedOrder() {
    List<BenchCell> cells =
        matrix(List.of("a", "b"), List.of(1, 2), List.of(Optional.empty(), Optional.of(30L)))
            .cells();
    assertThat(cells).hasSize(8);
    // model outermost, budget innermost of the listed axes
    assertThat(cells.get(0).key())
        .isEqualTo("model=a provider=cpu size=native threads=1 batch=1 budget=none contend=0");
    assertThat(cells.get(1).key())
        .isEqualTo("model=a provider=cpu size=native threads=1 batch=1 budget=30ms contend=0");
    assertThat(cells.get(2).threads()).isEqualTo(2);
    assertThat(cells.get(4).model()).isEqualTo("b");
  }

  @Test
  void aValueListedTwiceGivesItsCellsOnce() {
    assertThat(matrix(List.of("a", "a"), List.of(1, 1), List.of(Optional.empty())).cells())
        .hasSize(1);
  }

  @Test
  void refusesEmptyAxesAndHugeProducts() {
    assertThatThrownBy(() -> matrix(List.of(), List.of(1), List.of(Optional.empty())))
        .hasMessage("models must list at least one value, got none");
    List<Integer> many = Collections.nCopies(1, 0);
    List<String> models = java.util.stream.IntStream.range(0, 600).mapToObj(i -> "m" + i).toList();
    assertThatThrownBy(() -> matrix(models, many, List.of(Optional.empty())))
        .hasMessageContaining("has 600 cells, expected at most 512");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        // frame size not WxH
        "1280|0|1|0|frame size must be WxH",
        // zero width
        "0x720|0|1|0|frame size must be WxH",
        // negative threads
        "native|-1|1|0|threads must be >= 0",
        // batch 0
        "native|0|0|0|batch must be >= 1, got 0",
        // negative contention
        "native|0|1|-2|contend must be >= 0 busy threads, got -2"
      })
  void cellValidatesEachAxis(String size, int threads, int batch, int contend, String message) {
    assertThatThrownBy(() -> new BenchCell("m", "cpu", size, threads, batch, null, contend))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }

  @ParameterizedTest
  @CsvSource({
    // plain milliseconds
    "30, 30",
    // 'none' and 'unlimited' mean no budget
    "none, -1",
    "UNLIMITED, -1"
  })
  void parsesBudgets(String token, long expected) {
    assertThat(BenchMatrix.parseBudget(token))
        .isEqualTo(expected < 0 ? Optional.empty() : Optional.of(expected));
  }

  @ParameterizedTest
  @CsvSource({"0", "-5", "fast", "1.5"})
  void refusesBadBudgets(String token) {
    assertThatThrownBy(() -> BenchMatrix.parseBudget(token))
        .hasMessage("budget (ms) must be a positive integer or 'none', got '" + token + "'");
  }

  @Test
  void parsesSizes() {
    assertThat(BenchCell.parseSize("1280x720")).containsExactly(1280, 720);
    assertThat(BenchCell.parseSize("640X480")).containsExactly(640, 480);
  }
}
