package io.edgevision.postprocess.internal;

import io.edgevision.postprocess.ScoreKind;
import java.util.Locale;

/**
 * Turns a classifier output vector into a normalised probability distribution, rejecting non-finite
 * values with an error naming the index. Threading: stateless.
 */
public final class Probabilities {
  /** How far from 1 a probability vector may sum before it is rejected. */
  public static final double SUM_TOLERANCE = 1e-3;

  private Probabilities() {}

  /**
   * Writes the distribution of {@code values[offset .. offset + n)} into {@code out[0 .. n)}.
   *
   * @param values the classifier output
   * @param offset the first value
   * @param n the number of classes
   * @param kind logits (softmax applied) or probabilities (validated, renormalised)
   * @param name the vector's name for messages
   * @param out receives probabilities summing to 1
   * @throws IllegalArgumentException for a NaN or infinite value (naming its index), or
   *     probabilities out of range or not summing to 1 within {@link #SUM_TOLERANCE}
   */
  public static void normalise(
      float[] values, int offset, int n, ScoreKind kind, String name, double[] out) {
    Checks.checkArgument(
        offset >= 0 && n >= 0 && offset + n <= values.length,
        "%s: expected %d values from offset %d, got an array of %d",
        name,
        n,
        offset,
        values.length);
    for (int i = 0; i < n; i++) {
      float v = values[offset + i];
      if (!Float.isFinite(v)) {
        throw new IllegalArgumentException(
            String.format(Locale.ROOT, "%s[%d]: expected a finite value, got %s", name, i, v));
      }
    }
    if (kind == ScoreKind.LOGITS) {
      double max = Double.NEGATIVE_INFINITY;
      for (int i = 0; i < n; i++) {
        max = Math.max(max, values[offset + i]);
      }
      double sum = 0;
      for (int i = 0; i < n; i++) {
        out[i] = Math.exp(values[offset + i] - max);
        sum += out[i];
      }
      for (int i = 0; i < n; i++) {
        out[i] /= sum;
      }
      return;
    }
    double sum = 0;
    for (int i = 0; i < n; i++) {
      float v = values[offset + i];
      if (v < 0f || v > 1f) {
        throw new IllegalArgumentException(
            String.format(
                Locale.ROOT, "%s[%d]: expected a probability in [0, 1], got %s", name, i, v));
      }
      sum += v;
    }
    if (!(Math.abs(sum - 1.0) <= SUM_TOLERANCE)) {
      throw new IllegalArgumentException(
          String.format(
              Locale.ROOT,
              "%s: expected probabilities summing to 1 (within %s), got %s",
              name,
              SUM_TOLERANCE,
              sum));
    }
    for (int i = 0; i < n; i++) {
      out[i] = values[offset + i] / sum;
    }
  }
}
