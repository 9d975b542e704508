package io.edgevision.detectors.traffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgevision.core.ExecutionProvider;
import io.edgevision.core.Fingerprint;
import io.edgevision.core.ImageFrame;
import io.edgevision.core.Outcome;
import io.edgevision.core.PixelFormat;
import io.edgevision.postprocess.Box;
import io.edgevision.postprocess.Colour;
import io.edgevision.postprocess.LabelSchema;
import io.edgevision.postprocess.LightState;
import io.edgevision.postprocess.ScoreKind;
import io.edgevision.postprocess.StateClass;
import io.edgevision.postprocess.StateDecoder;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Scripted frame sequences for one light. Script letters: R red, Y yellow, G green, O off, U no
 * state, - not detected. Expected colours use the same letters (U = no stable colour yet);
 * flashing: F flashing, . not.
 */
class TrafficLightTrackerTest {
  static final StateDecoder DECODER =
      StateDecoder.builder(
              LabelSchema.parse(
                  """
      {"classes": [{"name": "red", "colour": "red"}, {"name": "yellow", "colour": "yellow"},
                   {"name": "green", "colour": "green"}, {"name": "off", "colour": "off"}]}"""))
          .build();
  static final Box BOX = new Box(100, 50, 120, 100);

  /** A light of colour {@code c} with confidence 0.9 (0.9 on its class, the rest spread evenly). */
  static TrafficLight light(Box box, char c) {
    if (c == 'U') {
      return new TrafficLight(
          box, 0.8f, 9, "traffic light", Optional.empty(), StateSource.NONE, List.of(), -1);
    }
    int k = "RYGO".indexOf(c);
    float[] p = {0.1f / 3, 0.1f / 3, 0.1f / 3, 0.1f / 3};
    p[k] = 0.9f;
    LightState s = DECODER.decode(p, ScoreKind.PROBABILITIES);
    return new TrafficLight(
        box, 0.8f, 9, "traffic light", Optional.of(s), StateSource.DETECTOR, List.of(), -1);
  }

  static char letter(Colour c) {
    return switch (c) {
      case RED -> 'R';
      case YELLOW -> 'Y';
      case GREEN -> 'G';
      case OFF -> 'O';
      case UNKNOWN -> 'U';
    };
  }

  /**
   * Runs a script (one letter per frame, {@code stepMs} apart) and returns "colours|flashing|held".
   */
  static String play(TrafficLightTracker tracker, String script, long stepMs) {
    StringBuilder colours = new StringBuilder();
    StringBuilder flashing = new StringBuilder();
    StringBuilder held = new StringBuilder();
    for (int i = 0; i < script.length(); i++) {
      char c = script.charAt(i);
      long t = i * stepMs * 1_000_000L;
      List<TrackedLight> tracks = tracker.update(t, c == '-' ? List.of() : List.of(light(BOX, c)));
      assertThat(tracks).as("one track at frame %d", i).hasSize(1);
      TrackedLight tl = tracks.get(0);
      colours.append(letter(tl.colour()));
      flashing.append(tl.flashing() ? 'F' : '.');
      held.append(tl.held() ? 'H' : '.');
    }
    return colours + "|" + flashing + "|" + held;
  }

  /** The default filter; flashing with a 1 s max phase so the blink scripts stay short. */
  static TrafficLightTracker.Builder base() {
    return TrafficLightTracker.builder()
        .flashing(Duration.ofSeconds(3), 3, Duration.ofSeconds(1))
        .maxAge(Duration.ofSeconds(1));
  }

