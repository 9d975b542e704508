package io.edgevision.detectors.traffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgevision.detectors.traffic.TileGrid.Tile;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TileGridTest {
  @ParameterizedTest(
      name = "{0}: frame {1}x{2}, tile {3}x{4}, overlap {5} -> xs {6}, ys {7}, tile {8}x{9}")
  @CsvSource(
      delimiter = ';',
      value = {
        // frame smaller than the tile: one tile, the frame's own size
        "smaller;            300; 200;  416; 416; 0.2;  0;                     0;           300; 200",
        // frame equal to the tile: one tile
        "equal;              416; 416;  416; 416; 0.2;  0;                     0;           416; 416",
        // exact multiple, no overlap: stride = tile, starts at multiples of the tile
        "exact, no overlap;  1248; 832; 416; 416; 0.0;  0 416 832;             0 416;       416; 416",
        // exact multiple with overlap: stride 416 - 83 = 333, (1082 - 416) / 333 = 2 -> 3 tiles at
        // 0, 333, 666
        "exact, overlap;     1082; 416; 416; 416; 0.2;  0 333 666;             0;           416; 416",
        // 1920x1080: x span 1504 / 333 -> 5 + 1 = 6 tiles spread evenly; y span 664 / 333 -> 2 + 1
        // = 3
        "1080p;              1920; 1080; 416; 416; 0.2; 0 301 602 902 1203 1504; 0 332 664;  416; 416",
        // one pixel wider than the tile: two tiles overlapping by 415 px (more than asked is fine)
        "tile + 1;           417; 100;  416; 416; 0.2;  0 1;                   0;           416; 100",
        // non-square tiles
        "non-square;         640; 480;  320; 240; 0.0;  0 320;                 0 240;       320; 240",
      })
  void plansEvenOverlappingTiles(
      String name,
      int fw,
      int fh,
      int tw,
      int th,
      float overlap,
      String xs,
      String ys,
      int w,
      int h) {
    List<Tile> tiles = TileGrid.plan(fw, fh, tw, th, overlap);
    int[] ex = ints(xs);
    int[] ey = ints(ys);
    assertThat(tiles).hasSize(ex.length * ey.length);
    int i = 0;
    for (int y : ey) {
      for (int x : ex) {
        assertThat(tiles.get(i++)).as("row by row").isEqualTo(new Tile(x, y, w, h));
      }
    }
    // Coverage and least overlap, checked on the result rather than trusted.
    int overlapPx = Math.round(overlap * tw);
    for (Tile t : tiles) {
      assertThat(t.x2()).isLessThanOrEqualTo(fw);
      assertThat(t.y2()).isLessThanOrEqualTo(fh);
    }
    assertThat(tiles.get(tiles.size() - 1).x2())
        .as("last column touches the right edge")
        .isEqualTo(fw);
    assertThat(tiles.get(tiles.size() - 1).y2())
        .as("last row touches the bottom edge")
        .isEqualTo(fh);
    for (int k = 1; k < ex.length; k++) {
      assertThat(ex[k - 1] + w - ex[k])
          .as("horizontal overlap")
          .isGreaterThanOrEqualTo(Math.min(overlapPx, w));
    }
  }

  @ParameterizedTest(name = "{0}: at most {5} tiles -> {6} tiles of {7}x{8}")
  @CsvSource(
      delimiter = ';',
      value = {
        // the natural grid (18) is cut down by enlarging the tiles 10 % at a time: 416 * 1.1^4 =
        // 609 px, stride
        // 609 - 122 = 487: 1 + ceil(1311 / 487) = 4 columns, 1 + ceil(471 / 487) = 2 rows
        "1080p, 8;   1920; 1080; 416; 416; 8;  8;  609; 609",
        // the natural grid already fits
        "1080p, 18;  1920; 1080; 416; 416; 18; 18; 416; 416",
        // one tile: the whole frame
        "1080p, 1;   1920; 1080; 416; 416; 1;  1;  1920; 1080",
        // two tiles: the height is capped at the frame's, the width grows until two columns remain
        // (416 * 1.1^11 = 1187: stride 950, 1 + ceil(733 / 950) = 2)
        "1080p, 2;   1920; 1080; 416; 416; 2;  2;  1187; 1080",
      })
  void enlargesTilesToFitAMaximum(
      String name, int fw, int fh, int tw, int th, int max, int count, int w, int h) {
    List<Tile> tiles = TileGrid.planAtMost(fw, fh, tw, th, 0.2f, max);
    assertThat(tiles).hasSize(count);
    assertThat(tiles.get(0).width()).isEqualTo(w);
    assertThat(tiles.get(0).height()).isEqualTo(h);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = ';',
      value = {
        "zero frame width;  0;   100; 64; 64; 0.2; 1; frame and tile sizes >= 1",
        "zero tile;         100; 100; 0;  64; 0.2; 1; frame and tile sizes >= 1",
        "negative overlap;  100; 100; 64; 64; -0.1; 1; overlap fraction in [0, 0.9)",
        "overlap too large; 100; 100; 64; 64; 0.9; 1; overlap fraction in [0, 0.9)",
        "no tiles;          100; 100; 64; 64; 0.2; 0; maxTiles >= 1",
      })
  void rejectsBadGeometry(
      String name, int fw, int fh, int tw, int th, float overlap, int max, String message) {
    assertThatThrownBy(() -> TileGrid.planAtMost(fw, fh, tw, th, overlap, max))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }

  private static int[] ints(String s) {
    String[] parts = s.trim().split("\\s+");
    int[] out = new int[parts.length];
    for (int i = 0; i < parts.length; i++) {
      out[i] = Integer.parseInt(parts[i]);
    }
    return out;
  }
}
