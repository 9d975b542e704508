package io.edgevision.cli.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The axes of a benchmark run; {@link #cells()} is their cartesian product in a fixed order (model
 * outermost, then provider, frame size, threads, batch, budget, contention), so two runs of the
 * same matrix list their cells identically. Immutable; thread-safe.
 *
 * <p>Example: two models × two thread counts × {no budget, 30 ms} = 8 cells:
 *
 * <pre>{@code
 * new BenchMatrix(List.of("builtin", "atto"), List.of("cpu"), List.of("native"), List.of(1, 2), List.of(1),
 *     List.of(Optional.empty(), Optional.of(30L)), List.of(0)).cells();
 * }</pre>
 *
 * @param models model files or names
 * @param providers execution providers
 * @param frameSizes {@code WxH} or {@code native}
 * @param threads intra-op thread counts
 * @param batches batch sizes
 * @param budgetsMs budgets in ms (empty = none)
 * @param contend busy background thread counts
 */
public record BenchMatrix(
    List<String> models,
    List<String> providers,
    List<String> frameSizes,
    List<Integer> threads,
    List<Integer> batches,
    List<Optional<Long>> budgetsMs,
    List<Integer> contend) {
  /**
   * A matrix larger than this is almost certainly a typo in a list; refuse it rather than run for
   * hours.
   */
  public static final int MAX_CELLS = 512;

  /**
   * Copies the lists and checks each axis is non-empty and the product is at most {@link
   * #MAX_CELLS}.
   */
  public BenchMatrix {
    models = axis("models", models);
    providers = axis("providers", providers);
    frameSizes = axis("frame sizes", frameSizes);
    threads = axis("threads", threads);
    batches = axis("batches", batches);
    budgetsMs = axis("budgets", budgetsMs);
    contend = axis("contend", contend);
    long n =
        (long) models.size()
            * providers.size()
            * frameSizes.size()
            * threads.size()
            * batches.size()
            * budgetsMs.size()
            * contend.size();
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
                  BenchCell cell = new BenchCell(m, p, s, t, b, budget.orElse(null), c);
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
