package io.edgevision.cli.bench;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One configuration of a benchmark matrix: what runs, where, and under which load. Immutable.
 *
 * @param model a model file or name as the CLI accepts it ({@code builtin:bench}, {@code builtin},
 *     {@code atto}...)
 * @param provider the execution provider asked for ({@code cpu}, {@code cuda}...)
 * @param frameSize the frame resolution fed to the SDK, {@code WxH}, or {@link #NATIVE_SIZE} for
 *     the frames as read
 * @param threads ONNX Runtime intra-op threads (0 = its default)
 * @param batch frames per call (1 = {@code run}, more = {@code runBatch})
 * @param budgetMs the latency budget per call in milliseconds, or null for none
 * @param contend busy background threads while the cell runs (0 = none)
 * @param tiles sliced inference ({@code off}, {@code auto} or a tile count, as {@code detect
 *     --tiles}): the cell runs the traffic-light pipeline ({@code TrafficLightDetector} with the
 *     model's default state classifier) instead of a bare session call; null for a bare session
 *     call (the axis does not apply)
 * @param tileSize the tile side in frame pixels ({@code --tile-size}), or null for the model's
 *     input size; only with {@code tiles} {@code auto} or a count
 */
public record BenchCell(
    String model,
    String provider,
    String frameSize,
    int threads,
    int batch,
    @Nullable Long budgetMs,
    int contend,
    @Nullable String tiles,
    @Nullable Integer tileSize) {
  /** {@link #frameSize} value meaning "the frames as read, no resize". */
  public static final String NATIVE_SIZE = "native";

  /** {@link #tiles} value for one full-frame pass of the detector. */
  public static final String TILES_OFF = "off";

  /** The smallest {@link #tileSize} (the detector's own floor, {@code Slicing.Builder}). */
  public static final int MIN_TILE_SIZE = 32;

  /** The bundled image classifier: not a detector, so {@link #tiles} cannot apply to it. */
  static final String BENCH_CLASSIFIER = "builtin:bench";

  /**
   * A bare-session cell without the sliced-inference axis (the seven axes of schema version 1).
   *
   * @param model the model
   * @param provider the provider
   * @param frameSize {@code WxH} or {@link #NATIVE_SIZE}
   * @param threads intra-op threads
   * @param batch frames per call
   * @param budgetMs budget, or null
   * @param contend busy background threads
   */
  public BenchCell(
      String model,
      String provider,
      String frameSize,
      int threads,
      int batch,
      @Nullable Long budgetMs,
      int contend) {
    this(model, provider, frameSize, threads, batch, budgetMs, contend, null, null);
  }

  /** Validates every axis; messages say what was expected and what was got. */
  public BenchCell {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(provider, "provider");
    Objects.requireNonNull(frameSize, "frameSize");
    if (model.isBlank()) {
      throw new IllegalArgumentException("model must not be blank");
    }
    if (!frameSize.equals(NATIVE_SIZE)) {
      parseSize(frameSize); // throws with the reason
    }
    if (threads < 0) {
      throw new IllegalArgumentException(
          "threads must be >= 0 (0 = ONNX Runtime's default), got " + threads);
    }
    if (batch < 1) {
      throw new IllegalArgumentException("batch must be >= 1, got " + batch);
    }
    if (budgetMs != null && budgetMs < 1) {
      throw new IllegalArgumentException("budget must be >= 1 ms, got " + budgetMs);
    }
    if (contend < 0) {
      throw new IllegalArgumentException("contend must be >= 0 busy threads, got " + contend);
    }
    if (tiles != null) {
      tiles = normaliseTiles(tiles);
      if (model.equals(BENCH_CLASSIFIER) || model.startsWith("classpath:")) {
        throw new IllegalArgumentException(
            "--tiles applies to traffic-light detectors (builtin, real, real-atto, femto, atto, "
                + "femto-raw, atto-raw or a DETR-family ONNX file), got model '"
                + model
                + "'"
                + (model.equals(BENCH_CLASSIFIER) ? " (an image classifier)" : ""));
      }
      if (batch != 1) {
        throw new IllegalArgumentException(
            "--tiles cells run one frame per detector call (the tiles are the batch), so --batch"
                + " must be 1, got "
                + batch);
      }
    }
    if (tileSize != null) {
      if (tiles == null || tiles.equals(TILES_OFF)) {
        throw new IllegalArgumentException(
            "tile size needs tiles auto or N, got tiles " + (tiles == null ? "not set" : tiles));
      }
      if (tileSize < MIN_TILE_SIZE) {
        throw new IllegalArgumentException(
            "tile size must be >= " + MIN_TILE_SIZE + " px, got " + tileSize);
      }
    }
  }

  /**
   * @param token {@code off}, {@code auto} or a tile count >= 1 (any case, surrounding blanks
   *     ignored)
   * @return the canonical form: {@code off}, {@code auto} or the count without leading zeros
   * @throws IllegalArgumentException for anything else
   */
  public static String normaliseTiles(String token) {
    String t = token.trim().toLowerCase(Locale.ROOT);
    if (t.equals(TILES_OFF) || t.equals("auto")) {
      return t;
    }
    try {
      int n = Integer.parseInt(t);
      if (n >= 1) {
        return Integer.toString(n);
      }
    } catch (NumberFormatException e) {
      // fall through to the message below
    }
    throw new IllegalArgumentException(
        "tiles must be off, auto or a tile count >= 1, got '" + token + "'");
  }

  /**
   * @return whether this cell runs the traffic-light detector pipeline (the sliced-inference axis
   *     is set) rather than a bare session call
   */
  @JsonIgnore
  public boolean detector() {
    return tiles != null;
  }

  /**
   * @param size {@code WxH} with positive integers, e.g. {@code 1280x720}
   * @return {width, height}
   */
  public static int[] parseSize(String size) {
    String[] p = size.toLowerCase(Locale.ROOT).split("x", -1);
    try {
      if (p.length == 2) {
        int w = Integer.parseInt(p[0].trim());
        int h = Integer.parseInt(p[1].trim());
        if (w > 0 && h > 0 && (long) w * h <= 100_000_000L) {
          return new int[] {w, h};
        }
      }
    } catch (NumberFormatException e) {
      // fall through to the message below
    }
    throw new IllegalArgumentException(
        "frame size must be WxH with positive integers (e.g. 1280x720) or '"
            + NATIVE_SIZE
            + "', got '"
            + size
            + "'");
  }

  /**
   * The identity used to match cells between two reports ({@code bench compare}): every axis, in a
   * fixed order; {@code tiles} and {@code tile_size} only where they are set, so a bare-session
   * cell keeps the seven-axis key.
   *
   * @return e.g. {@code model=builtin:bench provider=cpu size=native threads=0 batch=1 budget=none
   *     contend=0}, or {@code ... contend=0 tiles=auto tile_size=256} for a detector cell
   */
  @JsonIgnore
  public String key() {
    return "model="
        + model
        + " provider="
        + provider
        + " size="
        + frameSize
        + " threads="
        + threads
        + " batch="
        + batch
        + " budget="
        + (budgetMs == null ? "none" : budgetMs + "ms")
        + " contend="
        + contend
        + (tiles == null ? "" : " tiles=" + tiles)
        + (tileSize == null ? "" : " tile_size=" + tileSize);
  }
}
