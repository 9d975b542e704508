package io.edgevision.detectors.face;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.edgevision.core.EdgeVisionException;
import io.edgevision.core.ErrorCode;
import io.edgevision.core.ImageFrame;
import io.edgevision.core.PixelFormat;
import io.edgevision.postprocess.Box;
import java.nio.ByteBuffer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class FaceAlignerTest {
  static final double[] T = FaceAligner.arcFaceTemplate(112);

  /** A BGR frame whose pixel (x, y) is (x, y, 7) mod 256. */
  static ImageFrame gradient(int w, int h) {
    ByteBuffer b = ByteBuffer.allocateDirect(w * h * 3);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        b.put((byte) x).put((byte) y).put((byte) 7);
      }
    }
    return ImageFrame.wrap(b.flip(), w, h, PixelFormat.BGR);
  }

  /** A face whose landmarks are the template mapped by x' = s·x + dx, y' = s·y + dy. */
  static Face face(double s, double dx, double dy) {
    float[] xy = new float[10];
    for (int i = 0; i < 5; i++) {
      xy[2 * i] = (float) (s * T[2 * i] + dx);
      xy[2 * i + 1] = (float) (s * T[2 * i + 1] + dy);
    }
    return new Face(
        new Box((float) dx, (float) dy, (float) (dx + 112 * s), (float) (dy + 112 * s)),
        0.9f,
        Landmarks.of(xy));
  }

  static Stream<Arguments> matrices() {
    return Stream.of(
        // landmarks on the template → identity
        Arguments.of(1.0, 0.0, 0.0, new double[] {1, 0, 0, 0, 1, 0}),
        // face twice as large, shifted (10, 20): crop = (frame - shift) / 2
        Arguments.of(2.0, 10.0, 20.0, new double[] {0.5, 0, -5, 0, 0.5, -10}),
        // face half as large at (300, 5)
        Arguments.of(0.5, 300.0, 5.0, new double[] {2, 0, -600, 0, 2, -10}));
  }

  @ParameterizedTest
  @MethodSource("matrices")
  void similarityMatrixRecoversScaleAndShift(double s, double dx, double dy, double[] expected) {
    // landmarks are floats (about 1e-5 px rounding at x = 300, doubled by the scale): 1e-3
    // tolerance
    assertThat(FaceAligner.arcFace().matrixFor(face(s, dx, dy).landmarks()))
        .containsExactly(expected, within(1e-3));
  }

  @Test
  void identityAlignmentCopiesThePixels() {
    ImageFrame frame = gradient(112, 112);
    AlignedFace a = FaceAligner.arcFace().align(frame, face(1, 0, 0));
    byte[] expected = new byte[112 * 112 * 3];
    frame.data().get(expected);
    assertThat(a.width()).isEqualTo(112);
    assertThat(a.bgr()).isEqualTo(expected);
  }

  @Test
  void faceAtTheBorderIsPaddedWithBlack() {
    // Face shifted 60 px left of the frame: the crop's left part comes from outside → black, no
    // exception.
    ImageFrame frame = gradient(200, 200);
    AlignedFace a = FaceAligner.arcFace().align(frame, face(1, -60, 10));
    byte[] px = a.bgr();
    // crop x = 10 maps to frame x = -50: outside → (0, 0, 0)
    int i = (50 * 112 + 10) * 3;
    assertThat(new byte[] {px[i], px[i + 1], px[i + 2]}).containsExactly(0, 0, 0);
    // crop x = 100 maps to frame x = 40, y = 60: inside → (40, 60, 7)
    int j = (50 * 112 + 100) * 3;
    assertThat(new byte[] {px[j], px[j + 1], px[j + 2]}).containsExactly(40, 60, 7);
  }

  @Test
  void faceEntirelyOutsideTheFrameGivesABlackCrop() {
    AlignedFace a = FaceAligner.arcFace().align(gradient(50, 50), face(1, 500, 500));
    assertThat(a.bgr()).containsOnly(0);
  }

  @Test
  void grayAndFourChannelFramesGiveBgrCrops() {
    ByteBuffer g = ByteBuffer.allocateDirect(112 * 112);
    for (int i = 0; i < 112 * 112; i++) {
      g.put(i, (byte) 90);
    }
    AlignedFace gray =
        FaceAligner.arcFace().align(ImageFrame.wrap(g, 112, 112, PixelFormat.GRAY), face(1, 0, 0));
    assertThat(gray.bgr()).hasSize(112 * 112 * 3).containsOnly(90);
    ByteBuffer rgba = ByteBuffer.allocateDirect(112 * 112 * 4);
    for (int i = 0; i < 112 * 112; i++) {
      rgba.put((byte) 10).put((byte) 20).put((byte) 30).put((byte) 255);
    }
    AlignedFace c =
        FaceAligner.arcFace()
            .align(ImageFrame.wrap(rgba.flip(), 112, 112, PixelFormat.RGBA), face(1, 0, 0));
    assertThat(new byte[] {c.bgr()[0], c.bgr()[1], c.bgr()[2]}).containsExactly(30, 20, 10);
  }

  @Test
  void degenerateLandmarksAreABadInputError() {
    Face collapsed =
        new Face(new Box(0, 0, 10, 10), 0.9f, Landmarks.of(5, 5, 5, 5, 5, 5, 5, 5, 5, 5));
    assertThatThrownBy(() -> FaceAligner.arcFace().align(gradient(20, 20), collapsed))
        .isInstanceOf(EdgeVisionException.class)
        .satisfies(
            e -> assertThat(((EdgeVisionException) e).code()).isEqualTo(ErrorCode.BAD_INPUT));
  }

  static Stream<Arguments> templates() {
    return Stream.of(
        // 112: the ArcFace template itself
        Arguments.of(112, 38.2946, 51.6963),
        // 224: doubled
        Arguments.of(224, 76.5892, 103.3926),
        // 128: InsightFace estimate_norm adds 8 px in x (ratio 1)
        Arguments.of(128, 46.2946, 51.6963),
        // 256: ratio 2, x shift 16
        Arguments.of(256, 92.5892, 103.3926));
  }

  @ParameterizedTest
  @MethodSource("templates")
  void templateScalesLikeInsightFace(int size, double x0, double y0) {
    double[] t = FaceAligner.arcFaceTemplate(size);
    assertThat(t[0]).isCloseTo(x0, within(1e-9));
    assertThat(t[1]).isCloseTo(y0, within(1e-9));
  }

  @Test
  void customTemplateAndOutputSize() {
    FaceAligner a = FaceAligner.of(FaceAligner.arcFaceTemplate(112), 96, 112);
    AlignedFace crop = a.align(gradient(112, 112), face(1, 0, 0));
    assertThat(crop.width()).isEqualTo(96);
    assertThat(crop.height()).isEqualTo(112);
    assertThat(crop.image().width()).isEqualTo(96);
    assertThatThrownBy(() -> FaceAligner.of(new double[9], 112, 112))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> FaceAligner.of(T, 0, 112))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
