package io.edgevision.detectors.traffic;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgevision.core.Budget;
import io.edgevision.core.ImageFrame;
import io.edgevision.core.InferenceSession;
import io.edgevision.core.Outcome;
import io.edgevision.detectors.traffic.eval.CocoDataset;
import io.edgevision.detectors.traffic.eval.CocoEvaluation;
import io.edgevision.detectors.traffic.eval.SuppressionComparison;
import io.edgevision.postprocess.LabelSchema;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The built-in model and sample scene, loaded from the classpath as a user of the jar would, and
 * the duplicate suppression comparison run on it.
 */
class BuiltinModelTest {
  static InferenceSession session;

  @BeforeAll
  static void open() {
    session = ModelCatalog.sessionBuilder(ModelCatalog.BUILTIN, Path.of("nowhere")).build();
  }

  @AfterAll
  static void close() {
    session.close();
  }

  @Test
  void builtinIsAClasspathSchemaModelWithItsDescriptor() {
    assertThat(session.model().name()).contains(ModelCatalog.BUILTIN_MODEL_RESOURCE);
    TrafficLightDetector d = TrafficLightDetector.builder(session).build();
    assertThat(d.detrDetector().signature(InferenceSession.PRIMARY).layout())
        .isEqualTo(DetrLayout.RAW);
    LabelSchema schema = d.labelSchema(InferenceSession.PRIMARY).orElseThrow();
    assertThat(schema.classes())
        .extracting(c -> c.name())
        .containsExactly("red", "yellow", "green", "red_left", "green_left", "off");
    assertThat(session.model().descriptor().inputSize())
        .hasValueSatisfying(s -> assertThat(s).containsExactly(320, 320));
  }

  @Test
  void sampleSceneIsTheDenseValidationScene() throws Exception {
    ImageFrame frame = ModelCatalog.sampleScene();
    assertThat(frame.width()).isEqualTo(320);
    assertThat(frame.height()).isEqualTo(320);
    TrafficLightResult r =
        TrafficLightDetector.builder(session).build().detect(frame, Budget.unlimited());
    assertThat(r.outcome()).isEqualTo(Outcome.COMPLETED);
    // every light has a state from the detector's joint classes, and no query is returned twice
    Set<Integer> queries = new HashSet<>();
    for (TrafficLight l : r.lights()) {
      assertThat(l.stateSource()).isEqualTo(StateSource.DETECTOR);
      assertThat(l.score()).isGreaterThanOrEqualTo(DetrDetector.DEFAULT_SCORE_THRESHOLD);
      assertThat(queries.add(l.queryIndex()))
          .as("query %d returned twice", l.queryIndex())
          .isTrue();
    }
    // the sample is validation scene 2, byte for byte
    byte[] shipped;
    try (var in =
        ModelCatalog.class
            .getClassLoader()
            .getResourceAsStream(ModelCatalog.SAMPLE_SCENE_RESOURCE)) {
      shipped = in.readAllBytes();
    }
    assertThat(shipped)
        .isEqualTo(java.nio.file.Files.readAllBytes(ValidationSet.dir().resolve("scene_002.jpg")));
  }

  @Test
  void suppressorRowIsWhatTheDetectorReturnsAndNoMethodOutnumbersRawTopK() throws Exception {
    Path dir = ValidationSet.dir();
    CocoDataset coco = CocoDataset.read(dir.resolve("annotations.json"));
    float threshold = DetrDetector.DEFAULT_SCORE_THRESHOLD;
    List<SuppressionComparison.Row> rows =
        SuppressionComparison.compare(
            session, coco, dir, threshold, DetrDetector.DEFAULT_CANDIDATE_THRESHOLD);
    assertThat(rows)
        .extracting(SuppressionComparison.Row::method)
        .containsExactly(SuppressionComparison.Method.values());
    SuppressionComparison.Row raw = rows.get(0);
    SuppressionComparison.Row suppressor = rows.get(1);
    SuppressionComparison.Row nms = rows.get(2);
    // the suppressor row is exactly the SDK detector's output on the dense images
    TrafficLightDetector detector = TrafficLightDetector.builder(session).build();
    int lights = 0;
    int images = 0;
    for (CocoDataset.Image image : coco.images()) {
      if (SuppressionComparison.isDense(coco.annotations(image.id()))) {
        images++;
        lights +=
            detector.detect(CocoEvaluation.read(dir, image), Budget.unlimited()).lights().size();
      }
    }
    assertThat(suppressor.images()).isEqualTo(images).isEqualTo(35);
    assertThat(suppressor.predictions()).isEqualTo(lights);
    for (SuppressionComparison.Row r : rows) {
      assertThat(r.groundTruths()).isEqualTo(raw.groundTruths());
      assertThat(r.truePositives() + r.falseNegatives()).isEqualTo(r.groundTruths());
      assertThat(r.truePositives() + r.falsePositives()).isEqualTo(r.predictions());
      assertThat(r.predictions())
          .as("%s never adds lights", r.method())
          .isLessThanOrEqualTo(raw.predictions());
      assertThat(r.jointStateTruePositives()).isLessThanOrEqualTo(r.truePositives());
      assertThat(r.neighbourPairsFound()).isLessThanOrEqualTo(r.neighbourPairs());
    }
    // NMS keeps a subset of raw top-k: it can only lose lights and remove duplicates
    assertThat(nms.duplicates()).isLessThanOrEqualTo(raw.duplicates());
    assertThat(suppressor.rowLights()).isEqualTo(nms.rowLights()).isEqualTo(raw.rowLights());
  }
}
