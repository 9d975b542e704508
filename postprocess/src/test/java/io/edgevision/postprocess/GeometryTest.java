package io.edgevision.postprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class GeometryTest {
  @Test
  void cxcywhRoundTripsThroughXyxy() {
    float[] boxes = {0.5f, 0.5f, 0.2f, 0.4f, 0.1f, 0.9f, 0.2f, 0.2f};
    float[] xyxy = new float[8];
    Boxes.cxcywhToXyxy(boxes, xyxy, 2);
    assertThat(xyxy)
        .containsExactly(new float[] {0.4f, 0.3f, 0.6f, 0.7f, 0f, 0.8f, 0.2f, 1.0f}, within(1e-6f));
    Boxes.xyxyToCxcywh(xyxy, xyxy, 2);
    assertThat(xyxy).containsExactly(boxes, within(1e-6f));
  }

  @Test
  void normalisedAndPixelsConvertBothWays() {
    float[] b = {0.25f, 0.5f, 0.75f, 1f};
    Boxes.scale(b, 1, 640, 480);
    assertThat(b).containsExactly(160, 240, 480, 480);
    Boxes.normalise(b, 1, 640, 480);
    assertThat(b).containsExactly(0.25f, 0.5f, 0.75f, 1f);
    assertThatThrownBy(() -> Boxes.scale(b, 1, 0, 480))
        .hasMessage("expected a positive size, got 0.0x480.0");
  }

  @Test
  void clampPinsToTheImage() {
    float[] b = {-5, -1, 700, 100, 650, 10, 700, 20};
    Boxes.clamp(b, 2, 640, 480);
    assertThat(b).containsExactly(0, 0, 640, 100, 640, 10, 640, 20);
  }

  static Stream<Arguments> transforms() {
    return Stream.of(
        // 1280x720 letterboxed into 640x640: scale 0.5, top padding 140.
        Arguments.of(
            BoxTransform.letterbox(1280, 720, 640, 640),
            new float[] {100, 240, 200, 340},
            new float[] {200, 200, 400, 400}),
        // Plain resize 1920x1080 -> 320x320: x * 6, y * 3.375.
        Arguments.of(
            BoxTransform.resize(1920, 1080, 320, 320),
            new float[] {10, 10, 20, 20},
            new float[] {60, 33.75f, 120, 67.5f}),
        // Clamping: a box leaking past the frame is pinned to it.
        Arguments.of(
            BoxTransform.letterbox(1280, 720, 640, 640),
            new float[] {-10, 100, 700, 600},
            new float[] {0, 0, 1280, 720}),
        // Identity leaves everything, including out-of-frame coordinates.
        Arguments.of(
            BoxTransform.IDENTITY,
            new float[] {-10, 100, 700, 600},
            new float[] {-10, 100, 700, 600}),
        // Explicit offsets without clamping: (model - offset) / scale.
        Arguments.of(
            BoxTransform.of(2f, 4f, 10f, 20f),
            new float[] {10, 20, 30, 60},
            new float[] {0, 0, 10, 10}));
  }

  @ParameterizedTest
  @MethodSource("transforms")
  void boxTransformUndoesThePreprocessing(BoxTransform t, float[] model, float[] original) {
    t.apply(model, 1);
    assertThat(model).containsExactly(original, within(1e-4f));
  }

  @Test
  void invalidRecordsAreRejectedWithExpectedGotMessages() {
    assertThatThrownBy(() -> new Box(10, 0, 5, 5))
        .hasMessage("expected x2 >= x1, got x1=10.0, x2=5.0");
    assertThatThrownBy(() -> new Box(0, Float.NaN, 5, 5))
        .hasMessageContaining("expected finite coordinates");
    assertThatThrownBy(() -> BoxTransform.of(0f, 1f, 0f, 0f))
        .hasMessage("expected scaleX > 0, got 0.0");
    assertThatThrownBy(() -> new Detection(new Box(0, 0, 1, 1), 1, 0.5f, -2, java.util.List.of()))
        .hasMessage("expected queryIndex >= -1, got -2");
    assertThatThrownBy(
            () ->
                new Detection(
                    new Box(0, 0, 1, 1), 1, 0.5f, 0, java.util.List.of(new LabelScore(1, 0.2f))))
        .hasMessageContaining("exclude the detection's own class 1");
  }

  @Test
  void detectionsIsImmutableAndFilters() {
    Detections d =
        Detections.of(
            java.util.List.of(
                Detection.of(new Box(0, 0, 10, 10), 1, 0.9f),
                Detection.of(new Box(1, 0, 11, 10), 1, 0.4f),
                Detection.of(new Box(50, 0, 60, 10), 2, 0.2f)));
    assertThat(d.withMinScore(0.3f)).hasSize(2);
    assertThat(d.withNms(NmsOptions.hard(0.5f)))
        .extracting(Detection::score)
        .containsExactly(0.9f, 0.2f);
    assertThatThrownBy(() -> d.add(Detection.of(new Box(0, 0, 1, 1), 0, 0f)))
        .isInstanceOf(UnsupportedOperationException.class);
  }
}
