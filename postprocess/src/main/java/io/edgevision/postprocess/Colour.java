package io.edgevision.postprocess;

import java.util.Locale;

/**
 * The colour attribute of a traffic-light state.
 *
 * <p>Threading: immutable constants.
 */
public enum Colour {
  /** Red lamp lit. */
  RED,
  /** Yellow (amber) lamp lit. */
  YELLOW,
  /** Green lamp lit. */
  GREEN,
  /** No lamp lit. */
  OFF,
  /** Colour not determinable (also the colour of an unknown state). */
  UNKNOWN;

  /**
   * Parses a schema name, case-insensitively: {@code red}, {@code yellow} (alias {@code amber}),
   * {@code green}, {@code off}, {@code unknown}.
   *
   * @param name the name
   * @return the colour
   * @throws IllegalArgumentException for any other name
   */
  public static Colour parse(String name) {
    String n = name.trim().toLowerCase(Locale.ROOT);
    if (n.equals("amber")) {
      return YELLOW;
    }
    for (Colour c : values()) {
      if (c.name().toLowerCase(Locale.ROOT).equals(n)) {
        return c;
      }
    }
    throw new IllegalArgumentException(
        "expected a colour (red, yellow, amber, green, off, unknown), got \"" + name + "\"");
  }
}
