package io.edgevision.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgevision.core.testing.SharedResources;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * {@code eval} on the shared COCO subset (4 images, 14 traffic lights), and with the built-in model
 * on the committed validation set: joint states, {@code --suppression}, {@code --sequences}.
 */
class EvalCommandTest {
  static String[] args(String... extra) {
    String json = SharedResources.data("street/coco/instances_subset.json").toString();
    String images = SharedResources.data("street/coco/000000000359.jpg").getParent().toString();
    String models = SharedResources.model("deimv2_hgnetv2_atto_coco.onnx").getParent().toString();
    String[] base = {
      "--model", "atto", "--models-dir", models, "--annotations", json, "--images", images
    };
    String[] all = new String[base.length + extra.length];
    System.arraycopy(base, 0, all, 0, base.length);
    System.arraycopy(extra, 0, all, base.length, extra.length);
    return all;
  }

  @Test
  void jsonReportOnTheSharedCocoSubset() throws Exception {
    DetectCommandTest.Run r = DetectCommandTest.run(new EvalCommand(), args("--json"));
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode j = new ObjectMapper().readTree(r.out());
    assertThat(j.get("frames").asInt()).isEqualTo(4);
    assertThat(j.get("ground_truths").asInt()).isEqualTo(14); // data MANIFEST
    assertThat(j.get("ap50").asDouble()).isBetween(0.0, 1.0);
    assertThat(j.get("ap50_95").asDouble()).isLessThanOrEqualTo(j.get("ap50").asDouble());
    // MANIFEST: atto finds the two large lights of 359 (IoU 0.93, 0.87) and nothing in the other
    // three frames.
    JsonNode f359 = j.get("per_frame").get(1);
    assertThat(f359.get("file").asText()).isEqualTo("000000000359.jpg");
    assertThat(f359.get("true_positives").asInt()).isEqualTo(2);
    assertThat(j.get("true_positives").asInt()).isEqualTo(2);
    assertThat(j.get("recall").asDouble()).isEqualTo(Math.round(2 / 14.0 * 1e4) / 1e4);
    assertThat(j.get("frames_passed").asInt()).isEqualTo(0);
  }

  @Test
  void tableAndUsageErrors() {
    DetectCommandTest.Run table = DetectCommandTest.run(new EvalCommand(), args());
    assertThat(table.code()).as(table.err()).isZero();
    assertThat(table.out()).contains("AP@0.5 ").contains("strict frame pass rate 0/4");
    DetectCommandTest.Run badCategory =
        DetectCommandTest.run(new EvalCommand(), args("--category", "unicorn"));
    assertThat(badCategory.code()).isEqualTo(2);
    assertThat(badCategory.err()).contains("no category 'unicorn'");
    DetectCommandTest.Run badThreshold =
        DetectCommandTest.run(new EvalCommand(), args("--threshold", "0.01"));
    assertThat(badThreshold.code()).isEqualTo(2);
  }

  static final Path VALIDATION = Path.of("../detectors/src/test/resources/trafficlights");

  static String[] validation(String... extra) {
    String[] base = {
      // the synthetic validation set has joint-state annotations: the synthetic model reads them
      "--model",
      "builtin",
      "--annotations",
      VALIDATION.resolve("annotations.json").toString(),
      "--images",
      VALIDATION.toString()
    };
    String[] all = new String[base.length + extra.length];
    System.arraycopy(base, 0, all, 0, base.length);
    System.arraycopy(extra, 0, all, base.length, extra.length);
    return all;
  }

  @Test
  void builtinModelOnTheValidationSetReportsJointStates() throws Exception {
    DetectCommandTest.Run r = DetectCommandTest.run(new EvalCommand(), validation("--json"));
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode j = new ObjectMapper().readTree(r.out());
    assertThat(j.get("model").asText()).isEqualTo("builtin");
    assertThat(j.get("mode").asText()).isEqualTo("joint_states");
    assertThat(j.get("frames").asInt()).isEqualTo(48);
    assertThat(j.get("ground_truths").asInt()).isEqualTo(359); // training/README.md
    JsonNode perState = j.get("per_state");
    assertThat(perState.size()).isEqualTo(6);
    assertThat(perState.get(3).get("state").asText()).isEqualTo("red_left");
    assertThat(perState.get(3).get("ground_truths").asInt()).isEqualTo(32);
    // the joint-state mean is the mean of the six per-state APs
    double sum = 0;
    for (JsonNode s : perState) {
      sum += s.get("ap50").asDouble();
    }
    assertThat(j.get("joint_state_ap50").asDouble()).isCloseTo(sum / 6, within(1e-3));
    assertThat(j.get("true_positives").asInt() + j.get("false_negatives").asInt()).isEqualTo(359);
    assertThat(j.get("frames_passed").asInt()).isBetween(0, 48);
    DetectCommandTest.Run table = DetectCommandTest.run(new EvalCommand(), validation());
    assertThat(table.out())
        .contains("class-agnostic AP@0.5")
        .contains("joint-state AP@0.5, top-k")
        .contains("strict frame pass rate with states");
  }

  @Test
  void suppressionAndSequenceTables() throws Exception {
    DetectCommandTest.Run s =
        DetectCommandTest.run(new EvalCommand(), validation("--suppression", "--json"));
    assertThat(s.code()).as(s.err()).isZero();
    JsonNode j = new ObjectMapper().readTree(s.out());
    assertThat(j.get("methods").size()).isEqualTo(3);
    assertThat(j.get("methods").get(0).get("method").asText()).isEqualTo("raw_top_k");
    assertThat(j.get("methods").get(0).get("images").asInt()).isEqualTo(35);
    DetectCommandTest.Run q =
        DetectCommandTest.run(
            new EvalCommand(),
            "--model",
            "builtin",
            "--sequences",
            VALIDATION.resolve("sequences").toString(),
            "--json");
    assertThat(q.code()).as(q.err()).isZero();
    JsonNode rows = new ObjectMapper().readTree(q.out()).get("sequences");
    assertThat(rows.size()).as("5 sequences + total, model and simulated").isEqualTo(12);
    assertThat(rows.get(5).get("sequence").asText()).isEqualTo("all");
    assertThat(rows.get(5).get("objects").asInt()).isEqualTo(336);
    DetectCommandTest.Run usage = DetectCommandTest.run(new EvalCommand(), "--json");
    assertThat(usage.code()).isEqualTo(2);
    assertThat(usage.err()).contains("expected --annotations and --images");
  }
}
