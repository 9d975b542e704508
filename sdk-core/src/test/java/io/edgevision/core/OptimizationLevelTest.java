package io.edgevision.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgevision.core.testing.TestModels;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every SDK optimisation level reaches ONNX Runtime and gives the same outputs on the tiny DETR
 * fixture.
 */
class OptimizationLevelTest {
  @ParameterizedTest
  @EnumSource(OptimizationLevel.class)
  void everyLevelBuildsAndRunsTheSameModel(OptimizationLevel level) throws Exception {
    ImageFrame frame = ImagePreprocessorTest.randomBgr(200, 120, 3);
    float[] reference;
    try (InferenceSession s =
        InferenceSession.builder(ModelSource.of(TestModels.path("tiny_detr_raw.onnx"))).build()) {
      reference = s.run(frame, Budget.unlimited(), OutputDecoder.raw()).get().get("pred_logits");
    }
    try (InferenceSession s =
        InferenceSession.builder(ModelSource.of(TestModels.path("tiny_detr_raw.onnx")))
            .optimizationLevel(level)
            .build()) {
      float[] got = s.run(frame, Budget.unlimited(), OutputDecoder.raw()).get().get("pred_logits");
      assertThat(got).containsExactly(reference, org.assertj.core.data.Offset.offset(1e-5f));
    }
  }
}
