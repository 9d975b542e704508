package io.edgevision.detectors.traffic.eval;

import io.edgevision.core.Budget;
import io.edgevision.core.ImageFrames;
import io.edgevision.detectors.traffic.StateSource;
import io.edgevision.detectors.traffic.TrackedLight;
import io.edgevision.detectors.traffic.TrafficLight;
import io.edgevision.detectors.traffic.TrafficLightDetector;
import io.edgevision.detectors.traffic.TrafficLightTracker;
import io.edgevision.postprocess.Boxes;
import io.edgevision.postprocess.Colour;
import io.edgevision.postprocess.Detection;
import io.edgevision.postprocess.LabelSchema;
import io.edgevision.postprocess.StateClass;
import io.edgevision.postprocess.StateDecoder;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the {@link TrafficLightTracker} buys: per-frame state accuracy on a labelled {@link
 * LightSequence}, read from the detector's lights of each frame alone ("without tracker") and from
 * the tracker's tracks ("with tracker").
 *
 * <h2>Scoring, per (frame, true light) pair — every light of every frame, hidden ones included</h2>
 *
 * <ul>
 *   <li><b>Without tracker</b>: the frame's light of highest IoU ≥ {@value #MATCH_IOU} with the
 *       true box (none: wrong). Colour-correct when its label's colour equals the true state's
 *       colour ({@code red_left} is red); joint-correct when its label is the true joint state.
 *   <li><b>With tracker</b>: every frame's lights go through one tracker ({@link
 *       TrafficLightTracker#update} with the frame's timestamp); the live track of highest IoU ≥
 *       {@value #MATCH_IOU} with the true box (tracks unseen in this frame included: that is how a
 *       tracker rides out occlusions). Correct when its colour equals the true colour, or, for a
 *       light that really flashes, when the track is flagged flashing with the flashing colour (a
 *       flashing yellow is "flashing yellow" in its dark phases too). Joint-correct when the
 *       track's joint state ({@link TrackedLight#state()}, a tracker built with {@link
 *       TrafficLightTracker.Builder#states}) is the true one, or on the same flashing condition.
 * </ul>
 *
 * <p>The truth is the sequence's {@code state}, not what the pixels show: on {@code misread} and
 * {@code flicker} frames a detector that reads the pixels correctly is wrong, and on {@code
 * occluded} frames it sees nothing.
 *
 * <p>Threading: stateless static functions (each call uses its own tracker); safe from any thread.
 */
public final class TrackerComparison {
  /** IoU between a light (or track) box and the true box for them to be the same light. */
  public static final double MATCH_IOU = 0.5;

  private TrackerComparison() {}

  /** Where the lights come from. */
  public enum Source {
    /** The model run on the sequence's frames. */
    MODEL,
    /** The sequence's simulated detections (rendered state as label). */
    SIMULATED
  }

