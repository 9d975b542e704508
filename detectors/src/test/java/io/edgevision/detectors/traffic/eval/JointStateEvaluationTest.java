package io.edgevision.detectors.traffic.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.edgevision.detectors.traffic.ValidationSet;
import io.edgevision.detectors.traffic.eval.TrafficLightEvaluator.Frame;
import io.edgevision.detectors.traffic.eval.TrafficLightEvaluator.GroundTruth;
import io.edgevision.detectors.traffic.eval.TrafficLightEvaluator.JointStateAp;
import io.edgevision.detectors.traffic.eval.TrafficLightEvaluator.Prediction;
import io.edgevision.detectors.traffic.eval.TrafficLightEvaluator.Report;
import io.edgevision.postprocess.Box;
import io.edgevision.postprocess.Colour;
import io.edgevision.postprocess.LabelScore;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Joint-state AP (one label vs top-k), the strict pass with joint states, and the validation set's
 * annotations.
 */
class JointStateEvaluationTest {
  static final Box A = new Box(0, 0, 10, 10);
  static final Box B = new Box(50, 50, 60, 60);

  static GroundTruth gt(Box b, int category) {
    return new GroundTruth(b, false, Colour.UNKNOWN, category);
  }

  static Prediction pred(Box b, float score, int category, LabelScore... alternatives) {
    return new Prediction(b, score, Colour.UNKNOWN, category, List.of(alternatives));
  }

  static Frame frame(List<GroundTruth> truths, Prediction... preds) {
    return new Frame("f", truths, List.of(preds));
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        // the right label: both measures 1
        Arguments.of("right label", frame(List.of(gt(A, 0)), pred(A, 0.9f, 0)), 1.0, 1.0),
        // wrong label, the right one only as an alternative: state 0 has no prediction (AP 0)
        // one-label, the
        // alternative 0.4 matches in top-k (AP 1); state 1 has no ground truth and does not count
        // in the mean
        Arguments.of(
            "right label only as alternative",
            frame(List.of(gt(A, 0)), pred(A, 0.9f, 1, new LabelScore(0, 0.4f))),
            0.0,
            1.0),
        // two states: state 0 found (its FP at B ranks below the TP: AP 1), state 1 never predicted
        // (AP 0) -> 0.5
        Arguments.of(
            "mean over states with truth",
            frame(List.of(gt(A, 0), gt(B, 1)), pred(A, 0.9f, 0), pred(B, 0.8f, 0)),
            0.5,
            0.5),
        // ... and B's alternative of state 1 fixes state 1 in top-k only: (1 + 1) / 2
        Arguments.of(
            "alternative fixes the second state",
            frame(
                List.of(gt(A, 0), gt(B, 1)),
                pred(A, 0.9f, 0),
                pred(B, 0.8f, 0, new LabelScore(1, 0.3f))),
            0.5,
            1.0),
        // top-k can also cost: the alternative (0.7) of a false box ranks above the right light
        // (0.5): precision 0
        // then 1/2 -> AP 0.5, one-label AP 1; an alternative of the prediction's own class (1,
        // 0.95) adds nothing
        Arguments.of(
            "alternative of a false box ranked first",
            frame(
                List.of(gt(A, 0)),
                pred(B, 0.9f, 1, new LabelScore(0, 0.7f), new LabelScore(1, 0.95f)),
                pred(new Box(0, 0, 10, 9), 0.5f, 0)),
            1.0,
            0.5));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void jointStateAp(String name, Frame frame, double oneLabel, double topK) {
    JointStateAp ap = TrafficLightEvaluator.jointStateAp(List.of(frame), 3);
    assertThat(ap.ap50()).as("one label").isCloseTo(oneLabel, within(1e-9));
    assertThat(ap.ap50TopK()).as("top-k").isCloseTo(topK, within(1e-9));
    assertThat(ap.categories()).hasSize(3);
    assertThat(ap.categories().get(2).groundTruths()).isZero();
    assertThat(ap.categories().get(2).ap50()).as("no truth: undefined").isNaN();
  }

  static Stream<Arguments> strict() {
    return Stream.of(
        // the annotated joint state: pass
        Arguments.of(3, 3, true),
        // same colour, other joint state (red vs red_left): fail although the box matches
        Arguments.of(3, 0, false),
        // no category annotated: any label passes
        Arguments.of(TrafficLightEvaluator.NO_CATEGORY, 4, true));
  }

  @ParameterizedTest
  @MethodSource("strict")
  void strictPassComparesJointStates(int annotated, int predicted, boolean passes) {
    Report r =
        TrafficLightEvaluator.evaluate(
            List.of(frame(List.of(gt(A, annotated)), pred(A, 0.9f, predicted))), 0.3f);
    assertThat(r.passed() == 1).isEqualTo(passes);
    assertThat(r.frames().get(0).wrongStates()).isEqualTo(passes ? 0 : 1);
    assertThat(r.truePositives()).as("class-agnostic matching").isEqualTo(1);
  }

  @Test
  void noTruthAnywhereIsUndefinedAndBadCategoriesAreRejected() {
    assertThat(
            TrafficLightEvaluator.jointStateAp(List.of(frame(List.of(), pred(A, 0.9f, 0))), 2)
                .ap50())
        .isNaN();
    assertThatThrownBy(
            () -> TrafficLightEvaluator.jointStateAp(List.of(frame(List.of(gt(A, 2)))), 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expected categories below 2, got 2");
    assertThatThrownBy(() -> TrafficLightEvaluator.jointStateAp(List.of(), 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new GroundTruth(A, false, Colour.RED, -2))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void readsTheValidationSetWithJointStatesAndRows() throws Exception {
    CocoDataset d = CocoDataset.read(ValidationSet.dir().resolve("annotations.json"));
    assertThat(d.images()).hasSize(48);
    assertThat(d.annotations()).hasSize(359);
    // training/README.md: green 114, red 72, yellow 60, off 59, red_left 32, green_left 22
    Map<String, Long> perState =
        d.annotations().stream()
            .collect(
                Collectors.groupingBy(CocoDataset.Annotation::stateName, Collectors.counting()));
    assertThat(perState)
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "green",
                114L,
                "red",
                72L,
                "yellow",
                60L,
                "off",
                59L,
                "red_left",
                32L,
                "green_left",
                22L));
    for (CocoDataset.Annotation a : d.annotations()) {
      // the category is the joint state, its colour the part before '_'
      assertThat(d.categories().get(a.categoryId())).isEqualTo(a.stateName());
      assertThat(a.state()).isEqualTo(Colour.parse(a.stateName().split("_")[0]));
    }
    // first annotation of the file: yellow, row 0 of scene 0
    assertThat(d.annotations().get(0).row()).isZero();
    long dense =
        d.images().stream()
            .filter(i -> SuppressionComparison.isDense(d.annotations(i.id())))
            .count();
    assertThat(dense).as("27 generator-dense scenes + 8 with a row of 2-3").isEqualTo(35);
  }
}
