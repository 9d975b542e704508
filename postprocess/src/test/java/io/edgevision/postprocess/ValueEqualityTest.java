package io.edgevision.postprocess;

import io.edgevision.core.testing.EqualsTable;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Issue 16, defect 7: result types compare by value (LightState had identity equality). */
class ValueEqualityTest {
  static final String SCHEMA =
      """
      {"name": "t", "classes": [
        {"name": "red", "colour": "red"}, {"name": "red_left", "colour": "red", "arrows": ["left"]},
        {"name": "green", "colour": "green"}]}""";

  static LightState state(float... logits) {
    return StateDecoder.builder(LabelSchema.parse(SCHEMA)).build().decode(logits, ScoreKind.LOGITS);
  }

  static NmsResult nms(float iou) {
    return Nms.hard(
        new float[] {0, 0, 10, 10, 1, 1, 11, 11, 50, 50, 60, 60},
        new float[] {0.9f, 0.8f, 0.7f},
        iou);
  }

  static Stream<Arguments> types() {
    return Stream.of(
        // LightState: same logits decode to equal states; other logits, other states (was identity
        // equality)
        Arguments.of(
            "LightState",
            List.<List<Supplier<?>>>of(
                List.of(() -> state(0, 3, 0), () -> state(0, 3, 0)),
                List.of(() -> state(3, 0, 0)),
                List.of(() -> state(0, 3.01f, 0)))),
        // NmsResult: 0.5 keeps boxes 0 and 2, 0.99 keeps all three
        Arguments.of(
            "NmsResult",
            List.<List<Supplier<?>>>of(
                List.of(() -> nms(0.5f), () -> nms(0.4f)), List.of(() -> nms(0.99f)))),
        // LabelSchema: parsed twice is equal; another name is not
        Arguments.of(
            "LabelSchema",
            List.<List<Supplier<?>>>of(
                List.of(() -> LabelSchema.parse(SCHEMA), () -> LabelSchema.parse(SCHEMA)),
                List.of(() -> LabelSchema.parse(SCHEMA.replace("\"t\"", "\"u\""))))),
        // Detection (record over Box): equal boxes, class and score
        Arguments.of(
            "Detection",
            List.<List<Supplier<?>>>of(
                List.of(
                    () -> Detection.of(new Box(1, 2, 3, 4), 1, 0.5f),
                    () -> Detection.of(new Box(1, 2, 3, 4), 1, 0.5f)),
                List.of(() -> Detection.of(new Box(1, 2, 3, 4), 2, 0.5f)),
                List.of(() -> Detection.of(new Box(1, 2, 3, 5), 1, 0.5f)))),
        // Detections (a List): element-wise
        Arguments.of(
            "Detections",
            List.<List<Supplier<?>>>of(
                List.of(
                    () -> Detections.of(List.of(Detection.of(new Box(1, 2, 3, 4), 1, 0.5f))),
                    () -> Detections.of(List.of(Detection.of(new Box(1, 2, 3, 4), 1, 0.5f)))),
                List.of(Detections::empty))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("types")
  void equalValuesAreEqualAndOthersAreNot(String type, List<List<Supplier<?>>> groups) {
    EqualsTable.check(groups);
  }
}
