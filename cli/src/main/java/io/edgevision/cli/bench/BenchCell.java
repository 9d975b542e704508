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
 */
public record BenchCell(
    String model,
    String provider,
    String frameSize,
    int threads,
    int batch,
    @Nullable Long budgetMs,
    int contend) {
  /** {@link #frameSize} value meaning "the frames as read, no resize". */
  public static final String NATIVE_SIZE = "native";

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
   * fixed order.
   *
   * @return e.g. {@code model=builtin:bench provider=cpu size=native threads=0 batch=1 budget=none
   *     contend=0}
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
        + contend;
  }
}
