package io.edgevision.detectors.traffic;

import java.util.ArrayList;
import java.util.List;

/**
 * Plans the overlapping tiles of sliced inference: a pure function of the frame size, the tile size
 * and the overlap, over primitive ints (no frames, no models, no clock).
 *
 * <h2>Rule, per axis</h2>
 *
 * A frame side {@code L} no longer than the tile {@code T} gets one tile of size {@code L} at 0 (a
 * tile never exceeds the frame). Otherwise the stride is {@code S = T - O} ({@code O} = overlap in
 * pixels, {@code round(overlap * T)}), the count is {@code n = ceil((L - T) / S) + 1}, and the
 * {@code n} tiles are spread evenly from 0 to {@code L - T}: tile {@code i} starts at {@code
 * round(i * (L - T) / (n - 1))}. So the first tile touches the frame's left/top edge, the last its
 * right/bottom edge, every pixel is covered and neighbours overlap by at least {@code O} pixels.
 * When {@code L - T} is an exact multiple of {@code S} the tiles start at exact multiples of {@code
 * S}.
 *
 * <p>Tiles are ordered row by row (top row first, left to right).
 *
 * <p>Example: {@code TileGrid.plan(1920, 1080, 416, 416, 0.2f)} gives 6 × 3 = 18 tiles of 416 × 416
 * whose neighbours overlap by at least 84 px; {@code TileGrid.planAtMost(1920, 1080, 416, 416,
 * 0.2f, 6)} enlarges the tiles (each is then scaled down to the model's input) until at most 6
 * remain.
 *
 * <p>Threading: stateless static functions; safe everywhere.
 */
public final class TileGrid {
  /** Largest accepted overlap fraction (exclusive): a stride must stay positive. */
  public static final float MAX_OVERLAP = 0.9f;

  private TileGrid() {}

  /**
   * One tile, in pixels of the frame.
   *
   * @param x left column
   * @param y top row
   * @param width width, at least 1
   * @param height height, at least 1
   */
  public record Tile(int x, int y, int width, int height) {
    /**
     * Validates the geometry.
     *
     * @throws IllegalArgumentException for a negative origin or an empty tile
     */
    public Tile {
      if (x < 0 || y < 0 || width < 1 || height < 1) {
        throw new IllegalArgumentException(
            "expected x, y >= 0 and width, height >= 1, got "
                + x
                + ","
                + y
                + " "
                + width
                + "x"
                + height);
      }
    }

    /**
     * @return the right edge, exclusive ({@code x + width})
     */
    public int x2() {
      return x + width;
    }

    /**
     * @return the bottom edge, exclusive ({@code y + height})
     */
    public int y2() {
      return y + height;
    }
  }

  /**
   * @param frameWidth frame width, at least 1
   * @param frameHeight frame height, at least 1
   * @param tileWidth tile width, at least 1
   * @param tileHeight tile height, at least 1
   * @param overlap the least overlap of neighbouring tiles, as a fraction of the tile size in
   *     {@code [0, MAX_OVERLAP)}
   * @return the tiles, row by row; one tile covering the frame when the frame fits in a tile
   * @throws IllegalArgumentException for sizes below 1 or an overlap out of range
   */
  public static List<Tile> plan(
      int frameWidth, int frameHeight, int tileWidth, int tileHeight, float overlap) {
    check(frameWidth, frameHeight, tileWidth, tileHeight, overlap);
    int[] xs = starts(frameWidth, tileWidth, overlap);
    int[] ys = starts(frameHeight, tileHeight, overlap);
    int w = Math.min(tileWidth, frameWidth);
    int h = Math.min(tileHeight, frameHeight);
    List<Tile> tiles = new ArrayList<>(xs.length * ys.length);
    for (int y : ys) {
      for (int x : xs) {
        tiles.add(new Tile(x, y, w, h));
      }
    }
    return List.copyOf(tiles);
  }

  /**
   * The grid of {@link #plan} with the tile size grown in steps of 10 % (keeping its aspect, each
   * side capped at the frame's) until at most {@code maxTiles} tiles remain. With {@code maxTiles =
   * 1} the single tile is the whole frame.
   *
   * @param frameWidth frame width, at least 1
   * @param frameHeight frame height, at least 1
   * @param tileWidth the preferred tile width, at least 1
   * @param tileHeight the preferred tile height, at least 1
   * @param overlap least overlap fraction in {@code [0, MAX_OVERLAP)}
   * @param maxTiles the most tiles wanted, at least 1
   * @return the tiles, row by row
   * @throws IllegalArgumentException for sizes below 1, an overlap out of range or {@code maxTiles
   *     < 1}
   */
  public static List<Tile> planAtMost(
      int frameWidth, int frameHeight, int tileWidth, int tileHeight, float overlap, int maxTiles) {
    check(frameWidth, frameHeight, tileWidth, tileHeight, overlap);
    if (maxTiles < 1) {
      throw new IllegalArgumentException("expected maxTiles >= 1, got " + maxTiles);
    }
    double scale = 1.0;
    while (true) {
      int tw = (int) Math.min(frameWidth, Math.round(tileWidth * scale));
      int th = (int) Math.min(frameHeight, Math.round(tileHeight * scale));
      int count = starts(frameWidth, tw, overlap).length * starts(frameHeight, th, overlap).length;
      if (count <= maxTiles) {
        return plan(frameWidth, frameHeight, tw, th, overlap);
      }
      scale *= 1.1;
    }
  }

  /** Tile starts along one axis (see the class Javadoc). */
  static int[] starts(int length, int tile, float overlap) {
    if (length <= tile) {
      return new int[] {0};
    }
    int overlapPx = Math.round(overlap * tile);
    int stride = Math.max(1, tile - overlapPx);
    int span = length - tile;
    int n = (span + stride - 1) / stride + 1;
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      out[i] = (int) Math.round((double) i * span / (n - 1));
    }
    return out;
  }

  private static void check(
      int frameWidth, int frameHeight, int tileWidth, int tileHeight, float overlap) {
    if (frameWidth < 1 || frameHeight < 1 || tileWidth < 1 || tileHeight < 1) {
      throw new IllegalArgumentException(
          "expected frame and tile sizes >= 1, got frame "
              + frameWidth
              + "x"
              + frameHeight
              + ", tile "
              + tileWidth
              + "x"
              + tileHeight);
    }
    if (!(overlap >= 0f && overlap < MAX_OVERLAP)) {
      throw new IllegalArgumentException(
          "expected an overlap fraction in [0, " + MAX_OVERLAP + "), got " + overlap);
    }
  }
}
