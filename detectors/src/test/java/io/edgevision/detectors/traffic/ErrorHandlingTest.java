package io.edgevision.detectors.traffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgevision.core.Budget;
import io.edgevision.core.EdgeVisionException;
import io.edgevision.core.ErrorCode;
import io.edgevision.core.ImageFrame;
import io.edgevision.core.ImageFrames;
import io.edgevision.core.InferenceSession;
import io.edgevision.core.ModelSource;
import io.edgevision.core.Outcome;
import io.edgevision.core.PixelFormat;
import io.edgevision.core.testing.TestModels;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Bad models and bad frames give a clear error or an empty result, never a crash. */
class ErrorHandlingTest {
  /** Builds a session and a traffic-light detector on it, closing the session whatever happens. */
  static void buildDetector(ModelSource source, DetrLayout layout) {
    try (InferenceSession s = InferenceSession.builder(source).build()) {
      TrafficLightDetector.builder(s).layout(layout).build();
    }
  }

  static Stream<Arguments> badModels() {
    byte[] tiny = TestModels.bytes("tiny_detr_raw.onnx");
    return Stream.of(
        // garbage bytes are not an ONNX model
        Arguments.of(
            "corrupt",
            ModelSource.of("not an onnx model".getBytes(), "corrupt.onnx"),
            DetrLayout.AUTO,
            ErrorCode.MODEL_INVALID,
            "corrupt.onnx"),
        // a valid model cut in half
        Arguments.of(
            "truncated",
            ModelSource.of(Arrays.copyOf(tiny, tiny.length / 2), "truncated.onnx"),
            DetrLayout.AUTO,
            ErrorCode.MODEL_INVALID,
            "truncated.onnx"),
        // an image model whose only output is the image: no DETR layout
        Arguments.of(
            "static echo",
            ModelSource.of(TestModels.path("static_echo.onnx")),
            DetrLayout.AUTO,
            ErrorCode.MODEL_DESCRIPTOR_MISMATCH,
            "DETR-family layout"),
        // a token model: no image input at all
        Arguments.of(
            "tokens",
            ModelSource.of(TestModels.path("token_input.onnx")),
            DetrLayout.AUTO,
            ErrorCode.MODEL_DESCRIPTOR_MISMATCH,
            "tokens"),
        // baked outputs but no orig_target_sizes input: its boxes would be in unknown units
        Arguments.of(
            "baked, no size input",
            ModelSource.of(TestModels.path("baked_without_size_input.onnx")),
            DetrLayout.AUTO,
            ErrorCode.MODEL_DESCRIPTOR_MISMATCH,
            "orig_target_sizes"),
        // a raw model forced to the baked layout
        Arguments.of(
            "raw forced to baked",
            ModelSource.of(TestModels.path("tiny_detr_raw.onnx")),
            DetrLayout.BAKED,
            ErrorCode.MODEL_DESCRIPTOR_MISMATCH,
            "baked DETR layout"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badModels")
  void badModelsFailWithAClearCode(
      String name, ModelSource source, DetrLayout layout, ErrorCode code, String mentions) {
    assertThatThrownBy(() -> buildDetector(source, layout))
        .isInstanceOf(EdgeVisionException.class)
        .satisfies(e -> assertThat(((EdgeVisionException) e).code()).isEqualTo(code))
        .hasMessageContaining(mentions);
  }

  @Test
  void anEmptyImageFileIsBadInput(@TempDir Path dir) throws Exception {
    Path empty = Files.createFile(dir.resolve("empty.jpg"));
    assertThatThrownBy(() -> ImageFrames.read(empty))
        .isInstanceOf(EdgeVisionException.class)
        .satisfies(
            e -> assertThat(((EdgeVisionException) e).code()).isEqualTo(ErrorCode.BAD_INPUT));
  }

  @Test
  void zeroSizedFramesAreBadInput() {
    assertThatThrownBy(() -> ImageFrame.wrap(ByteBuffer.allocate(0), 0, 0, PixelFormat.BGR))
        .isInstanceOf(EdgeVisionException.class)
        .satisfies(
            e -> assertThat(((EdgeVisionException) e).code()).isEqualTo(ErrorCode.BAD_INPUT));
  }

  @Test
  void aOneByOneImageGivesBoxesInsideTheFrameOrNone() {
    ImageFrame pixel =
        ImageFrame.wrap(ByteBuffer.wrap(new byte[] {(byte) 200, 10, 10}), 1, 1, PixelFormat.BGR);
    try (InferenceSession s =
        InferenceSession.builder(ModelSource.of(TestModels.path("tiny_detr_raw.onnx"))).build()) {
      DetectionResult r =
          DetrDetector.builder(s)
              .scoreThreshold(0f)
              .candidateThreshold(0f)
              .build()
              .detect(pixel, Budget.unlimited());
      assertThat(r.outcome()).isEqualTo(Outcome.COMPLETED);
      // Every box clamped to a 1x1 frame is either inside it with positive size or dropped as
      // invalid.
      assertThat(r.detections().size() + r.invalidCount()).isGreaterThan(0);
      assertThat(r.detections())
          .allSatisfy(
              d -> {
                assertThat(d.box().x1()).isBetween(0f, 1f);
                assertThat(d.box().x2()).isBetween(0f, 1f);
                assertThat(d.box().y2()).isBetween(0f, 1f);
              });
    }
  }

  @Test
  void aOneByOneImageThroughTheRealModelIsAResultNotACrash() {
    ImageFrame pixel =
        ImageFrame.wrap(ByteBuffer.wrap(new byte[] {0, 0, (byte) 255}), 1, 1, PixelFormat.BGR);
    try (InferenceSession atto = Shared.session(Shared.ATTO)) {
      TrafficLightResult r =
          TrafficLightDetector.builder(atto).build().detect(pixel, Budget.unlimited());
      assertThat(r.outcome()).isEqualTo(Outcome.COMPLETED);
      assertThat(r.lights()).allSatisfy(l -> assertThat(l.box().x2()).isLessThanOrEqualTo(1f));
    }
  }

  @Test
  void detectingOnAClosedSessionIsIllegalState() {
    InferenceSession s =
        InferenceSession.builder(ModelSource.of(TestModels.path("tiny_detr_raw.onnx"))).build();
    DetrDetector d = DetrDetector.builder(s).build();
    s.close();
    ImageFrame frame = ImageFrame.wrap(ByteBuffer.allocate(3 * 8 * 8), 8, 8, PixelFormat.BGR);
    assertThatThrownBy(() -> d.detect(frame, Budget.unlimited()))
        .isInstanceOf(IllegalStateException.class);
  }
}
