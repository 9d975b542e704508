package io.edgevision.detectors.traffic;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgevision.core.InferenceSession;
import io.edgevision.detectors.traffic.eval.CocoDataset;
import io.edgevision.detectors.traffic.eval.CocoEvaluation;
import io.edgevision.detectors.traffic.eval.CocoEvaluation.JointStateEvaluation;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * CI regression gate for the shipped model: loads it through the SDK from the classpath, evaluates
 * it on the committed validation set (48 scenes, 359 lights) exactly as {@code ./edgevision eval}
 * does, and fails when its AP falls below the floors. Training never runs in CI; this guards the
 * committed model file and the decode / suppression / evaluation code path against regressions.
 * Runs in a few seconds (48 frames of 320×320).
 *
 * <p>Floors (docs/TRAFFIC_MODEL.md): the targets are class-agnostic AP50 ≥ 0.95 and
 * joint-state AP50 ≥ 0.90. The shipped model meets them (0.9758 / 0.9648), so the floors are the
 * targets themselves: a model or code change that drops the validation AP below a target fails CI.
 * The top-k joint-state figure has no target of its own; its floor is the joint-state target.
 *
 * <p>The floors belong to one model file: its SHA-256 is pinned, so replacing the model fails this
 * test until whoever ships the new file re-measures it ({@code ./edgevision eval …}) and updates
 * the pin and the floors.
 */
class BuiltinModelRegressionTest {
  /** SHA-256 of the shipped model file the floors were measured on. */
  static final String MEASURED_MODEL_SHA256 =
      "8edbe25b1fce1004d64c179175d03925254e5829ecd3be238d60efe12759ee11";

  /** The target; measured 0.9758 on the shipped model (docs/TRAFFIC_MODEL.md). */
  static final double FLOOR_CLASS_AGNOSTIC_AP50 = 0.95;

  /** The target; measured 0.9648. */
  static final double FLOOR_JOINT_STATE_AP50 = 0.90;

  /** The joint-state target; measured 0.9746. */
  static final double FLOOR_JOINT_STATE_AP50_TOPK = 0.90;

  @Test
  void validationApStaysAboveTheFloors() throws Exception {
    Path dir = ValidationSet.dir();
    CocoDataset coco = CocoDataset.read(dir.resolve("annotations.json"));
    try (InferenceSession session =
        ModelCatalog.sessionBuilder(ModelCatalog.BUILTIN, dir).build()) {
      assertThat(session.fingerprint().modelSha256())
          .as(
              "the shipped model changed: re-measure it (docs/TRAFFIC_MODEL.md), then update the pin and floors")
          .isEqualTo(MEASURED_MODEL_SHA256);
      // the eval command's settings: lights down to 0.05 for the AP ranking, P/R and strict pass at
      // 0.3
      TrafficLightDetector detector =
          TrafficLightDetector.builder(session)
              .scoreThreshold(0.05f)
              .candidateThreshold(0.05f)
              .build();
      JointStateEvaluation e =
          CocoEvaluation.evaluateJointStates(
              detector, coco, dir, DetrDetector.DEFAULT_SCORE_THRESHOLD);
      assertThat(e.report().groundTruths()).isEqualTo(359);
      assertThat(e.report().ap50())
          .as("class-agnostic AP50")
          .isGreaterThanOrEqualTo(FLOOR_CLASS_AGNOSTIC_AP50);
      assertThat(e.jointState().ap50())
          .as("joint-state AP50")
          .isGreaterThanOrEqualTo(FLOOR_JOINT_STATE_AP50);
      assertThat(e.jointState().ap50TopK())
          .as("joint-state AP50, top-k")
          .isGreaterThanOrEqualTo(FLOOR_JOINT_STATE_AP50_TOPK);
    }
  }
}
