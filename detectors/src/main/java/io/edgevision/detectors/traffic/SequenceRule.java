package io.edgevision.detectors.traffic;

import io.edgevision.postprocess.Colour;
import java.time.Duration;
import java.util.Objects;

/**
 * A transition the {@link TrafficLightTracker} distrusts: while a track shows {@code from}, a switch to
 * {@code to} is held (the track keeps showing {@code from}) until {@code to} has led the vote continuously for
 * {@code hold}. Example: {@code SequenceRule.of(RED, YELLOW, Duration.ofSeconds(2))} — a yellow right after red
 * is usually a misread red (or a red-and-amber phase) and is held as red; a genuine change to green is not
 * affected.
 *
 * <p>Threading: immutable.
 *
 * @param from the colour the track shows
 * @param to the colour it would switch to
 * @param hold how long {@code to} must lead before the switch is accepted; {@link Duration#ZERO} disables the
 *     rule
 */
public record SequenceRule(Colour from, Colour to, Duration hold) {
  /**
   * Validates the rule.
   *
   * @throws IllegalArgumentException when {@code from == to}, a colour is UNKNOWN, or hold is negative
   */
  public SequenceRule {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(hold, "hold");
    if (from == to || from == Colour.UNKNOWN || to == Colour.UNKNOWN) {
      throw new IllegalArgumentException("expected two different known colours, got " + from + " -> " + to);
    }
    if (hold.isNegative()) {
      throw new IllegalArgumentException("expected hold >= 0, got " + hold);
    }
  }

  /**
   * @param from the colour the track shows
   * @param to the colour it would switch to
   * @param hold how long {@code to} must lead first
   * @return the rule
   */
  public static SequenceRule of(Colour from, Colour to, Duration hold) {
    return new SequenceRule(from, to, hold);
  }
}
