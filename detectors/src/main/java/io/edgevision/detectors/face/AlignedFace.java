package io.edgevision.detectors.face;

import io.edgevision.core.ImageFrame;
import io.edgevision.core.PixelFormat;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * A face warped onto the alignment template: a small BGR image on the heap (112×112 by default),
 * the 2×3 matrix that produced it, and the face it came from.
 *
 * <p>Threading: immutable (the pixels are copied in and out).
 */
public final class AlignedFace {
  private final byte[] bgr;
  private final int width;
  private final int height;
  private final double[] matrix;
  private final Face face;

  /**
   * @param bgr packed BGR pixels, {@code width * height * 3} bytes (copied)
   * @param width crop width, &gt; 0
   * @param height crop height, &gt; 0
   * @param matrix 2×3 row-major matrix mapping frame pixels to crop pixels (copied)
   * @param face the face that was aligned
   * @throws IllegalArgumentException when the sizes disagree or the matrix is not 6 finite values
   */
  public AlignedFace(byte[] bgr, int width, int height, double[] matrix, Face face) {
    Objects.requireNonNull(bgr, "bgr");
    Objects.requireNonNull(matrix, "matrix");
    this.face = Objects.requireNonNull(face, "face");
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException("expected a positive size, got " + width + "x" + height);
    }
    if (bgr.length != width * height * 3) {
      throw new IllegalArgumentException(
          "expected "
              + width * height * 3
              + " BGR bytes for "
              + width
              + "x"
              + height
              + ", got "
              + bgr.length);
    }
    if (matrix.length != 6) {
      throw new IllegalArgumentException("expected a 2x3 matrix (6 values), got " + matrix.length);
    }
    for (double v : matrix) {
      if (!Double.isFinite(v)) {
        throw new IllegalArgumentException(
            "expected a finite matrix, got " + java.util.Arrays.toString(matrix));
      }
    }
    this.bgr = bgr.clone();
    this.width = width;
    this.height = height;
    this.matrix = matrix.clone();
  }

  /**
   * @return the crop as a BGR frame over a fresh copy of the pixels (a read-only view would be
   *     safer, but sdk-core's preprocessing cannot read read-only heap buffers)
   */
  public ImageFrame image() {
    return ImageFrame.wrap(ByteBuffer.wrap(bgr.clone()), width, height, PixelFormat.BGR);
  }

  /**
   * @return a copy of the packed BGR pixels
   */
  public byte[] bgr() {
    return bgr.clone();
  }

  /**
   * @return crop width
   */
  public int width() {
    return width;
  }

  /**
   * @return crop height
   */
  public int height() {
    return height;
  }

  /**
   * @return a copy of the 2×3 matrix {@code {a, b, tx, c, d, ty}} from frame pixels to crop pixels
   */
  public double[] matrix() {
    return matrix.clone();
  }

  /**
   * @return the face that was aligned
   */
  public Face face() {
    return face;
  }

  /** Value equality: same pixels, size, matrix and source face. */
  @Override
  public boolean equals(Object o) {
    return o instanceof AlignedFace a
        && width == a.width
        && height == a.height
        && java.util.Arrays.equals(bgr, a.bgr)
        && java.util.Arrays.equals(matrix, a.matrix)
        && face.equals(a.face);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(
        width, height, java.util.Arrays.hashCode(bgr), java.util.Arrays.hashCode(matrix), face);
  }

  @Override
  public String toString() {
    return "AlignedFace[" + width + "x" + height + ", " + face + "]";
  }
}
