package io.edgevision.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;

class ImageFrameTest {
  static Stream<Arguments> invalid() {
    return Stream.of(
        // zero width
        Arguments.of(100, 0, 4, 0, PixelFormat.BGR, "image size must be positive"),
        // negative height
        Arguments.of(100, 4, -1, 12, PixelFormat.BGR, "image size must be positive"),
        // stride shorter than one packed row (4 px * 3 bytes = 12)
        Arguments.of(
            100,
            4,
            4,
            11,
            PixelFormat.BGR,
            "row stride for 4x4 BGR must be at least 12 bytes, got 11"),
        // buffer one byte short of 4 rows of BGRA
        Arguments.of(63, 4, 4, 16, PixelFormat.BGRA, "needs at least 64 bytes, got 63"),
        // odd size for YUV 4:2:0
        Arguments.of(1000, 5, 4, 5, PixelFormat.NV21, "NV21 needs even width and height, got 5x4"),
        // NV21 needs 1.5 bytes per pixel: 4x4 -> 24 bytes
        Arguments.of(23, 4, 4, 4, PixelFormat.NV21, "needs at least 24 bytes, got 23"),
        // stride padding on the last row is not required: 3 rows * 16 + 12 = 60 is enough, 59 is
        // not
        Arguments.of(59, 4, 4, 16, PixelFormat.BGR, "needs at least 60 bytes, got 59"));
  }

  @ParameterizedTest
  @MethodSource("invalid")
  void inconsistentGeometryIsBadInputBeforeAnyNativeCall(
      int bytes, int w, int h, int stride, PixelFormat f, String message) {
    assertThatThrownBy(() -> ImageFrame.wrap(ByteBuffer.allocateDirect(bytes), w, h, stride, f))
        .isInstanceOf(EdgeVisionException.class)
        .hasMessageContaining(message)
        .extracting(e -> ((EdgeVisionException) e).code())
        .isEqualTo(ErrorCode.BAD_INPUT);
  }

  static Stream<Arguments> valid() {
    return Stream.of(
        // tightly packed BGR
        Arguments.of(48, 4, 4, 12, PixelFormat.BGR),
        // padded rows; the last row needs no padding
        Arguments.of(60, 4, 4, 16, PixelFormat.BGR),
        // gray
        Arguments.of(16, 4, 4, 4, PixelFormat.GRAY),
        // I420 4x4 = 16 Y + 4 U + 4 V
        Arguments.of(24, 4, 4, 4, PixelFormat.I420));
  }

  @ParameterizedTest
  @MethodSource("valid")
  void consistentGeometryIsAccepted(int bytes, int w, int h, int stride, PixelFormat f) {
    ImageFrame frame = ImageFrame.wrap(ByteBuffer.allocateDirect(bytes), w, h, stride, f);
    assertThat(frame.width()).isEqualTo(w);
    assertThat(frame.rowStride()).isEqualTo(stride);
    assertThat(frame.data().isReadOnly()).isTrue();
    assertThat(frame.timestampNanos()).isEmpty();
    assertThat(frame.withTimestamp(42).timestampNanos()).hasValue(42);
  }

  @Test
  void bufferedImageBgrIsWrappedWithoutCopy() {
    BufferedImage img = new BufferedImage(5, 3, BufferedImage.TYPE_3BYTE_BGR);
    img.setRGB(1, 2, 0x102030); // R=0x10 G=0x20 B=0x30
    ImageFrame f = ImageFrames.fromBufferedImage(img);
    assertThat(f.format()).isEqualTo(PixelFormat.BGR);
    ByteBuffer d = f.data();
    int off = 2 * f.rowStride() + 3;
    assertThat(new int[] {d.get(off) & 0xff, d.get(off + 1) & 0xff, d.get(off + 2) & 0xff})
        .containsExactly(0x30, 0x20, 0x10);
    img.setRGB(1, 2, 0x405060); // same memory: the frame sees it
    assertThat(f.data().get(off) & 0xff).isEqualTo(0x60);
  }

