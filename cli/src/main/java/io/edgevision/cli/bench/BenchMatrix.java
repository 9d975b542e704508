package io.edgevision.cli.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The axes of a benchmark run; {@link #cells()} is their cartesian product in a fixed order (model
 * outermost, then provider, frame size, threads, batch, budget, contention, tiles, tile size), so
 * two runs of the same matrix list their cells identically. Immutable; thread-safe.
 *
 * <p>The sliced-inference axes ({@code tiles}, {@code tileSizes}) are "not set" by default (one
 * empty value each): cells then time a bare session call, as before the axis existed. When {@code
 * tiles} is set, every cell runs the traffic-light detector pipeline and a model that is not a
 * traffic-light detector is refused ({@link BenchCell}). A tile size only applies to sliced cells:
 * the {@code off} cell of {@code --tiles off,auto --tile-size 256} is one cell without a tile size.
 *
 * <p>Example: two models × two thread counts × {no budget, 30 ms} = 8 cells:
 *
 * <pre>{@code
 * new BenchMatrix(List.of("builtin", "atto"), List.of("cpu"), List.of("native"), List.of(1, 2), List.of(1),
 *     List.of(Optional.empty(), Optional.of(30L)), List.of(0)).cells();
 * // the traffic-light pipeline on the full frame and sliced: 2 cells
 * new BenchMatrix(List.of("real"), List.of("cpu"), List.of("native"), List.of(0), List.of(1),
 *     List.of(Optional.empty()), List.of(0), List.of(Optional.of("off"), Optional.of("auto")),
 *     List.of(Optional.empty())).cells();
 * }</pre>
 *
 * @param models model files or names
 * @param providers execution providers
 * @param frameSizes {@code WxH} or {@code native}
 * @param threads intra-op thread counts
 * @param batches batch sizes
 * @param budgetsMs budgets in ms (empty = none)
 * @param contend busy background thread counts
 * @param tiles sliced-inference settings ({@code off}, {@code auto}, a count), or one empty value
 *     for bare session calls
 * @param tileSizes tile sides in frame pixels (empty = the model's input size)
 */
public record BenchMatrix(
    List<String> models,
    List<String> providers,
    List<String> frameSizes,
    List<Integer> threads,
    List<Integer> batches,
    List<Optional<Long>> budgetsMs,
    List<Integer> contend,
    List<Optional<String>> tiles,
    List<Optional<Integer>> tileSizes) {
  /**
   * A matrix larger than this is almost certainly a typo in a list; refuse it rather than run for
   * hours.
   */
  public static final int MAX_CELLS = 512;

  /**
   * A matrix without the sliced-inference axes: every cell times a bare session call.
   *
   * @param models model files or names
   * @param providers execution providers
   * @param frameSizes {@code WxH} or {@code native}
   * @param threads intra-op thread counts
   * @param batches batch sizes
   * @param budgetsMs budgets in ms (empty = none)
   * @param contend busy background thread counts
   */
  public BenchMatrix(
      List<String> models,
      List<String> providers,
      List<String> frameSizes,
      List<Integer> threads,
      List<Integer> batches,
      List<Optional<Long>> budgetsMs,
      List<Integer> contend) {
    this(
        models,
        providers,
        frameSizes,
        threads,
        batches,
        budgetsMs,
        contend,
        List.of(Optional.empty()),
        List.of(Optional.empty()));
  }

  /**
   * Copies the lists and checks each axis is non-empty, a tile size comes only with tiles, and the
   * product is at most {@link #MAX_CELLS}.
   */
  public BenchMatrix {
    models = axis("models", models);
    providers = axis("providers", providers);
    frameSizes = axis("frame sizes", frameSizes);
    threads = axis("threads", threads);
    batches = axis("batches", batches);
    budgetsMs = axis("budgets", budgetsMs);
    contend = axis("contend", contend);
    tiles = axis("tiles", tiles).stream().map(t -> t.map(BenchCell::normaliseTiles)).toList();
    tileSizes = axis("tile sizes", tileSizes);
    if (tiles.stream().anyMatch(Optional::isEmpty) && tiles.size() > 1) {
      throw new IllegalArgumentException(
          "tiles lists either settings (off, auto, N) or nothing, got " + tiles);
    }
    if (tileSizes.stream().anyMatch(Optional::isPresent)
        && tiles.stream().noneMatch(t -> t.isPresent() && !t.get().equals(BenchCell.TILES_OFF))) {
      throw new IllegalArgumentException(
          "--tile-size needs --tiles auto or N, got --tiles "
              + (tiles.get(0).isEmpty() ? "not set" : "off"));
    }
    long n =
        (long) models.size()
            * providers.size()
            * frameSizes.size()
            * threads.size()
            * batches.size()
            * budgetsMs.size()
            * contend.size()
            * tiles.size()
            * tileSizes.size();
    if (n > MAX_CELLS) {
      throw new IllegalArgumentException(
          "the matrix has "
              + n
              + " cells, expected at most "
              + MAX_CELLS
              + " (split the run or shorten a list)");
    }
  }

  private static <T> List<T> axis(String name, List<T> values) {
    Objects.requireNonNull(values, name);
    if (values.isEmpty()) {
      throw new IllegalArgumentException(name + " must list at least one value, got none");
    }
    return List.copyOf(values);
  }

  /**
   * @return every combination, validated by {@link BenchCell}'s constructor, without duplicates (a
   *     value listed twice on an axis gives its cells once)
   */
  public List<BenchCell> cells() {
    List<BenchCell> out = new ArrayList<>();
    for (String m : models) {
      for (String p : providers) {
        for (String s : frameSizes) {
          for (int t : threads) {
            for (int b : batches) {
              for (Optional<Long> budget : budgetsMs) {
                for (int c : contend) {
                  for (Optional<String> tile : tiles) {
                    for (Optional<Integer> size : tileSizes) {
                      // an unsliced cell has no tile size: off × several sizes is one cell
                      boolean sliced = tile.isPresent() && !tile.get().equals(BenchCell.TILES_OFF);
                      BenchCell cell =
                          new BenchCell(
                              m,
                              p,
                              s,
                              t,
                              b,
                              budget.orElse(null),
                              c,
                              tile.orElse(null),
                              sliced ? size.orElse(null) : null);
                      if (!out.contains(cell)) {
                        out.add(cell);
                      }
                    }
                  }
                }
              }
            }
          }
        }
      }
    }
    return List.copyOf(out);
  }

  /**
   * Parses one budget token: {@code none} or a positive number of milliseconds.
   *
   * @param token e.g. {@code 30} or {@code none}
   * @return the budget, empty for none
   */
  public static Optional<Long> parseBudget(String token) {
    String t = token.trim();
    if (t.equalsIgnoreCase("none") || t.equalsIgnoreCase("unlimited")) {
      return Optional.empty();
    }
    return Optional.of(parsePositive("budget (ms)", t, Long::parseLong));
  }

  /**
   * Parses one {@code --tile-size} token: a side in pixels (at least {@link
   * BenchCell#MIN_TILE_SIZE}) or {@code model} for the model's input size.
   *
   * @param token e.g. {@code 256} or {@code model}
   * @return the side, empty for the model's input size
   */
  public static Optional<Integer> parseTileSize(String token) {
    String t = token.trim();
    if (t.equalsIgnoreCase("model")) {
      return Optional.empty();
    }
    try {
      int v = Integer.parseInt(t);
      if (v >= BenchCell.MIN_TILE_SIZE) {
        return Optional.of(v);
      }
    } catch (NumberFormatException e) {
      // fall through
    }
    throw new IllegalArgumentException(
        "tile size must be an integer >= "
            + BenchCell.MIN_TILE_SIZE
            + " (px) or 'model', got '"
            + token
            + "'");
  }

  static <T extends Number> T parsePositive(String what, String token, Function<String, T> parser) {
    try {
      T v = parser.apply(token.trim());
      if (v.longValue() >= 1) {
        return v;
      }
    } catch (NumberFormatException e) {
      // fall through
    }
    throw new IllegalArgumentException(
        what + " must be a positive integer or 'none', got '" + token + "'");
  }
}
