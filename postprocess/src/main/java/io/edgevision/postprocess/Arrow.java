package io.edgevision.postprocess;

import java.util.Locale;

/**
 * An arrow attribute of a traffic-light state. A state has a set of arrows: {@code {NONE}} for a
 * plain disc, one or more of the others for arrow lamps ({@code NONE} never combines with another
 * arrow).
 *
 * <p>Threading: immutable constants.
 */
public enum Arrow {
  /** A plain disc, no arrow. */
  NONE,
  /** Left-turn arrow. */
  LEFT,
  /** Right-turn arrow. */
  RIGHT,
  /** Straight-ahead arrow. */
  STRAIGHT,
  /** U-turn arrow. */
  U_TURN;

  /**
   * Parses a schema name, case-insensitively: {@code none}, {@code left}, {@code right}, {@code
   * straight}, {@code u_turn} (alias {@code uturn}).
   *
   * @param name the name
   * @return the arrow
   * @throws IllegalArgumentException for any other name
   */
  public static Arrow parse(String name) {
    String n = name.trim().toLowerCase(Locale.ROOT);
    if (n.equals("uturn") || n.equals("u-turn")) {
      return U_TURN;
    }
    for (Arrow a : values()) {
      if (a.name().toLowerCase(Locale.ROOT).equals(n)) {
        return a;
      }
    }
    throw new IllegalArgumentException(
        "expected an arrow (none, left, right, straight, u_turn), got \"" + name + "\"");
  }
}
