package io.edgevision.detectors.traffic;

import io.edgevision.core.testing.EqualsTable;
import io.edgevision.postprocess.Box;
import io.edgevision.postprocess.LabelSchema;
import io.edgevision.postprocess.LabelScore;
import io.edgevision.postprocess.LightState;
import io.edgevision.postprocess.ScoreKind;
import io.edgevision.postprocess.StateDecoder;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Issue 16, defect 7: TrafficLight.equals was false for identical results because LightState had no
 * equals.
 */
class TrafficLightEqualityTest {
  static final String SCHEMA =
      """
      {"name": "t", "classes": [{"name": "red", "colour": "red"}, {"name": "green", "colour": "green"}]}""";

  static TrafficLight light(float redLogit, float score) {
    LightState s =
        StateDecoder.builder(LabelSchema.parse(SCHEMA))
            .build()
            .decode(new float[] {redLogit, 0}, ScoreKind.LOGITS);
    return new TrafficLight(
        new Box(1, 2, 3, 4),
        score,
        0,
        "traffic light",
        Optional.of(s),
        StateSource.DETECTOR,
        List.of(new LabelScore(1, 0.1f)),
        7);
  }

  @Test
  void identicalLightsAreEqual() {
    EqualsTable.check(
        List.<List<Supplier<?>>>of(
            // same box, score, state decoded from the same logits
            List.of(() -> light(3, 0.9f), () -> light(3, 0.9f)),
            // another state
            List.of(() -> light(-3, 0.9f)),
            // another score
            List.of(() -> light(3, 0.8f))));
  }
}