  /**
   * One sequence's accuracies.
   *
   * @param sequence the sequence name
   * @param source where the lights came from
   * @param objects (frame, true light) pairs
   * @param colourCorrect pairs whose colour is right without tracker
   * @param jointCorrect pairs whose joint state is right without tracker
   * @param trackedCorrect pairs whose colour is right with the tracker
   * @param trackedJointCorrect pairs whose joint state is right with the tracker (a joint-state
   *     tracker, {@link TrafficLightTracker.Builder#states}; 0 with a colour tracker)
   * @param eventObjects pairs on an event frame (occluded, misread, flicker)
   * @param eventColourCorrect of which right without tracker
   * @param eventTrackedCorrect of which right with the tracker
   * @param flashingObjects pairs of lights that really flash
   * @param flashingFlagged of which the tracker flagged flashing with the right colour
   */
  public record Row(
      String sequence,
      Source source,
      int objects,
      int colourCorrect,
      int jointCorrect,
      int trackedCorrect,
      int trackedJointCorrect,
      int eventObjects,
      int eventColourCorrect,
      int eventTrackedCorrect,
      int flashingObjects,
      int flashingFlagged) {
    /** Validates. */
    public Row {
      Objects.requireNonNull(sequence, "sequence");
      Objects.requireNonNull(source, "source");
    }

    /**
     * Sums rows (a total line).
     *
     * @param name the total's name
     * @param rows the rows, all of one source
     * @return the sum
     */
    public static Row total(String name, List<Row> rows) {
      Source source = rows.isEmpty() ? Source.MODEL : rows.get(0).source();
      int[] s = new int[10];
      for (Row r : rows) {
        int[] v = {
          r.objects,
          r.colourCorrect,
          r.jointCorrect,
          r.trackedCorrect,
          r.trackedJointCorrect,
          r.eventObjects,
          r.eventColourCorrect,
          r.eventTrackedCorrect,
          r.flashingObjects,
          r.flashingFlagged
        };
        for (int i = 0; i < s.length; i++) {
          s[i] += v[i];
        }
      }
      return new Row(name, source, s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7], s[8], s[9]);
    }
  }

  /**
   * Runs the detector on every frame of a sequence.
   *
   * @param detector the detector (its score threshold is the operating threshold); must have a
   *     label schema
   * @param sequence the sequence
   * @return the lights of each frame, frame order
   * @throws io.edgevision.core.EdgeVisionException when a frame cannot be read or the model fails
   */
  public static List<List<TrafficLight>> modelLights(
      TrafficLightDetector detector, LightSequence sequence) {
    List<List<TrafficLight>> out = new ArrayList<>();
    for (LightSequence.SequenceFrame f : sequence.frames()) {
      out.add(
          detector
              .detect(ImageFrames.read(sequence.dir().resolve(f.file())), Budget.unlimited())
              .lights());
    }
    return out;
  }

  /**
   * The sequence's simulated detections as lights: label = the simulated state, state decoded from
   * it alone (confidence 1), no query.
   *
   * @param schema the joint states (the simulated labels must be among its class names)
   * @param sequence the sequence
   * @return the lights of each frame, frame order
   * @throws IllegalArgumentException when a label is not a class of the schema
   */
  public static List<List<TrafficLight>> simulatedLights(
      LabelSchema schema, LightSequence sequence) {
    StateDecoder decoder = StateDecoder.builder(schema).build();
    List<List<TrafficLight>> out = new ArrayList<>();
    for (LightSequence.SequenceFrame f : sequence.frames()) {
      List<TrafficLight> lights = new ArrayList<>();
      for (LightSequence.SimulatedDetection d : f.detections()) {
        int c = stateClass(schema, d.state()).index();
        Detection det = new Detection(d.box(), c, d.score(), Detection.UNKNOWN_QUERY, List.of());
        lights.add(
            new TrafficLight(
                d.box(),
                d.score(),
                c,
                d.state(),
                Optional.of(decoder.decodeDetection(det)),
                StateSource.DETECTOR,
                List.of(),
                Detection.UNKNOWN_QUERY));
      }
      out.add(lights);
    }
    return out;
  }

  /**
   * Scores one sequence with and without a tracker.
   *
   * @param sequence the sequence
   * @param source where the lights came from (for the row)
   * @param lights the lights of each frame, frame order
   * @param schema the joint states of the labels and truth
   * @param tracker a fresh tracker (it is fed the whole sequence)
   * @return the row
   * @throws IllegalArgumentException when the frame counts differ or a state is not a class of the
   *     schema
   */
  public static Row evaluate(
      LightSequence sequence,
      Source source,
      List<List<TrafficLight>> lights,
      LabelSchema schema,
      TrafficLightTracker tracker) {
    if (lights.size() != sequence.frames().size()) {
      throw new IllegalArgumentException(
          "expected lights for " + sequence.frames().size() + " frames, got " + lights.size());
    }
    int objects = 0;
    int colourOk = 0;
    int jointOk = 0;
    int trackedOk = 0;
    int trackedJointOk = 0;
    int events = 0;
    int eventColourOk = 0;
    int eventTrackedOk = 0;
    int flashing = 0;
    int flagged = 0;
    for (int f = 0; f < lights.size(); f++) {
      LightSequence.SequenceFrame frame = sequence.frames().get(f);
      List<TrafficLight> seen = lights.get(f);
      List<TrackedLight> tracks = tracker.update(sequence.timestampNanos(frame.index()), seen);
      for (LightSequence.SequenceObject o : frame.objects()) {
        StateClass truth = stateClass(schema, o.state());
        LightSequence.Track track = sequence.track(o.trackId());
        objects++;
        TrafficLight light = null;
        double best = MATCH_IOU;
        for (TrafficLight l : seen) {
          double iou = Boxes.iou(l.box(), o.box());
          if (iou >= best) {
            best = iou;
            light = l;
          }
        }
        boolean colour =
            light != null
                && light.classId() < schema.size()
                && schema.stateClass(light.classId()).colour() == truth.colour();
        boolean joint = light != null && light.classId() == truth.index();
        TrackedLight tracked = null;
        best = MATCH_IOU;
        for (TrackedLight t : tracks) {
          double iou = Boxes.iou(t.box(), o.box());
          if (iou >= best) {
            best = iou;
            tracked = t;
          }
        }
        boolean flashRight =
            tracked != null
                && track.flashing()
                && tracked.flashing()
                && track.flashingColour() != null
                && tracked.colour() == Colour.parse(track.flashingColour());
        boolean trackedRight =
            tracked != null && (tracked.colour() == truth.colour() || flashRight);
        boolean trackedJointRight =
            tracked != null
                && (tracked.state().map(StateClass::index).equals(Optional.of(truth.index()))
                    || flashRight);
        colourOk += colour ? 1 : 0;
        jointOk += joint ? 1 : 0;
        trackedOk += trackedRight ? 1 : 0;
        trackedJointOk += trackedJointRight ? 1 : 0;
        if (!o.event().equals("none")) {
          events++;
          eventColourOk += colour ? 1 : 0;
          eventTrackedOk += trackedRight ? 1 : 0;
        }
        if (track.flashing()) {
          flashing++;
          flagged += flashRight ? 1 : 0;
        }
      }
    }
    return new Row(
        sequence.name(),
        source,
        objects,
        colourOk,
        jointOk,
        trackedOk,
        trackedJointOk,
        events,
        eventColourOk,
        eventTrackedOk,
        flashing,
        flagged);
  }

  private static StateClass stateClass(LabelSchema schema, String name) {
    for (StateClass c : schema.classes()) {
      if (c.name().equals(name)) {
        return c;
      }
    }
    throw new IllegalArgumentException(
        "expected a joint state of schema '" + schema.name() + "', got '" + name + "'");
  }
}
