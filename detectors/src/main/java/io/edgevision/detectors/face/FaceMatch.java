package io.edgevision.detectors.face;

import java.util.Objects;

/**
 * One gallery candidate: an enrolled identity and its similarity to the probe (the best over that
 * identity's embeddings).
 *
 * <p>Threading: immutable.
 *
 * @param identity the enrolled name
 * @param similarity cosine similarity in {@code [-1, 1]}
 */
public record FaceMatch(String identity, float similarity) {
  /**
   * @throws IllegalArgumentException when the similarity is out of range
   */
  public FaceMatch {
    Objects.requireNonNull(identity, "identity");
    if (!(similarity >= -1f && similarity <= 1f)) {
      throw new IllegalArgumentException("expected similarity in [-1, 1], got " + similarity);
    }
  }
}
