package io.edgevision.detectors.traffic;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How a detector slices large frames into overlapping tiles ("sliced inference", for small objects
 * such as 5–20 px traffic lights in 1920×1080 dashcam frames that a 320–640 px model input erases),
 * and the pure planning rule that turns a frame size, the model's input size and the caller's
 * budget into a {@link Plan}.
 *
 * <h2>Example</h2>
 *
 * <pre>{@code
 * TrafficLightDetector detector = TrafficLightDetector.builder(session)
 *     .slicing(Slicing.auto())                       // the default
 *     .build();
 * TrafficLightDetector sixTiles = detector.toBuilder()
 *     .slicing(Slicing.tiles(6).toBuilder().tileSize(416).overlap(0.25f).build()).build();
 * TrafficLightResult r = sixTiles.detect(frame, Budget.ofMillis(200));
 * r.tiling();   // what ran: tiles, tile size, full-frame pass, whether the budget cut the plan and why
 * }</pre>
 *
 * <h2>Modes</h2>
 *
 * <ul>
 *   <li>{@link Mode#OFF}: one full-frame pass, as without slicing.
 *   <li>{@link Mode#AUTO} (default): sliced when the frame is much larger than the model input: its
 *       area at least {@code autoRatio²} × the model's ({@link Builder#autoRatio autoRatio} default
 *       {@value #DEFAULT_AUTO_RATIO}: a 1280×720 or 1920×1080 frame is sliced for a 416×416 model,
 *       a 640×480 photo is not), with at most {@link Builder#maxTiles maxTiles} tiles (default
 *       {@value #DEFAULT_MAX_TILES}); else one full-frame pass.
 *   <li>{@link Mode#FIXED}: always sliced, with at most {@code maxTiles} tiles (also for small
 *       frames: a frame no larger than a tile is one tile, i.e. the full frame).
 * </ul>
 *
 * <h2>Tiles</h2>
 *
 * {@link TileGrid}: tiles of {@link Builder#tileSize tileSize} (default: the model's input size, so
 * tiles are not scaled) overlapping by {@link Builder#overlap overlap} (default {@value
 * #DEFAULT_OVERLAP}); when the natural grid has more than {@code maxTiles} tiles they are enlarged
 * ({@link TileGrid#planAtMost}). A full-frame pass is added unless {@link Builder#fullFrame
 * fullFrame(false)} (default on: it finds the large lights a tile cuts).
 *
 * <h2>Budget</h2>
 *
 * Every image of the plan (tiles + full frame) is assumed to cost the same, {@code cost}: the
 * {@link Builder#tileCost tileCost} when set, else what the detector has measured (see {@link
 * TrafficLightDetector}). When the remaining budget fits fewer images than planned, the plan keeps
 * the full frame and re-plans the tiles with fewer, larger tiles; when it fits at most one image,
 * only the full frame runs. A plan cut by the budget says so ({@link Plan#budgetLimited()}, {@link
 * Plan#reason()}), and the detector's result reports it. Without a cost estimate (no call measured
 * yet) or with an unlimited budget nothing is cut.
 *
 * <p>Threading: immutable; the planning function is pure and thread-safe.
 */
public final class Slicing {
  /** Default largest number of tiles (without the full-frame pass). */
  public static final int DEFAULT_MAX_TILES = 8;

  /** Default least overlap of neighbouring tiles, as a fraction of the tile size. */
  public static final float DEFAULT_OVERLAP = 0.2f;

  /**
   * Default: AUTO slices when the frame's area is at least the square of this times the model's.
   */
  public static final float DEFAULT_AUTO_RATIO = 2.0f;

  /** When to slice. */
  public enum Mode {
    /** Never: one full-frame pass. */
    OFF,
    /** When the frame is much larger than the model input (see the class Javadoc). */
    AUTO,
    /** Always, with at most {@code maxTiles} tiles. */
    FIXED;

    /**
     * @param s {@code off}, {@code auto} or {@code fixed} (any case)
     * @return the mode
     * @throws IllegalArgumentException for anything else
     */
    public static Mode parse(String s) {
      String n = Objects.requireNonNull(s, "mode").trim().toUpperCase(Locale.ROOT);
      for (Mode m : values()) {
        if (m.name().equals(n)) {
          return m;
        }
      }
      throw new IllegalArgumentException(
          "expected a slicing mode off, auto or fixed, got \"" + s + "\"");
    }
  }

  private static final Slicing OFF = builder().mode(Mode.OFF).build();
  private static final Slicing AUTO = builder().build();

  private final Mode mode;
  private final int maxTiles;
  private final int tileSize;
  private final float overlap;
  private final boolean fullFrame;
  private final float autoRatio;
  private final @Nullable Duration tileCost;

  private Slicing(Builder b) {
    mode = b.mode;
    maxTiles = b.maxTiles;
    tileSize = b.tileSize;
    overlap = b.overlap;
    fullFrame = b.fullFrame;
    autoRatio = b.autoRatio;
    tileCost = b.tileCost;
  }

  /**
   * @return never slice
   */
  public static Slicing off() {
    return OFF;
  }

  /**
   * @return the default: slice frames much larger than the model input, at most 8 tiles
   */
  public static Slicing auto() {
    return AUTO;
  }

  /**
   * @param maxTiles the most tiles, at least 1
   * @return always slice, into at most {@code maxTiles} tiles (other settings default)
   */
  public static Slicing tiles(int maxTiles) {
    return builder().mode(Mode.FIXED).maxTiles(maxTiles).build();
  }

  /**
   * Parses the CLI form: {@code off}, {@code auto} or a tile count.
   *
   * @param s the text
   * @return the options (other settings default)
   * @throws IllegalArgumentException for anything else
   */
  public static Slicing parse(String s) {
    String n = Objects.requireNonNull(s, "tiles").trim().toLowerCase(Locale.ROOT);
    if (n.equals("off")) {
      return off();
    }
    if (n.equals("auto")) {
      return auto();
    }
    try {
      return tiles(Integer.parseInt(n));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "expected off, auto or a tile count >= 1, got \"" + s + "\"", e);
    }
  }

  /**
   * @return a builder with the defaults of the class Javadoc
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * @return a builder holding this configuration
   */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.mode = mode;
    b.maxTiles = maxTiles;
    b.tileSize = tileSize;
    b.overlap = overlap;
    b.fullFrame = fullFrame;
    b.autoRatio = autoRatio;
    b.tileCost = tileCost;
    return b;
  }

  /**
   * @return the mode
   */
  public Mode mode() {
    return mode;
  }

  /**
   * @return the most tiles (without the full-frame pass)
   */
  public int maxTiles() {
    return maxTiles;
  }

  /**
   * @return the tile side in pixels of the frame, 0 = the model's input size
   */
  public int tileSize() {
    return tileSize;
  }

  /**
   * @return the least overlap fraction of neighbouring tiles
   */
  public float overlap() {
    return overlap;
  }

  /**
   * @return whether a full-frame pass runs beside the tiles
   */
  public boolean fullFrame() {
    return fullFrame;
  }

  /**
   * @return the AUTO threshold: square root of frame area over model area
   */
  public float autoRatio() {
    return autoRatio;
  }

  /**
   * @return the fixed cost of one image, or null to use the measured one
   */
  public @Nullable Duration tileCost() {
    return tileCost;
  }

  /**
   * What to run on one frame.
   *
   * @param tiles the tiles (empty: no slicing, the full frame runs alone)
   * @param fullFrame whether the full frame runs (beside the tiles, or alone)
   * @param plannedTiles tiles before the budget cut (0 when not sliced)
   * @param budgetLimited true when the budget removed or enlarged tiles
   * @param reason one line: why this plan ("" for the plain unsliced case)
   */
  public record Plan(
      List<TileGrid.Tile> tiles,
      boolean fullFrame,
      int plannedTiles,
      boolean budgetLimited,
      String reason) {
    /** Validates and copies. */
    public Plan {
      tiles = List.copyOf(tiles);
      Objects.requireNonNull(reason, "reason");
      if (tiles.isEmpty() && !fullFrame) {
        throw new IllegalArgumentException("expected tiles or a full-frame pass, got neither");
      }
    }

    /**
     * @return true when tiles run
     */
    public boolean sliced() {
      return !tiles.isEmpty();
    }

    /**
     * @return the number of images run: tiles, plus one for the full frame
     */
    public int images() {
      return tiles.size() + (fullFrame ? 1 : 0);
    }
  }

  /**
   * Plans one frame (pure: see the class Javadoc for the rule).
   *
   * @param frameWidth the frame width, at least 1
   * @param frameHeight the frame height, at least 1
   * @param modelWidth the model input width, at least 1
   * @param modelHeight the model input height, at least 1
   * @param remainingNanos the budget left, or {@link Long#MAX_VALUE} for unlimited
   * @param imageCostNanos the cost of one image (tile or full frame), or a negative value when
   *     unknown
   * @return the plan
   */
  public Plan plan(
      int frameWidth,
      int frameHeight,
      int modelWidth,
      int modelHeight,
      long remainingNanos,
      long imageCostNanos) {
    if (modelWidth < 1 || modelHeight < 1) {
      throw new IllegalArgumentException(
          "expected a model input size >= 1, got " + modelWidth + "x" + modelHeight);
    }
    if (mode == Mode.OFF) {
      return new Plan(List.of(), true, 0, false, "");
    }
    if (mode == Mode.AUTO
        && (double) frameWidth * frameHeight
            < (double) autoRatio * autoRatio * modelWidth * modelHeight) {
      return new Plan(List.of(), true, 0, false, "");
    }
    int tw = tileSize > 0 ? tileSize : modelWidth;
    int th = tileSize > 0 ? tileSize : modelHeight;
    List<TileGrid.Tile> tiles =
        TileGrid.planAtMost(frameWidth, frameHeight, tw, th, overlap, maxTiles);
    if (tiles.size() == 1
        && tiles.get(0).width() == frameWidth
        && tiles.get(0).height() == frameHeight) {
      // One tile covering the frame is the full frame.
      return new Plan(
          List.of(),
          true,
          0,
          false,
          "one tile covers the " + frameWidth + "x" + frameHeight + " frame: full frame only");
    }
    int planned = tiles.size();
    int wanted = planned + (fullFrame ? 1 : 0);
    if (remainingNanos == Long.MAX_VALUE || imageCostNanos <= 0) {
      return new Plan(tiles, fullFrame, planned, false, "");
    }
    long fits = Math.max(0, remainingNanos) / imageCostNanos;
    if (fits >= wanted) {
      return new Plan(tiles, fullFrame, planned, false, "");
    }
    String budget =
        String.format(
            Locale.ROOT,
            "budget %.1f ms fits %d of %d images at %.1f ms each",
            remainingNanos / 1e6,
            fits,
            wanted,
            imageCostNanos / 1e6);
    int tileRoom = (int) fits - (fullFrame ? 1 : 0);
    if (tileRoom >= 2) {
      List<TileGrid.Tile> fewer =
          TileGrid.planAtMost(frameWidth, frameHeight, tw, th, overlap, tileRoom);
      if (fewer.size() > 1) {
        return new Plan(
            fewer, fullFrame, planned, true, budget + ": " + fewer.size() + " larger tiles");
      }
    }
    return new Plan(List.of(), true, planned, true, budget + ": full frame only");
  }

  @Override
  public String toString() {
    return "Slicing{"
        + mode
        + ", maxTiles "
        + maxTiles
        + ", tileSize "
        + (tileSize == 0 ? "model" : tileSize)
        + ", overlap "
        + overlap
        + ", fullFrame "
        + fullFrame
        + ", autoRatio "
        + autoRatio
        + (tileCost == null ? "" : ", tileCost " + tileCost)
        + "}";
  }

  /**
   * Builds immutable {@link Slicing} options; validates in {@link #build()}. Use from one thread.
   */
  public static final class Builder {
    private Mode mode = Mode.AUTO;
    private int maxTiles = DEFAULT_MAX_TILES;
    private int tileSize;
    private float overlap = DEFAULT_OVERLAP;
    private boolean fullFrame = true;
    private float autoRatio = DEFAULT_AUTO_RATIO;
    private @Nullable Duration tileCost;

    private Builder() {}

    /**
     * @param m when to slice (default AUTO)
     * @return this builder
     */
    public Builder mode(Mode m) {
      mode = Objects.requireNonNull(m, "mode");
      return this;
    }

    /**
     * @param n the most tiles, at least 1 (default 8)
     * @return this builder
     */
    public Builder maxTiles(int n) {
      maxTiles = n;
      return this;
    }

    /**
     * @param side the tile side in frame pixels, at least 32, or 0 for the model's input size
     *     (default 0)
     * @return this builder
     */
    public Builder tileSize(int side) {
      tileSize = side;
      return this;
    }

    /**
     * @param fraction least overlap of neighbouring tiles in {@code [0, 0.9)} (default 0.2); it
     *     should exceed the size of the objects sought, so that each is whole in some tile
     * @return this builder
     */
    public Builder overlap(float fraction) {
      overlap = fraction;
      return this;
    }

    /**
     * @param on whether the full frame runs beside the tiles (default true)
     * @return this builder
     */
    public Builder fullFrame(boolean on) {
      fullFrame = on;
      return this;
    }

    /**
     * @param ratio AUTO slices when the frame's area is at least {@code ratio²} times the model's,
     *     at least 1 (default 2)
     * @return this builder
     */
    public Builder autoRatio(float ratio) {
      autoRatio = ratio;
      return this;
    }

    /**
     * @param cost the cost of one image (tile or full frame) for budget planning, positive; null
     *     (default) uses what the detector measures
     * @return this builder
     */
    public Builder tileCost(@Nullable Duration cost) {
      if (cost != null && (cost.isNegative() || cost.isZero())) {
        throw new IllegalArgumentException("expected a positive tile cost, got " + cost);
      }
      tileCost = cost;
      return this;
    }

    /**
     * @return the options
     * @throws IllegalArgumentException when a setting is out of range (the message names it)
     */
    public Slicing build() {
      if (maxTiles < 1) {
        throw new IllegalArgumentException("expected maxTiles >= 1, got " + maxTiles);
      }
      if (tileSize != 0 && tileSize < 32) {
        throw new IllegalArgumentException(
            "expected a tile size >= 32 px, or 0 for the model's input, got " + tileSize);
      }
      if (!(overlap >= 0f && overlap < TileGrid.MAX_OVERLAP)) {
        throw new IllegalArgumentException(
            "expected an overlap fraction in [0, " + TileGrid.MAX_OVERLAP + "), got " + overlap);
      }
      if (!(autoRatio >= 1f) || !Float.isFinite(autoRatio)) {
        throw new IllegalArgumentException("expected an auto ratio >= 1, got " + autoRatio);
      }
      return new Slicing(this);
    }
  }
}
