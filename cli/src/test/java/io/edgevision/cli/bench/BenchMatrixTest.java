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

  private static BenchMatrix tiledMatrix(
      List<String> models, List<Optional<String>> tiles, List<Optional<Integer>> tileSizes) {
    return new BenchMatrix(
        models,
        List.of("cpu"),
        List.of("native"),
        List.of(0),
        List.of(1),
        List.of(Optional.empty()),
        List.of(0),
        tiles,
        tileSizes);
  }

  @Test
  void tilesAreTheInnermostAxesAndAnUnslicedCellHasNoTileSize() {
    List<BenchCell> cells =
        tiledMatrix(
                List.of("real", "builtin"),
                List.of(Optional.of("off"), Optional.of("AUTO"), Optional.of("4")),
                List.of(Optional.empty(), Optional.of(256)))
            .cells();
    // per model: off (one cell for both tile sizes), auto × 2 sizes, 4 × 2 sizes = 5
    assertThat(cells).hasSize(10);
    assertThat(cells.subList(0, 5))
        .extracting(BenchCell::key)
        .containsExactly(
            "model=real provider=cpu size=native threads=0 batch=1 budget=none contend=0 tiles=off",
            "model=real provider=cpu size=native threads=0 batch=1 budget=none contend=0 tiles=auto",
            "model=real provider=cpu size=native threads=0 batch=1 budget=none contend=0 tiles=auto"
                + " tile_size=256",
            "model=real provider=cpu size=native threads=0 batch=1 budget=none contend=0 tiles=4",
            "model=real provider=cpu size=native threads=0 batch=1 budget=none contend=0 tiles=4"
                + " tile_size=256");
    assertThat(cells.get(5).model()).isEqualTo("builtin");
    assertThat(cells).allMatch(BenchCell::detector);
  }

  @Test
  void withoutTheTilesAxisCellsAreBareSessionCallsWithTheSevenAxisKey() {
    List<BenchCell> cells =
        tiledMatrix(List.of("real"), List.of(Optional.empty()), List.of(Optional.empty())).cells();
    assertThat(cells).hasSize(1);
    assertThat(cells.get(0).detector()).isFalse();
    assertThat(cells.get(0).key())
        .isEqualTo("model=real provider=cpu size=native threads=0 batch=1 budget=none contend=0");
    // the seven-axis constructor is the same matrix
    assertThat(matrix(List.of("real"), List.of(0), List.of(Optional.empty())).cells())
        .isEqualTo(cells);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        // the CLI forms, canonicalised so that two spellings are one cell
        "off         | off",
        "Auto        | auto",
        "' 6 '       | 6",
        "007         | 7"
      })
  void normalisesTiles(String token, String expected) {
    assertThat(BenchCell.normaliseTiles(token)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        // zero tiles
        "0",
        // negative
        "-2",
        // a word detect does not take either
        "fixed",
        // a fraction
        "1.5"
      })
  void refusesBadTiles(String token) {
    assertThatThrownBy(
            () ->
                tiledMatrix(
                    List.of("real"), List.of(Optional.of(token)), List.of(Optional.empty())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("tiles must be off, auto or a tile count >= 1, got '" + token + "'");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        // the side in pixels
        "256   | 256",
        // the detector's floor
        "32    | 32",
        // the model's input size
        "model | -1"
      })
  void parsesTileSizes(String token, int expected) {
    assertThat(BenchMatrix.parseTileSize(token))
        .isEqualTo(expected < 0 ? Optional.empty() : Optional.of(expected));
  }

  @ParameterizedTest
  @CsvSource({"31", "0", "-64", "big"})
  void refusesBadTileSizes(String token) {
    assertThatThrownBy(() -> BenchMatrix.parseTileSize(token))
        .hasMessage("tile size must be an integer >= 32 (px) or 'model', got '" + token + "'");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        // the bundled image classifier is not a detector
        "classifier      | builtin:bench | auto | 1 | -1 | --tiles applies to traffic-light detectors"
            + " (builtin, real, real-atto, femto, atto, femto-raw, atto-raw or a DETR-family ONNX"
            + " file), got model 'builtin:bench' (an image classifier)",
        // a classpath resource is not resolved by the detector's catalogue
        "classpath       | classpath:x.onnx | off | 1 | -1 | --tiles applies to traffic-light"
            + " detectors",
        // the tiles are the batch of a detector call
        "batch           | real | auto | 2 | -1 | --batch must be 1, got 2",
        // a tile size for the full-frame pass
        "size with off   | real | off | 1 | 256 | tile size needs tiles auto or N, got tiles off",
        // below the detector's floor
        "tiny tile       | real | 4 | 1 | 16 | tile size must be >= 32 px, got 16"
      })
  void aDetectorCellRefusesWhatCannotApply(
      String name, String model, String tiles, int batch, int tileSize, String message) {
    assertThatThrownBy(
            () ->
                new BenchCell(
                    model,
                    "cpu",
                    "native",
                    0,
                    batch,
                    null,
                    0,
                    tiles,
                    tileSize < 0 ? null : tileSize))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }

  @Test
  void aTileSizeNeedsASlicedTilesValue() {
    // only off: the tile size could never apply
    assertThatThrownBy(
            () ->
                tiledMatrix(
                    List.of("real"), List.of(Optional.of("off")), List.of(Optional.of(256))))
        .hasMessage("--tile-size needs --tiles auto or N, got --tiles off");
    // no tiles at all
    assertThatThrownBy(
            () ->
                tiledMatrix(List.of("real"), List.of(Optional.empty()), List.of(Optional.of(256))))
        .hasMessage("--tile-size needs --tiles auto or N, got --tiles not set");
    // "not set" cannot be mixed with settings
    assertThatThrownBy(
            () ->
                tiledMatrix(
                    List.of("real"),
                    List.of(Optional.empty(), Optional.of("auto")),
                    List.of(Optional.empty())))
        .hasMessageContaining("tiles lists either settings (off, auto, N) or nothing");
  }

  @Test
  void parsesSizes() {
    assertThat(BenchCell.parseSize("1280x720")).containsExactly(1280, 720);
    assertThat(BenchCell.parseSize("640X480")).containsExactly(640, 480);
  }
}
