package io.edgevision.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgevision.core.ModelDescriptor.ColorOrder;
import io.edgevision.core.ModelDescriptor.Layout;
import io.edgevision.core.ModelDescriptor.ResizeMode;
import io.edgevision.core.testing.SharedResources;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.dnn.Dnn;
import org.opencv.imgproc.Imgproc;

class ImagePreprocessorTest {
  static ImageFrame randomBgr(int w, int h, long seed) {
    byte[] px = new byte[w * h * 3];
    new Random(seed).nextBytes(px);
    ByteBuffer b = ByteBuffer.allocateDirect(px.length);
    b.put(px).flip();
    return ImageFrame.wrap(b, w, h, PixelFormat.BGR);
  }

  static float[] toArray(FloatBuffer fb) {
    float[] out = new float[fb.remaining()];
    fb.duplicate().get(out);
    return out;
  }

  static float[] blob(Mat bgr, double scale, int w, int h, Scalar mean, boolean swapRB) {
    Mat blob = Dnn.blobFromImage(bgr, scale, new Size(w, h), mean, swapRB, false);
    float[] out = new float[(int) blob.total()];
    blob.reshape(1, 1).get(0, 0, out);
    blob.release();
    return out;
  }

  static Stream<Arguments> blobCases() {
    return Stream.of(
        // the benchmark case: 1080p BGR -> 640x640 RGB /255 (DETR-style)
        Arguments.of(1920, 1080, 640, 640, 1 / 255.0, 0.0, true),
        // SCRFD-style: RGB, (x - 127.5) / 128
        Arguments.of(640, 480, 640, 640, 1 / 128.0, 127.5, true),
        // YuNet-style: BGR kept, raw 0-255 values, upscaling
        Arguments.of(200, 150, 320, 320, 1.0, 0.0, false),
        // odd sizes, downscale to a non-square tensor
        Arguments.of(333, 517, 96, 64, 1 / 255.0, 10.0, true));
  }

  @ParameterizedTest
  @MethodSource("blobCases")
  void stretchEqualsOpenCvBlobFromImage(
      int sw, int sh, int tw, int th, double scale, double mean, boolean rgb) {
    ImageFrame frame = randomBgr(sw, sh, sw * 31L + sh);
    ModelDescriptor d =
        ModelDescriptor.builder()
            .inputSize(tw, th)
            .resize(ResizeMode.STRETCH)
            .color(rgb ? ColorOrder.RGB : ColorOrder.BGR)
            .scale(scale)
            .mean((float) (mean * scale), (float) (mean * scale), (float) (mean * scale))
            .build();
    try (ImagePreprocessor pre = ImagePreprocessor.create(d, 1)) {
      PreprocessTransform t = pre.preprocess(frame, 0);
      float[] ours = toArray(pre.output(1, t));
      Mat src = ImageFrames.toBgrMat(frame);
      float[] ref = blob(src, scale, tw, th, new Scalar(mean, mean, mean), rgb);
      src.release();
      assertThat(ours).hasSize(ref.length);
      float maxAbs = 0;
      for (int i = 0; i < ref.length; i++) {
        maxAbs = Math.max(maxAbs, Math.abs(ours[i] - ref[i]));
      }
      // float rounding only: (p*a+b) vs ((p-m)*s); relative to the value range (<= 255 for scale 1)
      assertThat(maxAbs).isLessThanOrEqualTo((float) (2e-6 * Math.max(1, 255 * scale)));
      assertThat(t.scaleX()).isEqualTo(tw / (double) sw);
    }
  }

  @Test
  void letterboxOfA4x2FrameIntoA4x4TensorIsExact() {
    // BGR pixels, row-major: (b,g,r) = (10i, 10i+1, 10i+2) for pixel i
    ByteBuffer b = ByteBuffer.allocateDirect(4 * 2 * 3);
    for (int i = 0; i < 8; i++) {
      b.put((byte) (10 * i)).put((byte) (10 * i + 1)).put((byte) (10 * i + 2));
    }
    b.flip();
    ImageFrame frame = ImageFrame.wrap(b, 4, 2, PixelFormat.BGR);
    ModelDescriptor d =
        ModelDescriptor.builder()
            .inputSize(4, 4)
            .resize(ResizeMode.LETTERBOX)
            .padValue(7)
            .color(ColorOrder.RGB)
            .scale(1)
            .build();
    try (ImagePreprocessor pre = ImagePreprocessor.create(d, 1)) {
      PreprocessTransform t = pre.preprocess(frame, 0);
      assertThat(t).isEqualTo(new PreprocessTransform(4, 2, 4, 4, 1, 1, 0, 1));
      float[] chw = toArray(pre.output(1, t));
      float[] expected = new float[48];
      for (int c = 0; c < 3; c++) {
        int bgrIndex = 2 - c; // RGB plane c comes from BGR byte 2-c
        for (int y = 0; y < 4; y++) {
          for (int x = 0; x < 4; x++) {
            expected[c * 16 + y * 4 + x] =
                (y == 0 || y == 3) ? 7 : 10 * ((y - 1) * 4 + x) + bgrIndex;
          }
        }
      }
      assertThat(chw).containsExactly(expected);
      float[] box = {0, 1, 4, 3};
      t.mapBoxesToSource(box);
      assertThat(box).containsExactly(0, 0, 4, 2);
    }
  }

