package io.edgevision.detectors.traffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgevision.core.Fingerprint;
import io.edgevision.core.ExecutionProvider;
import io.edgevision.core.ImageFrame;
import io.edgevision.core.Outcome;
import io.edgevision.core.PixelFormat;
import io.edgevision.postprocess.Box;
import io.edgevision.postprocess.Colour;
import io.edgevision.postprocess.LabelSchema;
import io.edgevision.postprocess.LightState;
import io.edgevision.postprocess.ScoreKind;
import io.edgevision.postprocess.StateDecoder;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Scripted frame sequences for one light. Script letters: R red, Y yellow, G green, O off, U no state, - not
 * detected. Expected colours use the same letters (U = no stable colour yet); flashing: F flashing, . not.
 */
class TrafficLightTrackerTest {
  static final StateDecoder DECODER = StateDecoder.builder(LabelSchema.parse("""
      {"classes": [{"name": "red", "colour": "red"}, {"name": "yellow", "colour": "yellow"},
                   {"name": "green", "colour": "green"}, {"name": "off", "colour": "off"}]}""")).build();
  static final Box BOX = new Box(100, 50, 120, 100);

  /** A light of colour {@code c} with confidence 0.9 (0.9 on its class, the rest spread evenly). */
  static TrafficLight light(Box box, char c) {
    if (c == 'U') {
      return new TrafficLight(box, 0.8f, 9, "traffic light", Optional.empty(), StateSource.NONE, List.of(), -1);
    }
    int k = "RYGO".indexOf(c);
    float[] p = {0.1f / 3, 0.1f / 3, 0.1f / 3, 0.1f / 3};
    p[k] = 0.9f;
    LightState s = DECODER.decode(p, ScoreKind.PROBABILITIES);
    return new TrafficLight(box, 0.8f, 9, "traffic light", Optional.of(s), StateSource.DETECTOR, List.of(), -1);
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

  /** Runs a script (one letter per frame, {@code stepMs} apart) and returns "colours|flashing|held". */
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

  /** Short windows so the arithmetic is easy: 500 ms vote window = the last 5 frames at 100 ms. */
  static TrafficLightTracker.Builder base() {
    return TrafficLightTracker.builder().voteWindow(Duration.ofMillis(500)).hysteresis(0.6, 2)
        .flashing(Duration.ofSeconds(3), 3, Duration.ofSeconds(1)).maxAge(Duration.ofSeconds(1));
  }

  static Stream<Arguments> scripts() {
    SequenceRule redYellow1s = SequenceRule.of(Colour.RED, Colour.YELLOW, Duration.ofSeconds(1));
    SequenceRule redYellow300 = SequenceRule.of(Colour.RED, Colour.YELLOW, Duration.ofMillis(300));
    return Stream.of(
        // steady red stays red
        Arguments.of("steady", base(), "RRRR", 100, "RRRR|....|...."),
        // one misread green inside reds never flips the light
        Arguments.of("glitch", base(), "RRRGRR", 100, "RRRRRR|......|......"),
        // red -> green: G leads with 3/5 at frame 6 (first leading frame), switches at frame 7 (second)
        Arguments.of("switch", base().rules(List.of()), "RRRGGGG", 100, "RRRRRRG|.......|......."),
        // a light without states is tracked without a colour
        Arguments.of("no state", base(), "UUU", 100, "UUU|...|..."),
        // missed detections do not vote: the colour is kept while the track coasts
        Arguments.of("coasting", base(), "RR--RR", 100, "RRRRRR|......|......"),
        // yellow after red is held as red (rule 1 s) until green comes, which switches normally
        Arguments.of("red->yellow held", base().rules(List.of(redYellow1s)), "RRRYYYYGGGG", 100,
            "RRRRRRRRRRG|...........|......HHH.."),
        // the same rule lets a persistent yellow through once it has led for the hold (300 ms)
        Arguments.of("held then accepted", base().rules(List.of(redYellow300)), "RRRYYYYYY", 100,
            "RRRRRRRRY|.........|......HH."),
        // green -> yellow is a normal transition: hysteresis only
        Arguments.of("green->yellow", base().rules(List.of(redYellow1s)), "GGGYYYY", 100,
            "GGGGGGY|.......|......."),
        // yellow blinking at 400 ms phases: flashing from the third toggle, stays yellow (OFF does not vote),
        // stops flashing once it stays lit longer than the 1 s max phase
        Arguments.of("flashing yellow", base(), "YOYOYYYY", 400, "YYYYYYYY|...FFFF.|........"),
        // a light switching off once is not flashing: it turns OFF by the normal vote
        Arguments.of("switched off", base(), "YYYOOOO", 100, "YYYYYYO|.......|......."),
        // blinking slower than the 1 s max phase (1.2 s phases, 3 frames 400 ms apart) is not flashing: the
        // colour follows the vote (2 frames in the window, ties keep the colour, 2 leading frames to switch)
        Arguments.of("slow blink", base(), "YYYOOOYYYOOO", 400, "YYYYYOOOYYYO|............|............"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scripts")
  void scripted(String name, TrafficLightTracker.Builder config, String script, long stepMs, String expected) {
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
    List<TrackedLight> t1 = tracker.update(100_000_000L, List.of(light(right2, 'G'), light(left2, 'R')));
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
    List<TrackedLight> t2 = tracker.update(1_300_000_000L, List.of(light(left2, 'R'), light(new Box(0, 0, 10, 20), 'G')));
    assertThat(t2).extracting(TrackedLight::id).containsExactly(1L, 3L);
    assertThat(t2.get(1).seenThisUpdate()).isTrue();
  }

  @Test
  void timestampsComeFromFramesAndMustNotGoBack() {
    TrafficLightTracker tracker = base().build();
    ImageFrame frame = ImageFrame.wrap(ByteBuffer.allocate(12), 2, 2, PixelFormat.BGR);
    TrafficLightResult result = new TrafficLightResult(Outcome.COMPLETED, List.of(light(BOX, 'R')), List.of(),
        "primary", DetectionTimings.ZERO,
        new Fingerprint("0".repeat(64), "primary", ExecutionProvider.CPU, "x", "x", "x"), "", false);
    assertThatThrownBy(() -> tracker.update(frame, result)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("timestamp");
    assertThat(tracker.update(frame.withTimestamp(5_000), result)).hasSize(1)
        .allSatisfy(t -> assertThat(t.firstSeenNanos()).isEqualTo(5_000));
    assertThatThrownBy(() -> tracker.update(frame.withTimestamp(4_000), result))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("non-decreasing");
    tracker.reset();
    assertThat(tracker.tracks()).isEmpty();
    assertThat(tracker.update(frame.withTimestamp(1_000), result).get(0).id()).as("ids keep increasing").isEqualTo(2);
  }

  @Test
  void defaultsHoldAYellowAfterRedForTwoSeconds() {
    TrafficLightTracker tracker = TrafficLightTracker.builder().build();
    // 10 fps: 1 s of red, then yellow. Without the rule yellow would win after ~0.7 s (share 0.6, 2 frames).
    String colours = play(tracker, "RRRRRRRRRR" + "Y".repeat(30), 100).split("\\|")[0];
    // The 1 s window holds 10 frames: frame 14 ties 5 R / 5 Y (red kept), frame 15 yellow leads with 6/10 from
    // t = 1.5 s, frame 16 passes the hysteresis, and the rule holds red until yellow has led 2 s: t = 3.5 s.
    assertThat(colours.indexOf('Y')).isEqualTo(35);
  }
}
