package io.edgevision.core.internal;

import io.edgevision.core.EdgeVisionException;
import io.edgevision.core.ErrorCode;

/** Preconditions with "expected X, got Y" messages (Guava style). Internal: not for SDK users. */
public final class Checks {
  private Checks() {}

  /**
   * Throws {@link IllegalArgumentException} with a formatted message when {@code condition} is
   * false.
   */
  public static void checkArgument(boolean condition, String format, Object... args) {
    if (!condition) {
      throw new IllegalArgumentException(String.format(format, args));
    }
  }

  /**
   * Throws {@link IllegalStateException} with a formatted message when {@code condition} is false.
   */
  public static void checkState(boolean condition, String format, Object... args) {
    if (!condition) {
      throw new IllegalStateException(String.format(format, args));
    }
  }

  /**
   * Throws {@link EdgeVisionException} {@link ErrorCode#BAD_INPUT} when {@code condition} is false.
   */
  public static void checkInput(boolean condition, String format, Object... args) {
    if (!condition) {
      throw new EdgeVisionException(ErrorCode.BAD_INPUT, String.format(format, args));
    }
  }
}
