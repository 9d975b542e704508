package io.edgevision.detectors.traffic;

import io.edgevision.postprocess.Box;
import io.edgevision.postprocess.Colour;
import io.edgevision.postprocess.StateClass;
import java.util.Objects;
import java.util.Optional;

/**
 * A traffic light followed across video frames by a {@link TrafficLightTracker}.
 *
 * <p>Threading: immutable (a snapshot taken at one update).
 *
 * @param id the track id, unique per tracker, increasing from 1
 * @param box the latest matched box, pixels of the frame
 * @param colour the filtered colour: the most probable of RED, YELLOW, GREEN, OFF ({@link
 *     Colour#UNKNOWN} until a state has been observed); for a flashing light, its lit colour
 * @param state in joint-state mode ({@link TrafficLightTracker.Builder#states}) the filtered joint
 *     state, of colour {@code colour}; empty in colour mode and before the first reading
 * @param flashing whether the light alternates on/off (see the tracker's flashing rule)
 * @param observed the colour read in the latest matched frame ({@link Colour#UNKNOWN} when no
 *     state)
 * @param probability the filter's probability of {@code colour}, 0 before the first reading
 * @param held whether the latest reading showed another colour than {@code colour} (a reading not
 *     followed: a misread, or a change not yet confirmed)
 * @param hits frames in which the track was matched
 * @param firstSeenNanos frame timestamp of the first match
 * @param lastSeenNanos frame timestamp of the latest match
 * @param seenThisUpdate whether the latest update matched a detection to the track
 */
public record TrackedLight(
    long id,
    Box box,
    Colour colour,
    Optional<StateClass> state,
    boolean flashing,
    Colour observed,
    float probability,
    boolean held,
    int hits,
    long firstSeenNanos,
    long lastSeenNanos,
    boolean seenThisUpdate) {
  /** Validates the snapshot. */
  public TrackedLight {
    Objects.requireNonNull(box, "box");
    Objects.requireNonNull(colour, "colour");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(observed, "observed");
  }
}
