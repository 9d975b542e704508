package io.edgevision.benchmarks.traffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.edgevision.detectors.traffic.TrafficLight;
import io.edgevision.detectors.traffic.TrafficLightResult;
import org.junit.jupiter.api.Test;

/**
 * The benchmark's two sides compute the same network output, so their ratio compares like with
 * like.
 */
class TrafficLightBenchmarkTest {
  @Test
  void baselineAndSdkSeeTheSameNetworkOutput() throws Exception {
    TrafficLightBenchmark b = new TrafficLightBenchmark();
    b.model = "builtin";
    b.setup();
    try {
      TrafficLightResult sdk = (TrafficLightResult) b.sdkDetect();
      float[][] raw = (float[][]) b.rawOrtRun();
      // pred_logits [1, 60, 6] and pred_boxes [1, 60, 4] of the shipped model
      assertThat(raw.length).isEqualTo(2);
      assertThat(raw[0]).hasSize(360);
      assertThat(raw[1]).hasSize(240);
      float maxLogit = Float.NEGATIVE_INFINITY;
      for (float v : raw[0]) {
        maxLogit = Math.max(maxLogit, v);
      }
      double rawBest = 1 / (1 + Math.exp(-maxLogit));
      double sdkBest = sdk.lights().stream().mapToDouble(TrafficLight::score).max().orElseThrow();
      // the hand-written preprocessing of the baseline equals the SDK's (same best score up to
      // float rounding)
      assertThat(sdkBest).isCloseTo(rawBest, within(1e-4));
    } finally {
      b.tearDown();
    }
  }
}
