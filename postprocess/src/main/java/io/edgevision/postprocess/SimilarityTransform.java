package io.edgevision.postprocess;

import io.edgevision.postprocess.internal.Checks;

/**
 * Least-squares 2-D similarity transform (rotation, uniform scale, translation) between point sets,
 * by Umeyama's method with the semantics of {@code skimage.transform.SimilarityTransform.estimate}
 * (the estimate InsightFace's {@code norm_crop} uses to align faces to the ArcFace 112×112
 * template).
 *
 * <p>Example:
 *
 * <pre>{@code
 * double[] m = SimilarityTransform.estimate(landmarksXy, arcFaceTemplateXy);   // 2x3, row-major
 * // x' = m[0] * x + m[1] * y + m[2];  y' = m[3] * x + m[4] * y + m[5]   (OpenCV warpAffine layout)
 * }</pre>
 *
 * <p>Algorithm: with centred points, {@code A = dstᵀ·src / N}; {@code A = U·S·Vᵀ} by a closed-form
 * 2×2 SVD; {@code d = (1, -1)} when {@code det(A) < 0} (so the result is never a reflection), else
 * {@code (1, 1)}; rotation {@code R = U·diag(d)·Vᵀ} (for rank-1 input, skimage's choice between
 * {@code U·Vᵀ} and {@code U·diag(1, -1)·Vᵀ} by the sign of {@code det(U)·det(V)}); scale {@code
 * (S·d) / Σ var(src)}; translation {@code mean(dst) - scale·R·mean(src)}. Rank is computed as
 * {@code numpy.linalg.matrix_rank} does.
 *
 * <p>Threading: stateless.
 */
public final class SimilarityTransform {
  private static final double EPS = Math.ulp(1.0);

  private SimilarityTransform() {}

  /**
   * Estimates the similarity mapping {@code src} onto {@code dst}.
   *
   * @param src source points, interleaved {@code x0, y0, x1, y1, ...}, at least 2 points
   * @param dst destination points, same count
   * @return the 2×3 matrix, row-major: {@code {a, b, tx, c, d, ty}}
   * @throws IllegalArgumentException when the counts differ, there are fewer than 2 points, a value
   *     is not finite, or the points are all identical (rank 0: no transform is defined)
   */
  public static double[] estimate(double[] src, double[] dst) {
    Checks.checkArgument(
        src.length % 2 == 0 && src.length >= 4,
        "expected at least 2 interleaved (x, y) source points, got %d values",
        src.length);
    Checks.checkArgument(
        dst.length == src.length,
        "expected as many destination values as source values (%d), got %d",
        src.length,
        dst.length);
    for (int i = 0; i < src.length; i++) {
      Checks.checkArgument(
          Double.isFinite(src[i]) && Double.isFinite(dst[i]),
          "expected finite coordinates at index %d",
          i);
    }
    int n = src.length / 2;
    double sx = 0;
    double sy = 0;
    double dx = 0;
    double dy = 0;
    for (int i = 0; i < n; i++) {
      sx += src[2 * i];
      sy += src[2 * i + 1];
      dx += dst[2 * i];
      dy += dst[2 * i + 1];
    }
    sx /= n;
    sy /= n;
    dx /= n;
    dy /= n;
    double a00 = 0;
    double a01 = 0;
    double a10 = 0;
    double a11 = 0;
    double srcVar = 0;
    for (int i = 0; i < n; i++) {
      double px = src[2 * i] - sx;
      double py = src[2 * i + 1] - sy;
      double qx = dst[2 * i] - dx;
      double qy = dst[2 * i + 1] - dy;
      a00 += qx * px;
      a01 += qx * py;
      a10 += qy * px;
      a11 += qy * py;
      srcVar += px * px + py * py;
    }
    a00 /= n;
    a01 /= n;
    a10 /= n;
    a11 /= n;
    srcVar /= n;

    double d1 = (a00 * a11 - a01 * a10) < 0 ? -1.0 : 1.0;

    // Closed-form SVD: A = Rot(phi) · diag(s0, s1signed) · Rot(theta), |s1signed| <= s0.
    double e = (a00 + a11) / 2;
    double f = (a00 - a11) / 2;
    double g = (a10 + a01) / 2;
    double h = (a10 - a01) / 2;
    double q = Math.hypot(e, h);
    double r = Math.hypot(f, g);
    double s0 = q + r;
    double s1signed = q - r;
    double alpha1 = Math.atan2(g, f);
    double alpha2 = Math.atan2(h, e);
    double theta = (alpha2 - alpha1) / 2;
    double phi = (alpha2 + alpha1) / 2;
    double s1 = Math.abs(s1signed);
    double vSign = s1signed < 0 ? -1.0 : 1.0; // folded into Vᵀ's second row so that S >= 0
    // U = Rot(phi) (det +1); Vᵀ = diag(1, vSign) · Rot(theta) (det vSign).
    double cu = Math.cos(phi);
    double su = Math.sin(phi);
    double cv = Math.cos(theta);
    double sv = Math.sin(theta);
    double[] u = {cu, -su, su, cu};
    double[] vt = {cv, -sv, vSign * sv, vSign * cv};

    double tol = s0 * 2 * EPS;
    int rank = (s0 > tol ? 1 : 0) + (s1 > tol ? 1 : 0);
    Checks.checkArgument(rank > 0, "expected points that are not all identical, got rank %d", rank);
    double rd1;
    if (rank == 1) {
      // skimage: U·Vᵀ when det(U)·det(V) > 0, else U·diag(1, -1)·Vᵀ.
      rd1 = vSign > 0 ? 1.0 : -1.0;
    } else {
      rd1 = d1;
    }
    // R = U · diag(1, rd1) · Vᵀ
    double r00 = u[0] * vt[0] + u[1] * rd1 * vt[2];
    double r01 = u[0] * vt[1] + u[1] * rd1 * vt[3];
    double r10 = u[2] * vt[0] + u[3] * rd1 * vt[2];
    double r11 = u[2] * vt[1] + u[3] * rd1 * vt[3];
    double scale = (s0 + s1 * d1) / srcVar;
    double tx = dx - scale * (r00 * sx + r01 * sy);
    double ty = dy - scale * (r10 * sx + r11 * sy);
    return new double[] {scale * r00, scale * r01, tx, scale * r10, scale * r11, ty};
  }

  /**
   * Applies a 2×3 matrix to a point.
   *
   * @param matrix {@code {a, b, tx, c, d, ty}}
   * @param x the point's x
   * @param y the point's y
   * @return {@code {a·x + b·y + tx, c·x + d·y + ty}}
   */
  public static double[] apply(double[] matrix, double x, double y) {
    Checks.checkArgument(
        matrix.length == 6, "expected a 2x3 matrix (6 values), got %d", matrix.length);
    return new double[] {
      matrix[0] * x + matrix[1] * y + matrix[2], matrix[3] * x + matrix[4] * y + matrix[5]
    };
  }
}
