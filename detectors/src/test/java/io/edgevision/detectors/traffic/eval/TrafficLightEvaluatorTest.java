package io.edgevision.detectors.traffic.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.edgevision.detectors.traffic.eval.TrafficLightEvaluator.Frame;
import io.edgevision.detectors.traffic.eval.TrafficLightEvaluator.GroundTruth;
import io.edgevision.detectors.traffic.eval.TrafficLightEvaluator.Prediction;
import io.edgevision.detectors.traffic.eval.TrafficLightEvaluator.Report;
import io.edgevision.postprocess.Box;
import io.edgevision.postprocess.Colour;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** COCO-style AP, P/R at a threshold and the strict pass rate on hand-computed cases. */
class TrafficLightEvaluatorTest {
  static final Box GT = new Box(0, 0, 10, 10);
  static final Box FAR = new Box(50, 50, 60, 60);

  static GroundTruth gt(Box b) {
    return new GroundTruth(b, false, Colour.UNKNOWN);
  }

  static Prediction pred(Box b, float score) {
    return new Prediction(b, score, Colour.UNKNOWN);
  }

  static Frame frame(List<GroundTruth> truths, Prediction... preds) {
    return new Frame("f", truths, List.of(preds));
  }

  /** A box of IoU {@code iou} with GT: same height, shifted right by (1 - iou) / (1 + iou) * 10. */
  static Box shifted(double iou) {
    float dx = (float) ((1 - iou) / (1 + iou) * 10);
    return new Box(dx, 0, 10 + dx, 10);
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        // one light found exactly: everything perfect
        Arguments.of(
            "perfect", List.of(frame(List.of(gt(GT)), pred(GT, 0.9f))), 1.0, 1.0, 1.0, 1.0, 1),
        // a higher-scored false positive first: precision 0 at rank 1, 0.5 at rank 2 -> envelope
        // 0.5 everywhere
        Arguments.of(
            "FP ranked first",
            List.of(frame(List.of(gt(GT)), pred(FAR, 0.9f), pred(GT, 0.8f))),
            0.5,
            0.5,
            0.5,
            1.0,
            0),
        // one of two lights found: precision 1 up to recall 0.5, i.e. 51 of the 101 recall points
        Arguments.of(
            "half recall",
            List.of(frame(List.of(gt(GT), gt(FAR)), pred(GT, 0.9f))),
            51 / 101.0,
            51 / 101.0,
            1.0,
            0.5,
            0),
        // IoU 0.62 matches at 0.50, 0.55 and 0.60 only: AP@[.5:.95] = 3/10
        Arguments.of(
            "loose box",
            List.of(frame(List.of(gt(GT)), pred(shifted(0.62), 0.9f))),
            1.0,
            0.3,
            1.0,
            1.0,
            1),
        // IoU 0.45 never matches: a false positive and a miss
        Arguments.of(
            "too loose",
            List.of(frame(List.of(gt(GT)), pred(shifted(0.45), 0.9f))),
            0.0,
            0.0,
            0.0,
            0.0,
            0),
        // a low-score true positive counts for AP but not at the 0.3 threshold
        Arguments.of(
            "below threshold",
            List.of(frame(List.of(gt(GT)), pred(GT, 0.2f))),
            1.0,
            1.0,
            Double.NaN,
            0.0,
            0),
        // a frame without lights passes with no prediction; the other frame's light is found
        Arguments.of(
            "empty frame passes",
            List.of(frame(List.of()), frame(List.of(gt(GT)), pred(GT, 0.5f))),
            1.0,
            1.0,
            1.0,
            1.0,
            2),
        // a frame without lights fails with a prediction above the threshold; the FP ties the TP's
        // score and
        // ranks first (stable sort keeps frame order), so precision is 0 then 0.5 -> AP 0.5
        Arguments.of(
            "empty frame FP",
            List.of(frame(List.of(), pred(FAR, 0.5f)), frame(List.of(gt(GT)), pred(GT, 0.5f))),
            0.5,
            0.5,
            0.5,
            1.0,
            1),
        // a prediction on a crowd region is neither a TP nor an FP
        Arguments.of(
            "crowd ignored",
            List.of(
                frame(
                    List.of(gt(GT), new GroundTruth(FAR, true, Colour.UNKNOWN)),
                    pred(FAR, 0.95f),
                    pred(GT, 0.9f))),
            1.0,
            1.0,
            1.0,
            1.0,
            1));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void table(
      String name,
      List<Frame> frames,
      double ap50,
      double ap5095,
      double precision,
      double recall,
      int passed) {
    Report r = TrafficLightEvaluator.evaluate(frames, 0.3f);
    assertThat(r.ap50()).as("AP@0.5").isCloseTo(ap50, within(1e-9));
    assertThat(r.ap5095()).as("AP@[.5:.95]").isCloseTo(ap5095, within(1e-9));
    if (Double.isNaN(precision)) {
      assertThat(r.precision()).isNaN();
    } else {
      assertThat(r.precision()).as("precision").isCloseTo(precision, within(1e-9));
    }
    assertThat(r.recall()).as("recall").isCloseTo(recall, within(1e-9));
    assertThat(r.passed()).as("frames passed").isEqualTo(passed);
  }

