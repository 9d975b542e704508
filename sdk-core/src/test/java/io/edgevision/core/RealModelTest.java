package io.edgevision.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgevision.core.testing.SharedResources;
import org.junit.jupiter.api.Test;

/**
 * The real DEIMv2 models of ../shared run through sessions with descriptor-driven preprocessing.
 */
class RealModelTest {
  /** MANIFEST.md: RGB, plain resize to 320x320, /255, no mean/std. */
  static final ModelDescriptor ATTO =
      ModelDescriptor.builder()
          .inputSize(320, 320)
          .resize(ModelDescriptor.ResizeMode.STRETCH)
          .color(ModelDescriptor.ColorOrder.RGB)
          .scale(1 / 255.0)
          .build();

  @Test
  void rawAttoRunsAndFindsTheTrafficLightOfCoco359() {
    ImageFrame photo = ImageFrames.read(SharedResources.data("street/coco/000000000359.jpg"));
    try (InferenceSession s =
        InferenceSession.builder(
                ModelSource.of(SharedResources.model("deimv2_hgnetv2_atto_coco_raw.onnx"))
                    .withSha256("a9e594dd224d6d11e98f9c75ee9afc044fb2b833c50343144408897679c0ff6e"))
            .descriptor(ATTO)
            .build()) {
      assertThat(s.model().inputs()).hasSize(1);
      assertThat(s.model().outputs().get(0).name()).isEqualTo("pred_logits");
      RawOutputs out = s.run(photo, Budget.unlimited(), OutputDecoder.raw()).get();
      assertThat(out.shapes().get("pred_logits")).containsExactly(1, 100, 80);
      float[] logits = out.get("pred_logits");
      int best = 0;
      for (int i = 1; i < logits.length; i++) {
        best = logits[i] > logits[best] ? i : best;
      }
      double score = 1 / (1 + Math.exp(-logits[best]));
      assertThat(best % 80).as("class of the best score").isEqualTo(9); // traffic light
      assertThat(score).isBetween(0.5, 0.65); // MANIFEST: 0.58
    }
  }

  @Test
  void bakedAttoGetsTheFrameSizeInputAutomaticallyAndAgreesWithRaw() {
    ImageFrame photo = ImageFrames.read(SharedResources.data("street/coco/000000000359.jpg"));
    try (InferenceSession baked =
            InferenceSession.builder(
                    ModelSource.of(SharedResources.model("deimv2_hgnetv2_atto_coco.onnx")))
                .descriptor(ATTO)
                .build();
        InferenceSession raw =
            InferenceSession.builder(
                    ModelSource.of(SharedResources.model("deimv2_hgnetv2_atto_coco_raw.onnx")))
                .descriptor(ATTO)
                .build()) {
      assertThat(baked.model().inputs())
          .extracting(TensorInfo::name)
          .containsExactly("images", "orig_target_sizes");
      InferenceResult<float[]> b =
          baked.run(
              photo,
              Budget.unlimited(),
              (o, c) -> {
                float[] scores = o.floats("scores");
                float[] boxes = o.floats("boxes");
                long[] labels = o.longs("labels");
                return new float[] {scores[0], labels[0], boxes[0], boxes[1], boxes[2], boxes[3]};
              });
      float[] r =
          raw.run(
                  photo,
                  Budget.unlimited(),
                  (o, c) -> {
                    float[] logits = o.floats("pred_logits");
                    float[] boxes = o.floats("pred_boxes");
                    int best = 0;
                    for (int i = 1; i < logits.length; i++) {
                      best = logits[i] > logits[best] ? i : best;
                    }
                    int q = best / 80;
                    float w = c.transform().sourceWidth();
                    float h = c.transform().sourceHeight();
                    float cx = boxes[4 * q],
                        cy = boxes[4 * q + 1],
                        bw = boxes[4 * q + 2],
                        bh = boxes[4 * q + 3];
                    return new float[] {
                      (float) (1 / (1 + Math.exp(-logits[best]))),
                      best % 80,
                      (cx - bw / 2) * w,
                      (cy - bh / 2) * h,
                      (cx + bw / 2) * w,
                      (cy + bh / 2) * h
                    };
                  })
              .get();
      float[] got = b.get();
      assertThat(got[0]).isCloseTo(r[0], org.assertj.core.data.Offset.offset(1e-5f));
      assertThat(got[1]).isEqualTo(r[1]);
      for (int i = 2; i < 6; i++) {
        assertThat(got[i])
            .isCloseTo(r[i], org.assertj.core.data.Offset.offset(0.01f)); // pixels of the original
      }
    }
  }
}
