package io.edgevision.detectors.traffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SlicingTest {
  private static final long MS = 1_000_000L;

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = ';',
      value = {
        // OFF never slices
        "off, 1080p;                 off;  1920; 1080; -1;   -1; 0; true;  0; false",
        // AUTO: 640x480 is sqrt(307200 / 173056) = 1.33x a 416 model, below 2: full frame
        "auto, 640x480;              auto; 640;  480;  -1;   -1; 0; true;  0; false",
        // AUTO: 1080p is 3.5x: sliced, the 18-tile grid enlarged to at most 8 tiles, plus the full
        // frame
        "auto, 1080p;                auto; 1920; 1080; -1;   -1; 8; true;  8; false",
        // FIXED on a frame smaller than a tile: one tile = the frame, so the full frame alone
        "fixed 4, 300x200;           4;    300;  200;  -1;   -1; 0; true;  0; false",
        // FIXED 6 on 1080p: 811 px tiles, 3 x 2
        "fixed 6, 1080p;             6;    1920; 1080; -1;   -1; 6; true;  6; false",
        // unknown cost: nothing is cut, whatever the budget
        "no estimate, tiny budget;   6;    1920; 1080; 1;    -1; 6; true;  6; false",
        // budget fits every image (6 tiles + full frame = 7 at 10 ms = 70 ms)
        "budget fits all;            6;    1920; 1080; 70;   10; 6; true;  6; false",
        // budget fits 5 images: the full frame and at most 4 tiles (planAtMost 4 gives 4: 3 x 2 ->
        // 2 x 2)
        "budget fits 5;              6;    1920; 1080; 55;   10; 4; true;  6; true",
        // budget fits 3: full frame + at most 2 tiles (two 1187x1080 columns)
        "budget fits 3;              6;    1920; 1080; 39;   10; 2; true;  6; true",
        // budget fits 2: one tile would be the frame again, so the full frame alone
        "budget fits 2;              6;    1920; 1080; 25;   10; 0; true;  6; true",
        // budget fits nothing: the full frame alone (the session's admission decides what then
        // happens)
        "budget spent;               6;    1920; 1080; 0;    10; 0; true;  6; true",
      })
  void plansWithinTheBudget(
      String name,
      String tiles,
      int fw,
      int fh,
      long remainingMs,
      long costMs,
      int expectTiles,
      boolean expectFull,
      int expectPlanned,
      boolean expectCut) {
    Slicing s = Slicing.parse(tiles);
    long remaining = remainingMs < 0 ? Long.MAX_VALUE : remainingMs * MS;
    long cost = costMs < 0 ? -1 : costMs * MS;
    Slicing.Plan p = s.plan(fw, fh, 416, 416, remaining, cost);
    assertThat(p.tiles()).hasSize(expectTiles);
    assertThat(p.fullFrame()).isEqualTo(expectFull);
    assertThat(p.plannedTiles()).isEqualTo(expectPlanned);
    assertThat(p.budgetLimited()).isEqualTo(expectCut);
    assertThat(p.images())
        .isLessThanOrEqualTo(
            remainingMs < 0 || costMs < 0 || !expectCut
                ? Integer.MAX_VALUE
                : (int) Math.max(1, remainingMs / costMs));
    if (expectCut) {
      assertThat(p.reason()).contains("budget").contains("fits");
    }
  }

  @ParameterizedTest(name = "without the full-frame pass: {0}")
  @CsvSource(
      delimiter = ';',
      value = {
        // 3 images fit, all for tiles: the enlarging grid jumps from 4 (2 x 2) to 2 columns of 1187
        // px
        "fits 3; 35; 2; true",
        // 1 image fits: full frame only (a single tile would be the full frame)
        "fits 1; 15; 0; true",
      })
  void withoutFullFrameTheBudgetGoesToTiles(
      String name, long remainingMs, int expectTiles, boolean cut) {
    Slicing s = Slicing.tiles(6).toBuilder().fullFrame(false).build();
    Slicing.Plan p = s.plan(1920, 1080, 416, 416, remainingMs * MS, 10 * MS);
    assertThat(p.tiles()).hasSize(expectTiles);
    assertThat(p.fullFrame()).isEqualTo(expectTiles == 0);
    assertThat(p.budgetLimited()).isEqualTo(cut);
  }

  @ParameterizedTest(name = "parse {0}")
  @CsvSource(
      delimiter = ';',
      value = {"off; OFF; 8", "AUTO; AUTO; 8", "12; FIXED; 12", " 3 ; FIXED; 3"})
  void parsesTheCliForm(String text, Slicing.Mode mode, int maxTiles) {
    Slicing s = Slicing.parse(text);
    assertThat(s.mode()).isEqualTo(mode);
    assertThat(s.maxTiles()).isEqualTo(maxTiles);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = ';',
      value = {
        "word;            many; off, auto or a tile count",
        "zero tiles;      0;    maxTiles >= 1",
        "negative;        -2;   maxTiles >= 1",
      })
  void rejectsBadCliText(String name, String text, String message) {
    assertThatThrownBy(() -> Slicing.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = ';',
      value = {
        "tiny tile;      tileSize;  16;   tile size >= 32",
        "overlap 0.95;   overlap;   0.95; overlap fraction in [0, 0.9)",
        "auto ratio 0.5; autoRatio; 0.5;  auto ratio >= 1",
        "zero cost;      tileCost;  0;    positive tile cost",
      })
  void rejectsBadOptions(String name, String option, String value, String message) {
    assertThatThrownBy(
            () -> {
              Slicing.Builder b = Slicing.builder();
              switch (option) {
                case "tileSize" -> b.tileSize(Integer.parseInt(value));
                case "overlap" -> b.overlap(Float.parseFloat(value));
                case "autoRatio" -> b.autoRatio(Float.parseFloat(value));
                default -> b.tileCost(Duration.ofMillis(Long.parseLong(value)));
              }
              b.build();
            })
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }
}
