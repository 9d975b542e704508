package io.edgevision.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgevision.core.testing.SharedResources;
import org.junit.jupiter.api.Test;

/** {@code eval} on the shared COCO subset (4 images, 14 traffic lights). */
class EvalCommandTest {
  static String[] args(String... extra) {
    String json = SharedResources.data("street/coco/instances_subset.json").toString();
    String images = SharedResources.data("street/coco/000000000359.jpg").getParent().toString();
    String models = SharedResources.model("deimv2_hgnetv2_atto_coco.onnx").getParent().toString();
    String[] base = {"--model", "atto", "--models-dir", models, "--annotations", json, "--images", images};
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
    // MANIFEST: atto finds the two large lights of 359 (IoU 0.93, 0.87) and nothing in the other three frames.
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
    DetectCommandTest.Run badCategory = DetectCommandTest.run(new EvalCommand(), args("--category", "unicorn"));
    assertThat(badCategory.code()).isEqualTo(2);
    assertThat(badCategory.err()).contains("no category 'unicorn'");
    DetectCommandTest.Run badThreshold = DetectCommandTest.run(new EvalCommand(), args("--threshold", "0.01"));
    assertThat(badThreshold.code()).isEqualTo(2);
  }
}
