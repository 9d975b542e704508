package io.edgevision.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgevision.core.testing.SharedResources;
import io.edgevision.detectors.traffic.ModelCatalog;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * CI regression gate for the default real-photo pipeline ({@code real}: the fine-tuned DEIMv2 femto
 * detector, with the built-in state classifier): runs {@code ./edgevision eval} on the 200 photos
 * of {@code cinta_v2/valid} (YOLO labels, from the shared directory) exactly as a user would, and
 * fails when class-agnostic AP50 or the colour accuracy of matched lights falls below its floor.
 *
 * <p>Floors: the targets, AP50 ≥ 0.92 (measured 0.951) and colour accuracy ≥ 0.95 (measured
 * 0.973; docs/TRAFFIC_MODEL.md). The floors belong to the pinned model files: replacing one fails
 * this test until whoever ships it re-measures and updates the pins and floors.
 */
class RealModelRegressionTest {
  /** The target; measured 0.951 (the femto of the fifth stage, femto9 step 300). */
  static final double FLOOR_AP50 = 0.92;

  /** The target; measured 0.973. */
  static final double FLOOR_COLOUR_ACCURACY = 0.95;

  @Test
  void cintaValidStaysAboveTheFloors() throws Exception {
    Path valid = SharedResources.data("traffic_lights/cinta_v2/valid");
    DetectCommandTest.Run r =
        DetectCommandTest.run(new EvalCommand(), "--yolo", valid.toString(), "--json");
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode j = new ObjectMapper().readTree(r.out());
    assertThat(j.get("model").asText()).isEqualTo(ModelCatalog.DEFAULT);
    assertThat(j.get("model_sha256").asText())
        .as(
            "the shipped model changed: re-measure it (docs/TRAFFIC_MODEL.md), then update the floors")
        .isEqualTo(ModelCatalog.REAL_FEMTO_SHA256);
    assertThat(j.get("frames").asInt()).isEqualTo(200);
    assertThat(j.get("ground_truths").asInt()).isEqualTo(272); // 92 green + 155 red + 25 yellow
    assertThat(j.get("ap50").asDouble())
        .as("class-agnostic AP50")
        .isGreaterThanOrEqualTo(FLOOR_AP50);
    assertThat(j.get("colour_accuracy").asDouble())
        .as("colour accuracy of matched lights")
        .isGreaterThanOrEqualTo(FLOOR_COLOUR_ACCURACY);
  }
}