  /**
   * Readings have confidence 0.9, so with the default misread rate 0.1 one reading multiplies the
   * odds of its colour by 0.835 / 0.055 = 15.2; at 100 ms per frame and a 2 s mean phase a colour
   * is left with probability 0.049 per frame, 98 % of it towards the legal successor (green →
   * yellow → red → green, off → any).
   */
  static Stream<Arguments> scripts() {
    return Stream.of(
        // steady red stays red
        Arguments.of("steady", base(), "RRRR", 100, "RRRR|....|...."),
        // one misread green inside reds (a legal successor) never flips the light; the frame is
        // marked held
        Arguments.of("legal glitch", base(), "RRRGRR", 100, "RRRRRR|......|...H.."),
        // one misread red inside greens (illegal: green -> red skips yellow) does not either
        Arguments.of("illegal glitch", base(), "GGGRGG", 100, "GGGGGG|......|...H.."),
        // red -> green (legal): the second green reading switches (one frame late)
        Arguments.of("legal switch", base(), "RRRGGGG", 100, "RRRRGGG|.......|...H..."),
        // green -> yellow -> red: each legal change after two readings
        Arguments.of("legal cycle", base(), "GGGYYYRRR", 100, "GGGGYYYRR|.........|...H..H.."),
        // green -> red (illegal) needs three readings
        Arguments.of("illegal switch", base(), "GGGRRRR", 100, "GGGGGRR|.......|...HH.."),
        // a wrong legal switch (yellow read as red twice) comes back at the first yellow reading
        // again
        Arguments.of("recover", base(), "YYYYRRYYY", 100, "YYYYYRYYY|.........|....H...."),
        // a light without states is tracked without a colour
        Arguments.of("no state", base(), "UUU", 100, "UUU|...|..."),
        // missed detections keep the colour while the track coasts; UNKNOWN readings do not change
        // it
        Arguments.of("coasting", base(), "RR--RURR", 100, "RRRRRRRR|........|........"),
        // at 5 fps a single reading of a legal successor switches at once (the mean phase is in
        // seconds)
        Arguments.of("legal switch at 5 fps", base(), "RRRGG", 200, "RRRGG|.....|....."),
        // yellow blinking at 400 ms phases: the first dark reading is held as yellow (yellow -> off
        // is illegal),
        // flashing from the third toggle on (dark readings are then ignored), stops flashing once
        // it has stayed
        // lit longer than the 1 s max phase
        Arguments.of(
            "flashing yellow", base(), "YYYOYOYYYY", 400, "YYYYYYYYYY|.....FFFF.|...H......"),
        // a track one reading old is not sure yet: its first dark reading wins (0.05 vs 0.04)
        Arguments.of("young track", base(), "YOY", 400, "YOY|...|..."),
        // a light switching off for good: off is an illegal change (three readings), one toggle is
        // no flashing
        Arguments.of("switched off", base(), "YYYOOOO", 100, "YYYYYOO|.......|...HH.."),
        // blinking slower than the 1 s max phase (1.2 s phases, 3 frames 400 ms apart) is not
        // flashing: dark needs
        // three readings, yellow comes back after one (off -> yellow is legal, and 400 ms apart)
        Arguments.of(
            "slow blink", base(), "YYYOOOYYYOOO", 400, "YYYYYOYYYYYO|............|...HH....HH."));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scripts")
  void scripted(
      String name,
      TrafficLightTracker.Builder config,
      String script,
      long stepMs,
      String expected) {
    assertThat(play(config.build(), script, stepMs)).isEqualTo(expected);
  }

  @Test
  void associatesNeighboursByIouAndDropsTracksUnseenTooLong() {
    TrafficLightTracker tracker = base().build();
    Box left = new Box(100, 50, 120, 100);
    Box right = new Box(122, 50, 142, 100); // adjacent lamp housing, IoU 0 with left
    List<TrackedLight> t0 = tracker.update(0, List.of(light(left, 'R'), light(right, 'G')));
    assertThat(t0).extracting(TrackedLight::id).containsExactly(1L, 2L);
    // both move 2 px right (IoU 0.82): same ids, in any detection order
    Box left2 = new Box(102, 50, 122, 100);
    Box right2 = new Box(124, 50, 144, 100);
    List<TrackedLight> t1 =
        tracker.update(100_000_000L, List.of(light(right2, 'G'), light(left2, 'R')));
    assertThat(t1).extracting(TrackedLight::id).containsExactly(1L, 2L);
    assertThat(t1.get(0).box()).isEqualTo(left2);
    assertThat(t1.get(0).colour()).isEqualTo(Colour.RED);
    assertThat(t1.get(1).colour()).isEqualTo(Colour.GREEN);
    assertThat(t1).allSatisfy(t -> assertThat(t.hits()).isEqualTo(2));
    // only the left one is seen for 1.1 s: the right track is dropped after max age 1 s
    List<TrackedLight> later = new ArrayList<>();
    for (long ms = 200; ms <= 1200; ms += 100) {
      later = tracker.update(ms * 1_000_000L, List.of(light(left2, 'R')));
    }
    assertThat(later).extracting(TrackedLight::id).containsExactly(1L);
    // a light far away starts a new track with a new id
    List<TrackedLight> t2 =
        tracker.update(
            1_300_000_000L, List.of(light(left2, 'R'), light(new Box(0, 0, 10, 20), 'G')));
    assertThat(t2).extracting(TrackedLight::id).containsExactly(1L, 3L);
    assertThat(t2.get(1).seenThisUpdate()).isTrue();
  }

  static final LabelSchema ARROWS =
      LabelSchema.parse(
          """
      {"classes": [{"name": "red", "colour": "red"}, {"name": "red_left", "colour": "red", "arrows": ["left"]},
                   {"name": "green", "colour": "green"}, {"name": "yellow", "colour": "yellow"}]}""");
  static final StateDecoder ARROW_DECODER = StateDecoder.builder(ARROWS).build();

  /**
   * Plays a joint-state script (R red, L red + left arrow, G green, Y yellow) and returns the joint
   * states.
   */
  static String playJoint(TrafficLightTracker tracker, String script) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < script.length(); i++) {
      float[] p = {0.1f / 3, 0.1f / 3, 0.1f / 3, 0.1f / 3};
      p["RLGY".indexOf(script.charAt(i))] = 0.9f;
      LightState st = ARROW_DECODER.decode(p, ScoreKind.PROBABILITIES);
      TrackedLight t =
          tracker
              .update(
                  i * 100_000_000L,
                  List.of(
                      new TrafficLight(
                          BOX,
                          0.8f,
                          9,
                          "traffic light",
                          Optional.of(st),
                          StateSource.DETECTOR,
                          List.of(),
                          -1)))
              .get(0);
      out.append(t.state().map(c -> "RLGY".charAt(c.index())).orElse('U'));
      assertThat(t.state().map(StateClass::colour))
          .as("joint state of the track's colour")
          .contains(t.colour());
    }
    return out.toString();
  }

  static Stream<Arguments> jointScripts() {
    return Stream.of(
        // a left arrow lights up beside the red: followed at the second reading (same colour, other
        // arrows)
        Arguments.of("arrow on", "RRRLLLL", "RRRRLLL"),
        // one misread arrow frame is ignored
        Arguments.of("arrow glitch", "RRRLRRR", "RRRRRRR"),
        // red + left arrow -> green: the colour filter switches at the second green; the joint
        // state follows
        Arguments.of("arrow then green", "LLLLGGG", "LLLLLGG"),
        // green -> yellow -> red: the joint states follow the colours
        Arguments.of("cycle", "GGGYYYRRR", "GGGGYYYRR"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jointScripts")
  void jointStatesFollowTheArrowsWithinTheColour(String name, String script, String expected) {
    assertThat(playJoint(base().states(ARROWS).build(), script)).isEqualTo(expected);
  }

  @Test
  void jointModeRejectsStatesOfAnotherSchema() {
    TrafficLightTracker tracker = base().states(ARROWS).build();
    // light() decodes with the 4-class colour schema of DECODER, ARROWS has 4 classes too: same
    // count, accepted;
    // a 3-class schema is not
    StateDecoder three =
        StateDecoder.builder(
                LabelSchema.parse(
                    """
        {"classes": [{"name": "red", "colour": "red"}, {"name": "green", "colour": "green"},
                     {"name": "off", "colour": "off"}]}"""))
            .build();
    LightState st = three.decode(new float[] {0.8f, 0.1f, 0.1f}, ScoreKind.PROBABILITIES);
    TrafficLight l =
        new TrafficLight(
            BOX, 0.8f, 9, "traffic light", Optional.of(st), StateSource.DETECTOR, List.of(), -1);
    assertThatThrownBy(() -> tracker.update(0, List.of(l)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("4 classes")
        .hasMessageContaining("3 classes");
  }

  @Test
  void aLightSeenTwiceIsTrackedOnce() {
    TrafficLightTracker tracker = base().build();
    Box whole = new Box(100, 50, 120, 100);
    Box upperPart =
        new Box(100, 50, 120, 80); // a duplicate detection of the same housing, IoU 0.6 with whole
    Box neighbour = new Box(121, 50, 141, 100); // the adjacent housing, IoU 0 with both
    // frame 0: the duplicate (lower score) does not start a second track; the neighbour does
    List<TrackedLight> t0 =
        tracker.update(
            0,
            List.of(scored(light(upperPart, 'Y'), 0.4f), light(whole, 'R'), light(neighbour, 'G')));
    assertThat(t0).extracting(TrackedLight::box).containsExactly(whole, neighbour);
    assertThat(t0.get(0).colour()).as("the duplicate's reading is not used").isEqualTo(Colour.RED);
    // frame 1: the whole box and its duplicate again: one track, matched to the better-overlapping
    // box
    List<TrackedLight> t1 =
        tracker.update(100_000_000L, List.of(light(whole, 'R'), light(upperPart, 'R')));
    assertThat(t1).extracting(TrackedLight::id).containsExactly(1L, 2L);
    // a light tracked twice (two tracks from frames where the boxes did not overlap enough) keeps
    // only the
    // track that is still matched: track 3 starts at a box far enough from track 1's, then drifts
    // onto it
    tracker.update(
        200_000_000L, List.of(light(whole, 'R'), light(new Box(100, 80, 120, 130), 'R')));
    assertThat(tracker.tracks()).extracting(TrackedLight::id).containsExactly(1L, 2L, 3L);
    assertThat(tracker.update(300_000_000L, List.of(light(new Box(100, 60, 120, 110), 'R'))))
        .as("track 3 overlaps the matched track 1 and is dropped; the unseen neighbour coasts")
        .extracting(TrackedLight::id)
        .containsExactly(1L, 2L);
  }

  static TrafficLight scored(TrafficLight l, float score) {
    return new TrafficLight(
        l.box(),
        score,
        l.classId(),
        l.label(),
        l.state(),
        l.stateSource(),
        l.alternatives(),
        l.queryIndex());
  }

  @Test
  void timestampsComeFromFramesAndMustNotGoBack() {
    TrafficLightTracker tracker = base().build();
    ImageFrame frame = ImageFrame.wrap(ByteBuffer.allocate(12), 2, 2, PixelFormat.BGR);
    TrafficLightResult result =
        new TrafficLightResult(
            Outcome.COMPLETED,
            List.of(light(BOX, 'R')),
            List.of(),
            "primary",
            DetectionTimings.ZERO,
            new Fingerprint("0".repeat(64), "primary", ExecutionProvider.CPU, "x", "x", "x"),
            "",
            false,
            LabelNames.coco());
    assertThatThrownBy(() -> tracker.update(frame, result))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("timestamp");
    assertThat(tracker.update(frame.withTimestamp(5_000), result))
        .hasSize(1)
        .allSatisfy(t -> assertThat(t.firstSeenNanos()).isEqualTo(5_000));
    assertThatThrownBy(() -> tracker.update(frame.withTimestamp(4_000), result))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("non-decreasing");
    tracker.reset();
    assertThat(tracker.tracks()).isEmpty();
    assertThat(tracker.update(frame.withTimestamp(1_000), result).get(0).id())
        .as("ids keep increasing")
        .isEqualTo(2);
  }

  /** Colour index of a letter in {@link TrafficLightTracker#STATES}. */
  static boolean[][] legal(String... pairs) {
    boolean[][] l = new boolean[4][4];
    for (String p : pairs) {
      l["RYGO".indexOf(p.charAt(0))]["RYGO".indexOf(p.charAt(1))] = true;
    }
    return l;
  }

  static Stream<Arguments> predictions() {
    return Stream.of(
        // nothing leaves: unchanged
        Arguments.of(new double[] {1, 0, 0, 0}, legal("RG"), 0.0, 0.02, new double[] {1, 0, 0, 0}),
        // red leaves 10 %: 98 % of it to green (legal), 2 % split over yellow and off
        Arguments.of(
            new double[] {1, 0, 0, 0},
            legal("RG"),
            0.1,
            0.02,
            new double[] {0.9, 0.001, 0.098, 0.001}),
        // two legal successors share evenly
        Arguments.of(
            new double[] {0, 0, 0, 1},
            legal("OR", "OY", "OG"),
            0.3,
            0.02,
            new double[] {0.1, 0.1, 0.1, 0.7}),
        // no legal successor: everything leaving is spread over the other three
        Arguments.of(
            new double[] {0, 1, 0, 0}, legal(), 0.3, 0.02, new double[] {0.1, 0.7, 0.1, 0.1}),
        // illegal share 1: legal successors get nothing
        Arguments.of(
            new double[] {1, 0, 0, 0}, legal("RG"), 0.2, 1.0, new double[] {0.8, 0.1, 0, 0.1}),
        // mixture: each row moves its own mass
        Arguments.of(
            new double[] {0.5, 0, 0.5, 0},
            legal("RG", "GY"),
            0.2,
            0.02,
            new double[] {
              0.4 + 0.5 * 0.2 * 0.01,
              0.5 * 0.2 * 0.98 + 0.5 * 0.2 * 0.01,
              0.4 + 0.5 * 0.2 * 0.98,
              0.5 * 0.2 * 0.02
            }));
  }

  @ParameterizedTest
  @MethodSource("predictions")
  void predictionMovesMassAlongTheTransitions(
      double[] prob, boolean[][] legal, double leave, double illegal, double[] expected) {
    double[] p = prob.clone();
    ColourFilter.predict(p, legal, leave, illegal, new double[4]);
    assertThat(p)
        .containsExactly(
            expected, org.assertj.core.data.Offset.offset(5e-6)); // the floor moves 1e-6
    assertThat(Arrays.stream(p).sum()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-12));
  }

  @Test
  void observationWeighsByTheReadingAndNeverReachesZero() {
    double[] uniform = {0.25, 0.25, 0.25, 0.25};
    // an empty reading (nothing assigned): changes nothing
    double[] p = uniform.clone();
    ColourFilter.observe(p, new double[4], 0.1);
    assertThat(p).containsExactly(uniform, org.assertj.core.data.Offset.offset(1e-12));
    // a uniform reading says nothing either
    p = uniform.clone();
    ColourFilter.observe(p, uniform.clone(), 0.1);
    assertThat(p).containsExactly(uniform, org.assertj.core.data.Offset.offset(1e-12));
    // a certain reading: odds of the read colour against each other one become (1 - 0.1) / (0.1 /
    // 3) = 27
    p = uniform.clone();
    ColourFilter.observe(p, new double[] {0, 0, 1, 0}, 0.1);
    assertThat(p[2] / p[0]).isCloseTo(27.0, org.assertj.core.data.Offset.offset(1e-9));
    // a split reading (0.5 green, 0.5 yellow): both gain equally against red
    p = uniform.clone();
    ColourFilter.observe(p, new double[] {0, 0.5, 0.5, 0}, 0.1);
    assertThat(p[1]).isCloseTo(p[2], org.assertj.core.data.Offset.offset(1e-12));
    assertThat(p[1] / p[0])
        .isCloseTo(
            (0.5 * 0.9 + 0.5 * 0.1 / 3) / (0.1 / 3), org.assertj.core.data.Offset.offset(1e-9));
    // hundreds of agreeing readings: the others stay at the floor, so the filter can still come
    // back
    for (int i = 0; i < 500; i++) {
      ColourFilter.observe(p, new double[] {0, 0, 1, 0}, 0.1);
    }
    assertThat(p[0]).isGreaterThanOrEqualTo(ColourFilter.FLOOR * 0.99);
  }

  @Test
  void builderRejectsOutOfRangeValuesWithWhatWasExpected() {
    assertThatThrownBy(() -> TrafficLightTracker.builder().illegalShare(0).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("illegal share in (0, 1]");
    assertThatThrownBy(() -> TrafficLightTracker.builder().misreadRate(0.8).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("misread rate");
    assertThatThrownBy(() -> TrafficLightTracker.builder().meanPhase(Duration.ZERO).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("positive mean phase");
    assertThatThrownBy(
            () ->
                TrafficLightTracker.builder()
                    .legalNext(java.util.Map.of(Colour.RED, java.util.Set.of(Colour.RED)))
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("legal successors");
  }

  @Test
  void customLegalOrderChangesWhatIsQuick() {
    // UK order: red -> red+amber (read as yellow here) -> green -> yellow -> red. With red ->
    // yellow legal,
    // the yellow after red is accepted after two readings instead of three.
    var uk =
        java.util.Map.of(
            Colour.RED,
            java.util.Set.of(Colour.YELLOW, Colour.GREEN),
            Colour.YELLOW,
            java.util.Set.of(Colour.RED, Colour.GREEN),
            Colour.GREEN,
            java.util.Set.of(Colour.YELLOW));
    assertThat(play(base().build(), "RRRYYYY", 100)).startsWith("RRRRRYY|");
    assertThat(play(base().legalNext(uk).build(), "RRRYYYY", 100)).startsWith("RRRRYYY|");
  }
}
