package io.edgevision.detectors.face;

import java.util.Locale;
import java.util.Objects;

/**
 * Identifies the embedding space an {@link Embedding} lives in: the embedding model's bytes
 * (SHA-256), its preprocessing (the descriptor hash) and the dimension. Embeddings from different
 * spaces cannot be compared; {@link Embedding#similarity} and {@link FaceGallery} refuse them.
 *
 * <p>The execution provider is deliberately not part of the space: CPU, CUDA and TensorRT runs of
 * the same model produce comparable embeddings.
 *
 * <p>Threading: immutable.
 *
 * @param modelSha256 SHA-256 of the embedding model, 64 lower-case hex digits
 * @param descriptorHash the effective descriptor's hash ({@code ModelDescriptor.hash()}), non-blank
 * @param dimension embedding length, &gt;= 1
 */
public record EmbeddingModel(String modelSha256, String descriptorHash, int dimension) {
  /**
   * @throws IllegalArgumentException when the hash is malformed, the descriptor hash blank or the
   *     dimension not positive
   */
  public EmbeddingModel {
    Objects.requireNonNull(modelSha256, "modelSha256");
    Objects.requireNonNull(descriptorHash, "descriptorHash");
    modelSha256 = modelSha256.toLowerCase(Locale.ROOT);
    if (!modelSha256.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException(
          "expected modelSha256 of 64 hex digits, got '" + modelSha256 + "'");
    }
    if (descriptorHash.isBlank() || descriptorHash.length() > 256) {
      throw new IllegalArgumentException(
          "expected a non-blank descriptorHash of at most 256 chars, got '" + descriptorHash + "'");
    }
    if (dimension < 1) {
      throw new IllegalArgumentException("expected dimension >= 1, got " + dimension);
    }
  }

  /**
   * @return e.g. {@code 93fac2c9…/3f1a… (128-d)} for messages
   */
  public String describe() {
    return modelSha256.substring(0, 12)
        + "…/"
        + descriptorHash.substring(0, Math.min(12, descriptorHash.length()))
        + " ("
        + dimension
        + "-d)";
  }
}
