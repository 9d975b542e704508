package io.edgevision.detectors.traffic;

import io.edgevision.postprocess.Box;
import io.edgevision.postprocess.Colour;
import java.util.Objects;

/**
 * A traffic light followed across video frames by a {@link TrafficLightTracker}.
 *
 * <p>Threading: immutable (a snapshot taken at one update).
 *
 * @param id the track id, unique per tracker, increasing from 1
 * @param box the latest matched box, pixels of the frame
 * @param colour the stable colour after voting, hysteresis and sequence rules ({@link Colour#UNKNOWN} until a
 *     state has been observed); for a flashing light, its lit colour
 * @param flashing whether the light alternates on/off (see the tracker's flashing rule)
 * @param observed the colour read in the latest matched frame ({@link Colour#UNKNOWN} when no state)
 * @param voteShare the share of the vote window's weight held by the leading colour, 0 without votes
 * @param held whether a sequence rule is currently holding back a switch away from {@code colour}
 * @param hits frames in which the track was matched
 * @param firstSeenNanos frame timestamp of the first match
 * @param lastSeenNanos frame timestamp of the latest match
 * @param seenThisUpdate whether the latest update matched a detection to the track
 */
public record TrackedLight(
    long id,
    Box box,
    Colour colour,
    boolean flashing,
    Colour observed,
    float voteShare,
    boolean held,
    int hits,
    long firstSeenNanos,
    long lastSeenNanos,
    boolean seenThisUpdate) {
  /** Validates the snapshot. */
  public TrackedLight {
    Objects.requireNonNull(box, "box");
    Objects.requireNonNull(colour, "colour");
    Objects.requireNonNull(observed, "observed");
  }
}
