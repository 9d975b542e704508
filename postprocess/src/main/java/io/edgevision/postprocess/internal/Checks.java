package io.edgevision.postprocess.internal;

import java.util.Locale;

/**
 * Argument checks in the manner of Guava's {@code Preconditions}: a failed check throws {@link
 * IllegalArgumentException} with a formatted "expected X, got Y" message.
 *
 * <p>Primitive overloads exist so that checks on hot paths never box (the message is formatted only
 * when a check fails). Threading: stateless, safe from any thread.
 */
public final class Checks {
  private Checks() {}

  /**
   * Throws {@link IllegalArgumentException} when {@code condition} is false.
   *
   * @param condition the condition that must hold
   * @param format a {@link String#format} pattern for the message
   * @param args the message arguments
   * @throws IllegalArgumentException when {@code condition} is false
   */
  public static void checkArgument(boolean condition, String format, Object... args) {
    if (!condition) {
      throw new IllegalArgumentException(String.format(Locale.ROOT, format, args));
    }
  }

  /**
   * Non-boxing overload of {@link #checkArgument(boolean, String, Object...)} for one {@code int}.
   *
   * @param condition the condition that must hold
   * @param format the message pattern
   * @param a the message argument
   * @throws IllegalArgumentException when {@code condition} is false
   */
  public static void checkArgument(boolean condition, String format, int a) {
    if (!condition) {
      throw new IllegalArgumentException(String.format(Locale.ROOT, format, a));
    }
  }

  /**
   * Non-boxing overload for two {@code int} arguments.
   *
   * @param condition the condition that must hold
   * @param format the message pattern
   * @param a the first message argument
   * @param b the second message argument
   * @throws IllegalArgumentException when {@code condition} is false
   */
  public static void checkArgument(boolean condition, String format, int a, int b) {
    if (!condition) {
      throw new IllegalArgumentException(String.format(Locale.ROOT, format, a, b));
    }
  }

  /**
   * Non-boxing overload for one {@code float} argument.
   *
   * @param condition the condition that must hold
   * @param format the message pattern
   * @param a the message argument
   * @throws IllegalArgumentException when {@code condition} is false
   */
  public static void checkArgument(boolean condition, String format, float a) {
    if (!condition) {
      throw new IllegalArgumentException(String.format(Locale.ROOT, format, a));
    }
  }

  /**
   * Checks that {@code value} is a finite number in {@code [0, 1]}.
   *
   * @param value the value to check
   * @param name the parameter name used in the message
   * @return {@code value}
   * @throws IllegalArgumentException when {@code value} is outside {@code [0, 1]} or not finite
   */
  public static float checkUnit(float value, String name) {
    if (!(value >= 0f && value <= 1f)) {
      throw new IllegalArgumentException(
          String.format(Locale.ROOT, "%s: expected a value in [0, 1], got %s", name, value));
    }
    return value;
  }

  /**
   * Checks that a flat array holds at least {@code count * stride} values.
   *
   * @param length the array length
   * @param count the number of records
   * @param stride the values per record
   * @param name the array name used in the message
   * @throws IllegalArgumentException when the array is too short or {@code count} is negative
   */
  public static void checkLength(int length, int count, int stride, String name) {
    if (count < 0 || (long) count * stride > length) {
      throw new IllegalArgumentException(
          String.format(
              Locale.ROOT,
              "%s: expected at least %d values (%d x %d), got %d",
              name,
              (long) count * stride,
              count,
              stride,
              length));
    }
  }
}
