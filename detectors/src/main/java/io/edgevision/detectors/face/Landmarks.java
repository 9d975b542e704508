package io.edgevision.detectors.face;

import java.util.List;

/**
 * The five facial landmarks in the order of the ArcFace template (and of both YuNet and SCRFD
 * outputs): the subject's right eye (on the image's left for a frontal face), left eye, nose tip,
 * right mouth corner, left mouth corner. Pixels of the original frame.
 *
 * <p>Threading: immutable.
 *
 * @param points exactly {@value #COUNT} points in the order above
 */
public record Landmarks(List<Keypoint> points) {
  /** Number of landmarks. */
  public static final int COUNT = 5;

  /**
   * @throws IllegalArgumentException when there are not exactly {@value #COUNT} points
   */
  public Landmarks {
    points = List.copyOf(points);
    if (points.size() != COUNT) {
      throw new IllegalArgumentException("expected " + COUNT + " landmarks, got " + points.size());
    }
  }

  /**
   * @param xy interleaved {@code x0, y0, ..., x4, y4}
   * @return the landmarks
   * @throws IllegalArgumentException when {@code xy} does not hold 10 finite values
   */
  public static Landmarks of(float... xy) {
    if (xy.length != 2 * COUNT) {
      throw new IllegalArgumentException(
          "expected " + 2 * COUNT + " interleaved values, got " + xy.length);
    }
    Keypoint[] p = new Keypoint[COUNT];
    for (int i = 0; i < COUNT; i++) {
      p[i] = new Keypoint(xy[2 * i], xy[2 * i + 1]);
    }
    return new Landmarks(List.of(p));
  }

  /**
   * @return interleaved {@code x0, y0, ..., x4, y4} as doubles (a new array)
   */
  public double[] toXy() {
    double[] out = new double[2 * COUNT];
    for (int i = 0; i < COUNT; i++) {
      out[2 * i] = points.get(i).x();
      out[2 * i + 1] = points.get(i).y();
    }
    return out;
  }

  /**
   * @return the subject's right eye (image left on a frontal face)
   */
  public Keypoint rightEye() {
    return points.get(0);
  }

  /**
   * @return the subject's left eye
   */
  public Keypoint leftEye() {
    return points.get(1);
  }

  /**
   * @return the nose tip
   */
  public Keypoint nose() {
    return points.get(2);
  }

  /**
   * @return the subject's right mouth corner
   */
  public Keypoint rightMouth() {
    return points.get(3);
  }

  /**
   * @return the subject's left mouth corner
   */
  public Keypoint leftMouth() {
    return points.get(4);
  }
}
