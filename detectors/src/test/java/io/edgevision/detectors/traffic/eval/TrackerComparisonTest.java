package io.edgevision.detectors.traffic.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgevision.detectors.traffic.TrafficLightTracker;
import io.edgevision.detectors.traffic.ValidationSet;
import io.edgevision.detectors.traffic.eval.LightSequence.SequenceFrame;
import io.edgevision.detectors.traffic.eval.LightSequence.SequenceObject;
import io.edgevision.detectors.traffic.eval.LightSequence.SimulatedDetection;
import io.edgevision.detectors.traffic.eval.TrackerComparison.Row;
import io.edgevision.detectors.traffic.eval.TrackerComparison.Source;
import io.edgevision.postprocess.Box;
import io.edgevision.postprocess.LabelSchema;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Per-frame state accuracy with and without the tracker, on hand-made sequences and the committed
 * ones.
 */
class TrackerComparisonTest {
  static final Box A = new Box(100, 50, 115, 95);

  static LabelSchema schema() throws Exception {
    Path file = ValidationSet.dir().resolve("annotations.json");
    return LabelSchema.parse(
        new ObjectMapper().readTree(file.toFile()).get("label_schema").toString());
  }

  /**
   * One light at A, 10 fps. {@code truth[i]} is its true state in frame i, {@code seen[i]} the
   * detector's label ({@code null}: not detected); {@code event[i]} marks event frames.
   */
  static LightSequence sequence(boolean flashing, String[] truth, String[] seen, boolean[] event) {
    List<SequenceFrame> frames = new ArrayList<>();
    for (int i = 0; i < truth.length; i++) {
      List<SimulatedDetection> det =
          seen[i] == null ? List.of() : List.of(new SimulatedDetection(1, A, seen[i], 0.9f));
      frames.add(
          new SequenceFrame(
              i,
              "frame.jpg",
              List.of(
                  new SequenceObject(
                      1, A, truth[i], truth[i], seen[i] != null, event[i] ? "misread" : "none")),
              det));
    }
    return new LightSequence(
        "s",
        "test",
        Path.of("."),
        10,
        List.of(),
        List.of(new LightSequence.Track(1, flashing, flashing ? "yellow" : null)),
        frames);
  }

  static String[] repeat(String s, int n) {
    String[] a = new String[n];
    java.util.Arrays.fill(a, s);
    return a;
  }

  static String[] with(String[] a, int i, String s) {
    String[] b = a.clone();
    b[i] = s;
    return b;
  }

  static boolean[] eventAt(int n, int i) {
    boolean[] e = new boolean[n];
    if (i >= 0) {
      e[i] = true;
    }
    return e;
  }

