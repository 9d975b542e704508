package io.edgevision.detectors.face;

/**
 * A point in pixels of the original frame.
 *
 * <p>Threading: immutable.
 *
 * @param x horizontal position, pixels (may lie outside the frame for a face cut by the border)
 * @param y vertical position, pixels
 */
public record Keypoint(float x, float y) {
  /**
   * @throws IllegalArgumentException when a coordinate is not finite
   */
  public Keypoint {
    if (!Float.isFinite(x) || !Float.isFinite(y)) {
      throw new IllegalArgumentException("expected finite coordinates, got (" + x + ", " + y + ")");
    }
  }
}