  static Stream<Arguments> geometry() {
    return Stream.of(
        // stretch: independent x/y scales, no padding
        Arguments.of(
            ResizeMode.STRETCH,
            null,
            1920,
            1080,
            640,
            640,
            new PreprocessTransform(1920, 1080, 640, 640, 1 / 3.0, 640 / 1080.0, 0, 0)),
        // letterbox: one scale, centred padding on the short side
        Arguments.of(
            ResizeMode.LETTERBOX,
            null,
            1920,
            1080,
            640,
            640,
            new PreprocessTransform(1920, 1080, 640, 640, 1 / 3.0, 1 / 3.0, 0, 140)),
        // pad to multiple without input size: no scaling, canvas rounded up to 32
        Arguments.of(
            ResizeMode.PAD_TO_MULTIPLE,
            null,
            500,
            333,
            0,
            0,
            new PreprocessTransform(500, 333, 512, 352, 1, 1, 0, 0)),
        // pad to multiple with input size: shrink to fit 320x320 keeping aspect, then round up
        Arguments.of(
            ResizeMode.PAD_TO_MULTIPLE,
            null,
            640,
            480,
            320,
            320,
            new PreprocessTransform(640, 480, 320, 256, 0.5, 0.5, 0, 0)));
  }

  @ParameterizedTest
  @MethodSource("geometry")
  void geometryPerResizeMode(
      ResizeMode mode,
      Object unused,
      int sw,
      int sh,
      int tw,
      int th,
      PreprocessTransform expected) {
    ModelDescriptor.Builder b = ModelDescriptor.builder().resize(mode);
    if (tw > 0) {
      b.inputSize(tw, th);
    }
    try (ImagePreprocessor pre = ImagePreprocessor.create(b.build(), 1)) {
      PreprocessTransform t = pre.transformFor(sw, sh);
      assertThat(t.tensorWidth()).isEqualTo(expected.tensorWidth());
      assertThat(t.tensorHeight()).isEqualTo(expected.tensorHeight());
      assertThat(t.scaleX())
          .isCloseTo(expected.scaleX(), org.assertj.core.data.Offset.offset(1e-9));
      assertThat(t.scaleY())
          .isCloseTo(expected.scaleY(), org.assertj.core.data.Offset.offset(1e-9));
      assertThat(t.padX()).isEqualTo(expected.padX());
      assertThat(t.padY()).isEqualTo(expected.padY());
      // round trip of the tensor's corners lands on the frame's corners (inside the unpadded area)
      assertThat(t.toSourceX(t.padX() + t.scaleX() * sw))
          .isCloseTo(sw, org.assertj.core.data.Offset.offset(1e-6));
    }
  }

  @Test
  void yuvNv21AndGrayAndRgbaSourcesMatchOpenCvConversion() {
    int w = 64;
    int h = 48;
    byte[] yuv = new byte[w * h * 3 / 2];
    new Random(5).nextBytes(yuv);
    ByteBuffer yb = ByteBuffer.allocateDirect(yuv.length);
    yb.put(yuv).flip();
    ImageFrame nv21 = ImageFrame.wrap(yb, w, h, w, PixelFormat.NV21);
    ModelDescriptor d =
        ModelDescriptor.builder().inputSize(w, h).color(ColorOrder.RGB).scale(1).build();
    try (ImagePreprocessor pre = ImagePreprocessor.create(d, 1)) {
      float[] ours = toArray(pre.output(1, pre.preprocess(nv21, 0)));
      Mat src = new Mat(h * 3 / 2, w, CvType.CV_8UC1);
      src.put(0, 0, yuv);
      Mat bgr = new Mat();
      Imgproc.cvtColor(src, bgr, Imgproc.COLOR_YUV2BGR_NV21);
      float[] ref = blob(bgr, 1, w, h, new Scalar(0, 0, 0), true);
      assertThat(ours).containsExactly(ref);
      // heap (non-direct) GRAY frame goes through the staging copy and is replicated to 3 channels
      byte[] gray = new byte[w * h];
      new Random(6).nextBytes(gray);
      ImageFrame g = ImageFrame.wrap(ByteBuffer.wrap(gray), w, h, PixelFormat.GRAY);
      float[] gch = toArray(pre.output(1, pre.preprocess(g, 0)));
      for (int i = 0; i < w * h; i += 97) {
        float v = gray[i] & 0xff;
        assertThat(new float[] {gch[i], gch[w * h + i], gch[2 * w * h + i]})
            .containsExactly(v, v, v);
      }
      src.release();
      bgr.release();
    }
  }

