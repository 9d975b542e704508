package io.edgevision.detectors.traffic;

import java.util.Objects;

/**
 * What sliced inference did on one frame (see {@link Slicing}): part of every {@link
 * TrafficLightResult}.
 *
 * <p>Threading: immutable.
 *
 * @param sliced true when tiles ran
 * @param tiles the tiles that ran (0 when not sliced)
 * @param plannedTiles the tiles planned before the budget cut (0 when not sliced and not cut)
 * @param tileWidth the width of the tiles that ran, frame pixels (0 when not sliced)
 * @param tileHeight the height of the tiles that ran, frame pixels (0 when not sliced)
 * @param fullFrame true when the full frame ran (alone or beside the tiles)
 * @param batched true when the images ran as one batch (one native call), false when one by one
 * @param budgetLimited true when the budget cut the plan (fewer or larger tiles, or full frame
 *     only)
 * @param edgeMerges detections cut by a tile edge that were merged into another (clipping-aware
 *     merge)
 * @param reason why this plan, one line ("" for a plain unsliced call)
 */
public record TilingReport(
    boolean sliced,
    int tiles,
    int plannedTiles,
    int tileWidth,
    int tileHeight,
    boolean fullFrame,
    boolean batched,
    boolean budgetLimited,
    int edgeMerges,
    String reason) {
  /** A plain full-frame call. */
  public static final TilingReport NONE =
      new TilingReport(false, 0, 0, 0, 0, true, false, false, 0, "");

  /**
   * Validates.
   *
   * @throws IllegalArgumentException for negative counts or sizes
   */
  public TilingReport {
    Objects.requireNonNull(reason, "reason");
    if (tiles < 0 || plannedTiles < 0 || tileWidth < 0 || tileHeight < 0 || edgeMerges < 0) {
      throw new IllegalArgumentException(
          "expected counts and sizes >= 0, got tiles "
              + tiles
              + ", planned "
              + plannedTiles
              + ", tile "
              + tileWidth
              + "x"
              + tileHeight
              + ", edge merges "
              + edgeMerges);
    }
  }
}
