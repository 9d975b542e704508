package io.edgevision.detectors.face;

import java.util.Arrays;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An L2-normalised face embedding and the {@link EmbeddingModel} that produced it.
 *
 * <p>Two embeddings of the same model compare by cosine similarity, which for unit vectors is their
 * dot product ({@link #similarity}). The vector is copied in and out, so an embedding cannot be
 * changed.
 *
 * <p>Threading: immutable.
 *
 * @param vector unit-length values (copied); read with {@link #vector()} (a copy) or {@link
 *     #get(int)}
 * @param model the embedding space
 */
public record Embedding(float[] vector, EmbeddingModel model) {
  /** Largest accepted deviation of the vector's norm from 1. */
  public static final double NORM_TOLERANCE = 1e-3;

  /**
   * @throws IllegalArgumentException when the length differs from {@code model.dimension()}, a
   *     value is not finite or the norm is not 1 within {@value #NORM_TOLERANCE}
   */
  public Embedding {
    Objects.requireNonNull(vector, "vector");
    Objects.requireNonNull(model, "model");
    vector = vector.clone();
    if (vector.length != model.dimension()) {
      throw new IllegalArgumentException(
          "expected "
              + model.dimension()
              + " values for "
              + model.describe()
              + ", got "
              + vector.length);
    }
    double sq = 0;
    for (int i = 0; i < vector.length; i++) {
      if (!Float.isFinite(vector[i])) {
        throw new IllegalArgumentException(
            "expected finite values, got " + vector[i] + " at index " + i);
      }
      sq += (double) vector[i] * vector[i];
    }
    if (Math.abs(Math.sqrt(sq) - 1.0) > NORM_TOLERANCE) {
      throw new IllegalArgumentException(
          "expected an L2-normalised vector (norm 1 ± "
              + NORM_TOLERANCE
              + "), got norm "
              + Math.sqrt(sq)
              + "; use Embedding.normalise");
    }
  }

  /**
   * L2-normalises raw model output.
   *
   * @param raw the model's output for one face
   * @param model the embedding space
   * @return the unit-length embedding
   * @throws IllegalArgumentException when a value is not finite or the vector is zero
   */
  public static Embedding normalise(float[] raw, EmbeddingModel model) {
    double sq = 0;
    for (int i = 0; i < raw.length; i++) {
      if (!Float.isFinite(raw[i])) {
        throw new IllegalArgumentException(
            "expected finite values, got " + raw[i] + " at index " + i);
      }
      sq += (double) raw[i] * raw[i];
    }
    if (!(sq > 0) || !Double.isFinite(sq)) {
      throw new IllegalArgumentException("cannot normalise a vector of norm " + Math.sqrt(sq));
    }
    double inv = 1.0 / Math.sqrt(sq);
    float[] out = new float[raw.length];
    for (int i = 0; i < raw.length; i++) {
      out[i] = (float) (raw[i] * inv);
    }
    return new Embedding(out, model);
  }

  /**
   * @return a copy of the unit-length values
   */
  @Override
  public float[] vector() {
    return vector.clone();
  }

  /**
   * @return the embedding length
   */
  public int dimension() {
    return vector.length;
  }

  /**
   * @param i index in {@code [0, dimension())}
   * @return value {@code i}
   */
  public float get(int i) {
    return vector[i];
  }

  /**
   * Cosine similarity (the dot product of the unit vectors), in {@code [-1, 1]}.
   *
   * @param other an embedding of the same model
   * @return the similarity
   * @throws IllegalArgumentException when {@code other} comes from another {@link EmbeddingModel}
   */
  public float similarity(Embedding other) {
    if (!model.equals(other.model)) {
      throw new IllegalArgumentException(
          "cannot compare embeddings of different models: "
              + model.describe()
              + " vs "
              + other.model.describe());
    }
    return (float) Math.max(-1.0, Math.min(1.0, dot(vector, 0, other.vector, vector.length)));
  }

  /**
   * {@code Σ a[offA + k] × b[k]} over n components (also the gallery's inner loop): one float
   * accumulator in index order, the loop shape HotSpot's C2 vectorizes (SuperWord reductions). A
   * hand-unrolled four-accumulator version was 1.3-1.6x slower at d = 128 because it defeats that
   * (paired runs in docs/PERFORMANCE.md, "face gallery").
   */
  static double dot(float[] a, int offA, float[] b, int n) {
    float s = 0;
    for (int k = 0; k < n; k++) {
      s += a[offA + k] * b[k];
    }
    return s;
  }

  /** Package-private: the backing array, never exposed. */
  float[] values() {
    return vector;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof Embedding e && model.equals(e.model) && Arrays.equals(vector, e.vector);
  }

  @Override
  public int hashCode() {
    return 31 * model.hashCode() + Arrays.hashCode(vector);
  }

  @Override
  public String toString() {
    return "Embedding["
        + model.describe()
        + ", "
        + Arrays.toString(Arrays.copyOf(vector, Math.min(4, vector.length)))
            .replace("]", vector.length > 4 ? ", …]" : "]")
        + "]";
  }
}