  static Stream<Arguments> states() {
    return Stream.of(
        // annotated red, predicted red: pass
        Arguments.of(Colour.RED, Colour.RED, true),
        // annotated red, predicted green: fail although the box matches
        Arguments.of(Colour.RED, Colour.GREEN, false),
        // annotated red, no state predicted (COCO model): fail
        Arguments.of(Colour.RED, Colour.UNKNOWN, false),
        // no state annotated: any colour passes
        Arguments.of(Colour.UNKNOWN, Colour.GREEN, true));
  }

  @ParameterizedTest
  @MethodSource("states")
  void strictPassNeedsTheAnnotatedState(Colour annotated, Colour predicted, boolean passes) {
    Frame f =
        new Frame(
            "f",
            List.of(new GroundTruth(GT, false, annotated)),
            List.of(new Prediction(GT, 0.9f, predicted)));
    Report r = TrafficLightEvaluator.evaluate(List.of(f), 0.3f);
    assertThat(r.passed() == 1).isEqualTo(passes);
    assertThat(r.frames().get(0).wrongStates()).isEqualTo(passes ? 0 : 1);
    assertThat(r.truePositives()).as("the box matches either way").isEqualTo(1);
  }

  @Test
  void readsCocoFilesWithOptionalStates(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("a.json");
    Files.writeString(
        file,
        """
        {"images": [{"id": 1, "file_name": "a.jpg", "width": 100, "height": 50}],
         "categories": [{"id": 10, "name": "traffic light"}, {"id": 1, "name": "person"}],
         "annotations": [
           {"id": 5, "image_id": 1, "category_id": 10, "bbox": [10, 5, 4, 8], "iscrowd": 0, "state": "red"},
           {"id": 6, "image_id": 1, "category_id": 10, "bbox": [30, 5, 4, 8], "iscrowd": 1,
            "attributes": {"colour": "amber"}},
           {"id": 7, "image_id": 1, "category_id": 1, "bbox": [0, 0, 5, 5]}]}
        """);
    CocoDataset d = CocoDataset.read(file);
    assertThat(d.categoryId("traffic light")).hasValue(10);
    List<CocoDataset.Annotation> lights = d.annotations(1, 10);
    assertThat(lights).hasSize(2);
    assertThat(lights.get(0).box()).isEqualTo(new Box(10, 5, 14, 13));
    assertThat(lights.get(0).state()).isEqualTo(Colour.RED);
    assertThat(lights.get(1).crowd()).isTrue();
    assertThat(lights.get(1).state()).isEqualTo(Colour.YELLOW);
    assertThat(d.annotations(1, 1).get(0).state()).isEqualTo(Colour.UNKNOWN);
  }
}