  @Test
  void readOnlyAndHeapBuffersGiveTheSameTensorAsDirectOnes() {
    ImageFrame direct = randomBgr(33, 17, 12);
    byte[] bytes = new byte[33 * 17 * 3];
    direct.data().get(bytes);
    // heap, read-only heap, read-only direct, and a padded-stride read-only heap buffer
    byte[] padded = new byte[17 * 100];
    for (int r = 0; r < 17; r++) {
      System.arraycopy(bytes, r * 99, padded, r * 100, 99);
    }
    ImageFrame[] frames = {
      ImageFrame.wrap(ByteBuffer.wrap(bytes), 33, 17, PixelFormat.BGR),
      ImageFrame.wrap(ByteBuffer.wrap(bytes).asReadOnlyBuffer(), 33, 17, PixelFormat.BGR),
      ImageFrame.wrap(direct.data(), 33, 17, PixelFormat.BGR),
      ImageFrame.wrap(ByteBuffer.wrap(padded).asReadOnlyBuffer(), 33, 17, 100, PixelFormat.BGR)
    };
    ModelDescriptor d = ModelDescriptor.builder().inputSize(20, 20).build();
    try (ImagePreprocessor pre = ImagePreprocessor.create(d, 1)) {
      float[] want = toArray(pre.output(1, pre.preprocess(direct, 0)));
      for (ImageFrame f : frames) {
        assertThat(toArray(pre.output(1, pre.preprocess(f, 0)))).containsExactly(want);
      }
      org.opencv.core.Mat m = ImageFrames.toBgrMat(frames[3]);
      assertThat(m.get(16, 32))
          .containsExactly(
              bytes[16 * 99 + 96] & 0xff, bytes[16 * 99 + 97] & 0xff, bytes[16 * 99 + 98] & 0xff);
      m.release();
    }
  }

  @Test
  void nhwcWithPerChannelNormalisation() {
    ImageFrame frame = randomBgr(8, 6, 9);
    float[] mean = {0.485f, 0.456f, 0.406f};
    float[] std = {0.229f, 0.224f, 0.225f};
    ModelDescriptor nchw = ModelDescriptor.builder().inputSize(8, 6).mean(mean).std(std).build();
    ModelDescriptor nhwc = nchw.toBuilder().layout(Layout.NHWC).build();
    try (ImagePreprocessor a = ImagePreprocessor.create(nchw, 1);
        ImagePreprocessor b = ImagePreprocessor.create(nhwc, 1)) {
      float[] planar = toArray(a.output(1, a.preprocess(frame, 0)));
      float[] packed = toArray(b.output(1, b.preprocess(frame, 0)));
      ByteBuffer px = frame.data();
      for (int i = 0; i < 48; i++) {
        for (int c = 0; c < 3; c++) {
          float raw = px.get(i * 3 + (2 - c)) & 0xff;
          float want = (raw / 255f - mean[c]) / std[c];
          assertThat(planar[c * 48 + i])
              .isCloseTo(want, org.assertj.core.data.Offset.offset(1e-5f));
          assertThat(packed[i * 3 + c]).isCloseTo(want, org.assertj.core.data.Offset.offset(1e-5f));
        }
      }
    }
  }

  @Test
  void batchSlotsAreIndependentAndCloseIsIdempotent() {
    ModelDescriptor d = ModelDescriptor.builder().inputSize(4, 4).scale(1).build();
    ImagePreprocessor pre = ImagePreprocessor.create(d, 2);
    PreprocessTransform t0 = pre.preprocess(randomBgr(4, 4, 1), 0);
    pre.preprocess(randomBgr(4, 4, 2), 1);
    float[] both = toArray(pre.output(2, t0));
    assertThat(both).hasSize(96);
    assertThat(java.util.Arrays.copyOfRange(both, 0, 48))
        .isNotEqualTo(java.util.Arrays.copyOfRange(both, 48, 96));
    assertThat(pre.transformFor(4, 4)).isEqualTo(t0);
    assertThatThrownBy(() -> pre.preprocess(randomBgr(4, 4, 1), 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("batchIndex must be in [0, 2), got 2");
    pre.close();
    pre.close();
    assertThatThrownBy(() -> pre.preprocess(randomBgr(4, 4, 1), 0))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }

  @Test
  void realPhotoMatchesBlobFromImage() {
    ImageFrame frame = ImageFrames.read(SharedResources.data("street/coco/000000000359.jpg"));
    ModelDescriptor d = ModelDescriptor.builder().inputSize(320, 320).build();
    try (ImagePreprocessor pre = ImagePreprocessor.create(d, 1)) {
      float[] ours = toArray(pre.output(1, pre.preprocess(frame, 0)));
      Mat src = ImageFrames.toBgrMat(frame);
      float[] ref = blob(src, 1 / 255.0, 320, 320, new Scalar(0, 0, 0), true);
      src.release();
      for (int i = 0; i < ref.length; i++) {
        assertThat(ours[i]).isCloseTo(ref[i], org.assertj.core.data.Offset.offset(1e-6f));
      }
    }
  }
}
