package io.edgevision.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgevision.core.testing.SharedResources;
import io.edgevision.detectors.traffic.ModelCatalog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code detect} on several images (JSON Lines, progress, an {@code --out} directory), {@code
 * --tiles}, {@code --classifier}, and {@code eval} on a YOLO folder.
 */
class MultiImageCliTest {
  static final ObjectMapper JSON = new ObjectMapper();

  /**
   * The second-stage fixture of the detectors module (made by tools/fixtures/make_test_models.py).
   */
  static final Path CLASSIFIER_FIXTURE =
      Path.of("../detectors/src/test/resources/models/traffic_state_classifier.onnx");

  static List<JsonNode> lines(String out) throws Exception {
    List<JsonNode> nodes = new ArrayList<>();
    for (String line : out.split("\n")) {
      if (!line.isBlank()) {
        nodes.add(JSON.readTree(line));
      }
    }
    return nodes;
  }

  @Test
  void aDirectoryGivesOneJsonLinePerImageProgressAndAnnotatedCopies(@TempDir Path tmp)
      throws Exception {
    Path coco = SharedResources.data("street/coco/000000000359.jpg").getParent();
    Path out = tmp.resolve("annotated");
    DetectCommandTest.Run r =
        DetectCommandTest.run(
            new DetectCommand(),
            "--images",
            coco.toString(),
            "--json",
            "--out",
            out.toString(),
            "--warmup",
            "0");
    assertThat(r.code()).as(r.err()).isZero();
    List<JsonNode> lines = lines(r.out());
    // the 4 photos, name order; instances_subset.json and traffic_lights.csv are not images
    assertThat(lines)
        .extracting(j -> Path.of(j.get("image").asText()).getFileName().toString())
        .containsExactly(
            "000000000257.jpg", "000000000359.jpg", "000000000510.jpg", "000000000540.jpg");
    for (JsonNode j : lines) {
      assertThat(j.get("outcome").asText()).isEqualTo("COMPLETED");
      assertThat(j.get("tiling").get("sliced").asBoolean())
          .as("640x480 is not much larger than 320")
          .isFalse();
      assertThat(Files.isRegularFile(Path.of(j.get("annotated_image").asText()))).isTrue();
    }
    assertThat(r.out().lines().count()).as("one object per line").isEqualTo(4);
    assertThat(r.err()).contains("[1/4]").contains("[4/4]");
    try (Stream<Path> files = Files.list(out)) {
      assertThat(files.count()).isEqualTo(4);
    }
  }

