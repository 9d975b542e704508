package io.edgevision.detectors.face;

import io.edgevision.postprocess.Box;
import java.util.Comparator;
import java.util.Objects;

/**
 * One detected face: its box, detector score and five landmarks, in pixels of the original frame.
 * The box is not clamped: a face cut by the image border has a box (and possibly landmarks) outside
 * the frame.
 *
 * <p>Threading: immutable.
 *
 * @param box the face box, {@code x1, y1, x2, y2}
 * @param score detector confidence in {@code [0, 1]}
 * @param landmarks eyes, nose tip and mouth corners
 */
public record Face(Box box, float score, Landmarks landmarks) {
  /**
   * Most prominent first: larger box area, then higher score. {@code FaceRecognizer} and the CLI
   * use it to pick "the" face of a photo.
   */
  public static final Comparator<Face> MOST_PROMINENT_FIRST =
      Comparator.comparingDouble((Face f) -> f.box().area())
          .thenComparingDouble(Face::score)
          .reversed();

  /**
   * @throws IllegalArgumentException when the score is outside {@code [0, 1]}
   */
  public Face {
    Objects.requireNonNull(box, "box");
    Objects.requireNonNull(landmarks, "landmarks");
    if (!(score >= 0f && score <= 1f)) {
      throw new IllegalArgumentException("expected a score in [0, 1], got " + score);
    }
  }
}