  static Stream<Arguments> cases() {
    String[] red = repeat("red", 6);
    String[] redThenGreen = {"red", "red", "red", "green", "green", "green"};
    String[] greenThenRed = {"green", "green", "green", "red", "red", "red"};
    String[] flash = new String[12];
    for (int i = 0; i < flash.length; i++) {
      flash[i] = i % 2 == 0 ? "yellow" : "off";
    }
    return Stream.of(
        // steady red, always seen: both right everywhere
        Arguments.of("steady", false, red, red, -1, 6, 6, 6, 6),
        // frame 3 not detected: the detector alone misses it, the track (age 0.1 s < 1 s) keeps red
        Arguments.of("occluded", false, red, with(red, 3, null), 3, 5, 5, 6, 6),
        // frame 3 read yellow (red -> yellow is not a legal change): the filter keeps red
        Arguments.of("misread", false, red, with(red, 3, "yellow"), 3, 5, 5, 6, 6),
        // a legal change at frame 3 (red -> green) read with certainty: the filter follows at once
        Arguments.of("legal change", false, redThenGreen, redThenGreen, -1, 6, 6, 6, 6),
        // an illegal change at frame 3 (green -> red): the filter waits for the third reading,
        // frames 3 and 4
        // are wrong
        Arguments.of("illegal change", false, greenThenRed, greenThenRed, -1, 6, 6, 4, 4),
        // the truth is red_left and the detector says red: colour right, joint state wrong (with
        // tracker too)
        Arguments.of("arrow missed", false, repeat("red_left", 6), red, -1, 6, 0, 6, 0),
        // flashing yellow (on/off every frame): frame 1 (off, truth off) the one-reading-old track
        // follows the
        // reading (0.029 vs 0.028); frame 2 yellow; from frame 3 (third toggle) flagged flashing
        // yellow
        Arguments.of("flashing", true, flash, flash, -1, 12, 12, 12, 12));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void table(
      String name,
      boolean flashing,
      String[] truth,
      String[] seen,
      int event,
      int colour,
      int joint,
      int tracked,
      int trackedJoint)
      throws Exception {
    LabelSchema schema = schema();
    LightSequence s = sequence(flashing, truth, seen, eventAt(truth.length, event));
    Row r =
        TrackerComparison.evaluate(
            s,
            Source.SIMULATED,
            TrackerComparison.simulatedLights(schema, s),
            schema,
            TrafficLightTracker.builder().states(schema).build());
    assertThat(r.objects()).isEqualTo(truth.length);
    assertThat(r.colourCorrect()).as("colour without tracker").isEqualTo(colour);
    assertThat(r.jointCorrect()).as("joint state without tracker").isEqualTo(joint);
    assertThat(r.trackedCorrect()).as("colour with tracker").isEqualTo(tracked);
    assertThat(r.trackedJointCorrect()).as("joint state with tracker").isEqualTo(trackedJoint);
    assertThat(r.eventObjects()).isEqualTo(event >= 0 ? 1 : 0);
    if (event >= 0) {
      assertThat(r.eventColourCorrect()).isZero();
      assertThat(r.eventTrackedCorrect()).isEqualTo(1);
    }
    assertThat(r.flashingObjects()).isEqualTo(flashing ? truth.length : 0);
    assertThat(r.flashingFlagged()).isEqualTo(flashing ? 9 : 0); // frames 3..11
  }

  @Test
  void committedSequencesWithSimulatedDetections() throws Exception {
    LabelSchema schema = schema();
    List<LightSequence> all = LightSequence.readAll(ValidationSet.dir().resolve("sequences"));
    assertThat(all)
        .extracting(LightSequence::name)
        .containsExactly(
            "seq_01_cycle",
            "seq_02_protected_left",
            "seq_03_flashing",
            "seq_04_dropouts",
            "seq_05_dense_row");
    for (LightSequence s : all) {
      assertThat(s.frames()).hasSize(24);
      Row r =
          TrackerComparison.evaluate(
              s,
              Source.SIMULATED,
              TrackerComparison.simulatedLights(schema, s),
              schema,
              TrafficLightTracker.builder().build());
      // Without tracker, a simulated detection (one per visible light, label = rendered state, box
      // jitter
      // 0.4 px) is right exactly when the light is visible and its rendered state is the true one.
      int expectedJoint = 0;
      int objects = 0;
      for (SequenceFrame f : s.frames()) {
        for (SequenceObject o : f.objects()) {
          objects++;
          expectedJoint += o.visible() && o.renderedState().equals(o.state()) ? 1 : 0;
        }
      }
      assertThat(r.objects()).isEqualTo(objects);
      assertThat(r.jointCorrect()).as(s.name()).isEqualTo(expectedJoint);
      assertThat(r.trackedCorrect()).isBetween(0, objects);
    }
  }

  @Test
  void mismatchedInputsAreRejected() throws Exception {
    LabelSchema schema = schema();
    LightSequence s = sequence(false, repeat("red", 2), repeat("red", 2), eventAt(2, -1));
    assertThatThrownBy(
            () ->
                TrackerComparison.evaluate(
                    s, Source.MODEL, List.of(), schema, TrafficLightTracker.builder().build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expected lights for 2 frames, got 0");
    LightSequence bad = sequence(false, repeat("purple", 1), repeat("red", 1), eventAt(1, -1));
    assertThatThrownBy(
            () ->
                TrackerComparison.evaluate(
                    bad,
                    Source.SIMULATED,
                    TrackerComparison.simulatedLights(schema, bad),
                    schema,
                    TrafficLightTracker.builder().build()))
        .hasMessageContaining("got 'purple'");
  }
}