  @Test
  void anUnreadableImageIsReportedAndTheOthersStillRun(@TempDir Path tmp) throws Exception {
    Path empty = Files.createFile(tmp.resolve("empty.jpg"));
    String good = SharedResources.data("street/coco/000000000359.jpg").toString();
    DetectCommandTest.Run r =
        DetectCommandTest.run(
            new DetectCommand(),
            "--image",
            empty.toString(),
            "--image",
            good,
            "--json",
            "--warmup",
            "0");
    assertThat(r.code()).as("an image failed").isEqualTo(1);
    List<JsonNode> lines = lines(r.out());
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0).get("error_code").asText()).isEqualTo("BAD_INPUT");
    assertThat(lines.get(0).get("error").asText()).contains("empty");
    assertThat(lines.get(1).get("outcome").asText()).isEqualTo("COMPLETED");
    assertThat(r.err()).contains("1 of 2 images could not be read");
  }

  @ParameterizedTest(name = "--tiles {0}")
  @CsvSource(
      delimiter = ';',
      value = {
        // forced: 359 is 640x480, so at most 4 tiles of the model's 320 px give 2 x 2 tiles, plus
        // the full frame
        "4;    ; true;  4",
        // smaller tiles: 160 px, so 2x zoom into the photo (5 x 4 = 20 at 20 % overlap, capped at 6
        // -> enlarged)
        "6;    160; true; 6",
        // off: one pass
        "off;  ; false; 0",
      })
  void tilesOption(String tiles, String tileSize, boolean sliced, int count) throws Exception {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--image",
                SharedResources.data("street/coco/000000000359.jpg").toString(),
                "--tiles",
                tiles,
                "--json",
                "--warmup",
                "0"));
    if (tileSize != null) {
      args.addAll(List.of("--tile-size", tileSize));
    }
    DetectCommandTest.Run r =
        DetectCommandTest.run(new DetectCommand(), args.toArray(String[]::new));
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode t = JSON.readTree(r.out()).get("tiling");
    assertThat(t.get("sliced").asBoolean()).isEqualTo(sliced);
    assertThat(t.get("tiles").asInt()).isLessThanOrEqualTo(count);
    if (sliced) {
      assertThat(t.get("tiles").asInt()).isGreaterThan(1);
      assertThat(t.get("full_frame").asBoolean()).isTrue();
      assertThat(t.get("batched").asBoolean()).isTrue();
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = ';',
      value = {
        "not a mode;          --tiles;     many; off, auto or a tile count",
        "tile size with off;  --tile-size; 300;  --tile-size needs --tiles auto or N",
        "tiny tile;           --tile-size; 8;    tile size >= 32",
      })
  void tilesUsageErrors(String name, String option, String value, String message) {
    List<String> args = new ArrayList<>(List.of(option, value));
    if (option.equals("--tile-size") && value.equals("300")) {
      args.addAll(List.of("--tiles", "off"));
    }
    DetectCommandTest.Run r =
        DetectCommandTest.run(new DetectCommand(), args.toArray(String[]::new));
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains(message);
  }

  @Test
  void classifierFileGivesClassifierStates() throws Exception {
    DetectCommandTest.Run r =
        DetectCommandTest.run(
            new DetectCommand(),
            "--classifier",
            CLASSIFIER_FIXTURE.toString(),
            "--json",
            "--warmup",
            "0");
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode dets = JSON.readTree(r.out()).get("detections");
    assertThat(dets.size()).isGreaterThan(0);
    for (JsonNode d : dets) {
      assertThat(d.get("state").get("source").asText()).isEqualTo("CLASSIFIER");
    }
  }

  @Test
  void builtinClassifierResolvesThroughTheCatalog() throws Exception {
    DetectCommandTest.Run r =
        DetectCommandTest.run(
            new DetectCommand(), "--classifier", "builtin", "--json", "--warmup", "0");
    boolean shipped =
        ModelCatalog.class.getClassLoader().getResource(ModelCatalog.BUILTIN_CLASSIFIER_RESOURCE)
            != null;
    if (shipped) {
      assertThat(r.code()).as(r.err()).isZero();
      assertThat(
              JSON.readTree(r.out()).get("detections").get(0).get("state").get("source").asText())
          .isEqualTo("CLASSIFIER");
    } else {
      assertThat(r.code()).isEqualTo(1);
      assertThat(r.err())
          .contains("no built-in state classifier")
          .contains(ModelCatalog.BUILTIN_CLASSIFIER_RESOURCE);
    }
  }

  /** A 3-image copy of cinta_v2/valid with data.yaml one level up (the Roboflow layout). */
  static Path smallYolo(Path tmp) throws Exception {
    Path valid = SharedResources.data("traffic_lights/cinta_v2/valid");
    Path split = tmp.resolve("cinta/valid");
    Files.createDirectories(split.resolve("images"));
    Files.createDirectories(split.resolve("labels"));
    Files.copy(valid.resolveSibling("data.yaml"), tmp.resolve("cinta/data.yaml"));
    try (Stream<Path> s = Files.list(valid.resolve("images"))) {
      for (Path img : s.sorted().limit(3).toList()) {
        Files.copy(img, split.resolve("images").resolve(img.getFileName()));
        String stem = img.getFileName().toString().replaceFirst("\\.[^.]+$", "");
        Files.copy(
            valid.resolve("labels/" + stem + ".txt"), split.resolve("labels/" + stem + ".txt"));
      }
    }
    return split;
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"--yolo", "--images"})
  void evalReadsYoloFoldersAndReportsColourAccuracy(String option, @TempDir Path tmp)
      throws Exception {
    Path split = smallYolo(tmp);
    DetectCommandTest.Run r =
        DetectCommandTest.run(new EvalCommand(), option, split.toString(), "--json");
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode j = JSON.readTree(r.out());
    assertThat(j.get("frames").asInt()).isEqualTo(3);
    int gts = 0;
    for (Path label : Files.list(split.resolve("labels")).toList()) {
      gts += (int) Files.readAllLines(label).stream().filter(l -> !l.isBlank()).count();
    }
    assertThat(j.get("ground_truths").asInt()).isEqualTo(gts);
    assertThat(j.get("category").asText()).isEqualTo("traffic light");
    int tp = j.get("true_positives").asInt();
    if (tp > 0) {
      assertThat(j.get("colour_accuracy").asDouble()).isBetween(0.0, 1.0);
    } else {
      assertThat(j.get("colour_accuracy").isNull()).isTrue();
    }
  }

  @Test
  void cocoWithoutStatesHasNoColourAccuracy() throws Exception {
    DetectCommandTest.Run r =
        DetectCommandTest.run(new EvalCommand(), EvalCommandTest.args("--json"));
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(JSON.readTree(r.out()).get("colour_accuracy").isNull())
        .as("COCO lights carry no state")
        .isTrue();
  }
}
