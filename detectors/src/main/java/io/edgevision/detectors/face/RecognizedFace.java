package io.edgevision.detectors.face;

import java.util.Objects;

/**
 * A detected face together with its embedding.
 *
 * <p>Threading: immutable.
 *
 * @param face detection (box, score, landmarks) in pixels of the original frame
 * @param embedding the face's embedding
 */
public record RecognizedFace(Face face, Embedding embedding) {
  public RecognizedFace {
    Objects.requireNonNull(face, "face");
    Objects.requireNonNull(embedding, "embedding");
  }
}
