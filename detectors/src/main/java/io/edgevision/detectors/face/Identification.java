package io.edgevision.detectors.face;

import java.util.List;
import java.util.Optional;

/**
 * The outcome of a 1:N search: the best gallery matches at or above the threshold, best first. No
 * match means the face is unknown.
 *
 * <p>Threading: immutable.
 *
 * @param matches at most top-k matches, similarity descending, each {@code >= threshold}
 * @param threshold the acceptance threshold used
 */
public record Identification(List<FaceMatch> matches, float threshold) {
  /**
   * @throws IllegalArgumentException when a match is below the threshold or the order is not
   *     descending
   */
  public Identification {
    matches = List.copyOf(matches);
    for (int i = 0; i < matches.size(); i++) {
      if (matches.get(i).similarity() < threshold) {
        throw new IllegalArgumentException(
            "expected matches >= threshold " + threshold + ", got " + matches.get(i));
      }
      if (i > 0 && matches.get(i).similarity() > matches.get(i - 1).similarity()) {
        throw new IllegalArgumentException(
            "expected matches in descending similarity, got " + matches);
      }
    }
  }

  /**
   * @return true when no enrolled identity reached the threshold
   */
  public boolean isUnknown() {
    return matches.isEmpty();
  }

  /**
   * @return the best match, empty when unknown
   */
  public Optional<FaceMatch> best() {
    return matches.isEmpty() ? Optional.empty() : Optional.of(matches.get(0));
  }
}
