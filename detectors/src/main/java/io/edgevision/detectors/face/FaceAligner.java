package io.edgevision.detectors.face;

import io.edgevision.core.EdgeVisionException;
import io.edgevision.core.ErrorCode;
import io.edgevision.core.ImageFrame;
import io.edgevision.core.ImageFrames;
import io.edgevision.core.OpenCvLoader;
import io.edgevision.postprocess.SimilarityTransform;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/**
 * Warps faces onto a landmark template, the way InsightFace's {@code norm_crop} does: a
 * least-squares similarity transform (Umeyama, scikit-image semantics; {@link SimilarityTransform})
 * from the five detected landmarks to the template, then OpenCV {@code warpAffine} (bilinear,
 * constant black border).
 *
 * <h2>Example</h2>
 *
 * <pre>{@code
 * AlignedFace crop = FaceAligner.arcFace().align(frame, face);   // 112x112 BGR
 * }</pre>
 *
 * <p>Faces at or beyond the image border are padded with black, never an error. The output size and
 * the template are configurable; the template is given in output pixels.
 *
 * <h2>Threading</h2>
 *
 * Immutable and thread-safe.
 *
 * <h2>Defaults</h2>
 *
 * {@link #arcFace()}: the ArcFace 112×112 template {@link #ARCFACE_TEMPLATE}.
 */
public final class FaceAligner {
  /**
   * ArcFace 5-point template for 112×112 crops, interleaved {@code x, y} in the {@link Landmarks}
   * order.
   */
  public static final List<Double> ARCFACE_TEMPLATE =
      List.of(
          38.2946, 51.6963, 73.5318, 51.5014, 56.0252, 71.7366, 41.5493, 92.3655, 70.7299, 92.2041);

  /** Side of the ArcFace crop. */
  public static final int ARCFACE_SIZE = 112;

  private static final FaceAligner ARCFACE =
      new FaceAligner(arcFaceTemplate(ARCFACE_SIZE), ARCFACE_SIZE, ARCFACE_SIZE);

  private final double[] template;
  private final int width;
  private final int height;

  private FaceAligner(double[] template, int width, int height) {
    this.template = template;
    this.width = width;
    this.height = height;
  }

  /**
   * @return the ArcFace 112×112 aligner
   */
  public static FaceAligner arcFace() {
    return ARCFACE;
  }

  /**
   * A custom template.
   *
   * @param template five points, interleaved {@code x0, y0, ..., x4, y4}, in output pixels
   * @param width output width, 1..4096
   * @param height output height, 1..4096
   * @return the aligner
   * @throws IllegalArgumentException when the template is not 10 finite values or the size is out
   *     of range
   */
  public static FaceAligner of(double[] template, int width, int height) {
    Objects.requireNonNull(template, "template");
    if (template.length != 2 * Landmarks.COUNT) {
      throw new IllegalArgumentException(
          "expected " + 2 * Landmarks.COUNT + " template values, got " + template.length);
    }
    for (double v : template) {
      if (!Double.isFinite(v)) {
        throw new IllegalArgumentException(
            "expected finite template values, got " + java.util.Arrays.toString(template));
      }
    }
    if (width < 1 || height < 1 || width > 4096 || height > 4096) {
      throw new IllegalArgumentException(
          "expected an output size in 1..4096, got " + width + "x" + height);
    }
    return new FaceAligner(template.clone(), width, height);
  }

  /**
   * The ArcFace template for a square crop of {@code size} pixels, scaled as InsightFace's {@code
   * estimate_norm} does: by {@code size / 112} for multiples of 112, else by {@code size / 128}
   * with an {@code 8·ratio} x-shift for multiples of 128; any other size is scaled by {@code size /
   * 112}.
   *
   * @param size crop side, &gt; 0
   * @return interleaved template points in crop pixels
   */
  public static double[] arcFaceTemplate(int size) {
    if (size <= 0) {
      throw new IllegalArgumentException("expected a positive size, got " + size);
    }
    double ratio;
    double shift = 0;
    if (size % 112 != 0 && size % 128 == 0) {
      ratio = size / 128.0;
      shift = 8.0 * ratio;
    } else {
      ratio = size / 112.0;
    }
    double[] t = new double[10];
    for (int i = 0; i < 10; i++) {
      t[i] = ARCFACE_TEMPLATE.get(i) * ratio + (i % 2 == 0 ? shift : 0);
    }
    return t;
  }

  /**
   * @return output width
   */
  public int width() {
    return width;
  }

  /**
   * @return output height
   */
  public int height() {
    return height;
  }

  /**
   * @return a copy of the template in output pixels
   */
  public double[] template() {
    return template.clone();
  }

  /**
   * The 2×3 matrix from frame pixels to crop pixels for these landmarks.
   *
   * @param landmarks the face's landmarks
   * @return {@code {a, b, tx, c, d, ty}}
   * @throws EdgeVisionException {@link ErrorCode#BAD_INPUT} when the landmarks are degenerate (all
   *     equal)
   */
  public double[] matrixFor(Landmarks landmarks) {
    try {
      return SimilarityTransform.estimate(landmarks.toXy(), template);
    } catch (IllegalArgumentException e) {
      throw new EdgeVisionException(
          ErrorCode.BAD_INPUT,
          "cannot align face with landmarks " + landmarks + ": " + e.getMessage(),
          e);
    }
  }

  /**
   * Aligns one face.
   *
   * @param frame the frame the face was detected in (any pixel format)
   * @param face the face
   * @return the aligned crop
   */
  public AlignedFace align(ImageFrame frame, Face face) {
    return alignAll(frame, List.of(face)).get(0);
  }

  /**
   * Aligns several faces of one frame, converting the frame to BGR once.
   *
   * @param frame the frame the faces were detected in
   * @param faces the faces
   * @return one crop per face, same order
   */
  public List<AlignedFace> alignAll(ImageFrame frame, List<Face> faces) {
    Objects.requireNonNull(frame, "frame");
    faces.forEach(f -> Objects.requireNonNull(f, "face"));
    if (faces.isEmpty()) {
      return List.of();
    }
    OpenCvLoader.ensureLoaded();
    List<AlignedFace> out = new ArrayList<>(faces.size());
    Mat bgr = ImageFrames.toBgrMat(frame);
    Mat m = new Mat(2, 3, CvType.CV_64F);
    Mat crop = new Mat();
    try {
      byte[] pixels = new byte[width * height * 3];
      for (Face f : faces) {
        double[] matrix = matrixFor(f.landmarks());
        m.put(0, 0, matrix);
        Imgproc.warpAffine(
            bgr,
            crop,
            m,
            new Size(width, height),
            Imgproc.INTER_LINEAR,
            org.opencv.core.Core.BORDER_CONSTANT,
            new Scalar(0, 0, 0));
        crop.get(0, 0, pixels);
        out.add(new AlignedFace(pixels, width, height, matrix, f));
      }
    } finally {
      crop.release();
      m.release();
      bgr.release();
    }
    return List.copyOf(out);
  }

  @Override
  public String toString() {
    return "FaceAligner[" + width + "x" + height + "]";
  }
}
