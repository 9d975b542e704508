package io.edgevision.detectors.traffic;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgevision.core.Budget;
import io.edgevision.core.ImageFrame;
import io.edgevision.core.InferenceSession;
import io.edgevision.core.ModelSource;
import io.edgevision.core.PixelFormat;
import io.edgevision.core.testing.TestModels;
import io.edgevision.postprocess.Colour;
import io.edgevision.postprocess.LabelSchema;
import io.edgevision.postprocess.StateDecoder;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/**
 * Schema models on sdk-core's {@code tiny_detr_raw.onnx} (10 queries, 4 classes labelled red,
 * yellow, green, off): every class is a light state, decoded by the single-head state decoder.
 */
class TrafficLightDetectorTest {
  static final LabelSchema SCHEMA =
      LabelSchema.parse(
          """
      {"name": "tiny", "classes": [{"name": "red", "colour": "red"}, {"name": "yellow", "colour": "yellow"},
        {"name": "green", "colour": "green"}, {"name": "off", "colour": "off"}]}""");

  static ImageFrame frame() {
    byte[] px = new byte[64 * 48 * 3];
    for (int i = 0; i < px.length; i++) {
      px[i] = (byte) (i * 7);
    }
    return ImageFrame.wrap(ByteBuffer.wrap(px), 64, 48, PixelFormat.BGR);
  }

  @Test
  void schemaModelsGiveEveryLightADetectorState() {
    try (InferenceSession s =
        InferenceSession.builder(ModelSource.of(TestModels.path("tiny_detr_raw.onnx"))).build()) {
      TrafficLightDetector detector =
          TrafficLightDetector.builder(s)
              .labelSchema(SCHEMA)
              .scoreThreshold(0.05f)
              .candidateThreshold(0.05f)
              .build();
      DetectionResult all = detector.detrDetector().detect(frame(), Budget.unlimited());
      TrafficLightResult r = detector.detect(frame(), Budget.unlimited());
      assertThat(r.lights())
          .as("every class of a schema model is a light")
          .hasSameSizeAs(all.detections());
      assertThat(r.lights()).isNotEmpty();
      StateDecoder reference = StateDecoder.builder(SCHEMA).build();
      for (int i = 0; i < r.lights().size(); i++) {
        TrafficLight l = r.lights().get(i);
        assertThat(l.stateSource()).isEqualTo(StateSource.DETECTOR);
        assertThat(l.label()).isEqualTo(SCHEMA.stateClass(l.classId()).name());
        assertThat(l.state().orElseThrow().toString())
            .isEqualTo(reference.decodeDetection(all.detections().get(i)).toString());
        // the best class of the evidence is the detection's own label (its score beats its
        // alternatives)
        assertThat(l.state().get().bestClass().index()).isEqualTo(l.classId());
        assertThat(l.state().get().colourProbability(Colour.UNKNOWN)).isZero();
      }
    }
  }

  @Test
  void genericModelsKeepOnlyTheTrafficLightClass() {
    try (InferenceSession s =
        InferenceSession.builder(ModelSource.of(TestModels.path("tiny_detr_raw.onnx"))).build()) {
      // tiny_detr_raw's labels have no "traffic light": choose class 2 explicitly.
      TrafficLightDetector detector =
          TrafficLightDetector.builder(s)
              .classes(2)
              .scoreThreshold(0.05f)
              .candidateThreshold(0.05f)
              .build();
      TrafficLightResult r = detector.detect(frame(), Budget.unlimited());
      DetectionResult all = detector.detrDetector().detect(frame(), Budget.unlimited());
      assertThat(r.lights())
          .hasSize((int) all.detections().stream().filter(d -> d.classId() == 2).count());
      assertThat(r.lights())
          .allSatisfy(
              l -> {
                assertThat(l.classId()).isEqualTo(2);
                assertThat(l.label()).isEqualTo("green"); // from the descriptor's labels
                assertThat(l.state()).isEmpty();
              });
      assertThat(r.suppressed())
          .allSatisfy(
              sup ->
                  assertThat(r.lights().get(sup.survivorIndex()).box())
                      .isEqualTo(sup.survivor().box()));
    }
  }
}
