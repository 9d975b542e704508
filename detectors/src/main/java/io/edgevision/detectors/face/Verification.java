package io.edgevision.detectors.face;

/**
 * The outcome of a 1:1 comparison: the cosine similarity, the threshold it was compared with, and
 * the decision {@code similarity >= threshold}.
 *
 * <p>Threading: immutable.
 *
 * @param similarity cosine similarity in {@code [-1, 1]}
 * @param threshold the decision threshold in {@code [-1, 1]}
 * @param same true when {@code similarity >= threshold}
 */
public record Verification(float similarity, float threshold, boolean same) {
  /**
   * @throws IllegalArgumentException when a value is out of range or {@code same} disagrees with
   *     the values
   */
  public Verification {
    if (!(similarity >= -1f && similarity <= 1f)) {
      throw new IllegalArgumentException("expected similarity in [-1, 1], got " + similarity);
    }
    if (!(threshold >= -1f && threshold <= 1f)) {
      throw new IllegalArgumentException("expected threshold in [-1, 1], got " + threshold);
    }
    if (same != (similarity >= threshold)) {
      throw new IllegalArgumentException(
          "expected same == (similarity >= threshold), got same="
              + same
              + " for "
              + similarity
              + " vs "
              + threshold);
    }
  }

  /**
   * @param similarity cosine similarity
   * @param threshold decision threshold
   * @return the verification with its decision
   */
  public static Verification of(float similarity, float threshold) {
    return new Verification(similarity, threshold, similarity >= threshold);
  }
}