  @Test
  void bufferedImageOfOtherTypeIsConvertedToBgr() {
    BufferedImage img = new BufferedImage(2, 2, BufferedImage.TYPE_INT_ARGB);
    img.setRGB(0, 0, 0xff112233);
    ImageFrame f = ImageFrames.fromBufferedImage(img);
    assertThat(f.format()).isEqualTo(PixelFormat.BGR);
    assertThat(new int[] {f.data().get(0) & 0xff, f.data().get(1) & 0xff, f.data().get(2) & 0xff})
        .containsExactly(0x33, 0x22, 0x11);
  }

  @Test
  void matIsWrappedAndChecked() {
    ImageFrames.class.getName(); // loads OpenCV through ImagePreprocessor below
    try (ImagePreprocessor ignored =
        ImagePreprocessor.create(ModelDescriptor.builder().inputSize(2, 2).build(), 1)) {
      Mat m = new Mat(3, 4, CvType.CV_8UC3, new Scalar(1, 2, 3));
      ImageFrame f = ImageFrames.fromMat(m, PixelFormat.BGR);
      assertThat(f.width()).isEqualTo(4);
      assertThat(f.height()).isEqualTo(3);
      assertThat(f.data().get(2)).isEqualTo((byte) 3);
      assertThatThrownBy(() -> ImageFrames.fromMat(m, PixelFormat.BGRA))
          .isInstanceOf(EdgeVisionException.class)
          .hasMessageContaining("BGRA needs a 4-channel Mat, got CV_8UC3");
      Mat f32 = new Mat(2, 2, CvType.CV_32FC3);
      assertThatThrownBy(() -> ImageFrames.fromMat(f32, PixelFormat.BGR))
          .hasMessageContaining("expected an 8-bit Mat (CV_8U), got CV_32FC3");
      Mat nv21 = new Mat(6, 4, CvType.CV_8UC1);
      assertThat(ImageFrames.fromMat(nv21, PixelFormat.NV21).height()).isEqualTo(4);
      m.release();
      f32.release();
      nv21.release();
    }
  }

  @Test
  void corruptImageFileIsBadInputWithWhatWasGot(@TempDir Path dir) throws Exception {
    Path p = dir.resolve("broken.jpg");
    Files.write(p, new byte[] {'h', 'e', 'l', 'l', 'o'});
    assertThatThrownBy(() -> ImageFrames.read(p))
        .isInstanceOf(EdgeVisionException.class)
        .hasMessageContaining("expected an encoded image")
        .hasMessageContaining("got 5 bytes starting with [68 65 6c 6c 6f]");
    Path empty = dir.resolve("empty.jpg");
    Files.write(empty, new byte[0]);
    assertThatThrownBy(() -> ImageFrames.read(empty))
        .isInstanceOf(EdgeVisionException.class)
        .hasMessageContaining("got an empty file");
    assertThatThrownBy(() -> ImageFrames.read(dir.resolve("missing.jpg")))
        .isInstanceOf(EdgeVisionException.class)
        .hasMessageContaining("cannot read image file");
  }

  @Test
  void encodedImageRoundTripsThroughOpenCv(@TempDir Path dir) throws Exception {
    Mat m = null;
    try (ImagePreprocessor ignored =
        ImagePreprocessor.create(ModelDescriptor.builder().inputSize(2, 2).build(), 1)) {
      m = new Mat(8, 6, CvType.CV_8UC3, new Scalar(10, 20, 30));
      Path p = dir.resolve("x.png");
      org.opencv.imgcodecs.Imgcodecs.imwrite(p.toString(), m);
      ImageFrame f = ImageFrames.read(p);
      assertThat(f.width()).isEqualTo(6);
      assertThat(f.height()).isEqualTo(8);
      assertThat(f.data().get(0)).isEqualTo((byte) 10);
      Mat back = ImageFrames.toBgrMat(f);
      assertThat(back.get(7, 5)).containsExactly(10, 20, 30);
      back.release();
    } finally {
      if (m != null) {
        m.release();
      }
    }
  }
}
