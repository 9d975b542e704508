package io.edgevision.cli.bench;

import java.util.Objects;

/**
 * What the traffic-light detector did over the measured calls of one sliced-inference cell ({@link
 * BenchCell#tiles()} set), from each result's tiling report. Immutable; thread-safe.
 *
 * <p>Example: AUTO on a 1920×1080 frame with a 416 px model gives {@code slicedCalls = runs},
 * {@code tilesMin = tilesMax = 8}, tiles of 609×609 px, the full frame and one batch; with a tight
 * budget {@code budgetLimitedCalls} counts the calls whose plan the budget cut (fewer, larger
 * tiles, or the full frame alone).
 *
 * @param slicedCalls measured calls that ran tiles
 * @param budgetLimitedCalls measured calls whose tiling plan the budget cut
 * @param tilesMin fewest tiles run in one call (0 when a call ran the full frame only)
 * @param tilesMax most tiles run in one call
 * @param tileWidth tile width of the last sliced call, frame pixels (0 when none was sliced)
 * @param tileHeight tile height of the last sliced call, frame pixels (0 when none was sliced)
 * @param fullFrame whether the last call ran the full frame (alone or beside the tiles)
 * @param batched whether the last sliced call ran its images as one batch
 * @param lights lights reported by the last call
 * @param reason the last call's one-line reason for its plan ("" for a plain full-frame call)
 */
public record DetectorSummary(
    int slicedCalls,
    int budgetLimitedCalls,
    int tilesMin,
    int tilesMax,
    int tileWidth,
    int tileHeight,
    boolean fullFrame,
    boolean batched,
    int lights,
    String reason) {
  /** Checks that counts and sizes are non-negative and {@code tilesMin <= tilesMax}. */
  public DetectorSummary {
    Objects.requireNonNull(reason, "reason");
    if (slicedCalls < 0
        || budgetLimitedCalls < 0
        || tilesMin < 0
        || tilesMin > tilesMax
        || tileWidth < 0
        || tileHeight < 0
        || lights < 0) {
      throw new IllegalArgumentException(
          "expected non-negative counts and sizes with tiles_min <= tiles_max, got sliced "
              + slicedCalls
              + ", budget-limited "
              + budgetLimitedCalls
              + ", tiles "
              + tilesMin
              + ".."
              + tilesMax
              + ", tile "
              + tileWidth
              + "x"
              + tileHeight
              + ", lights "
              + lights);
    }
  }
}
