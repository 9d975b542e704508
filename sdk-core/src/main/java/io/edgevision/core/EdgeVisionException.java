package io.edgevision.core;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The one SDK exception type: an environment, model, data or native failure, with an {@link
 * ErrorCode}.
 *
 * <p>Caller mistakes (a null argument, a negative budget, use after close) are reported with the
 * standard unchecked exceptions instead ({@link NullPointerException}, {@link
 * IllegalArgumentException}, {@link IllegalStateException}). A missed latency budget is never an
 * exception: it is an {@link Outcome} of the result. Messages say what was expected and what was
 * got.
 *
 * <p>Threading: immutable once thrown.
 */
public final class EdgeVisionException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final ErrorCode code;

  /**
   * @param code what kind of failure
   * @param message what was expected and what was got
   */
  public EdgeVisionException(ErrorCode code, String message) {
    this(code, message, null);
  }

  /**
   * @param code what kind of failure
   * @param message what was expected and what was got
   * @param cause the underlying native or I/O exception, if any
   */
  public EdgeVisionException(ErrorCode code, String message, @Nullable Throwable cause) {
    super("[" + Objects.requireNonNull(code, "code") + "] " + message, cause);
    this.code = code;
  }

  /**
   * @return the error code
   */
  public ErrorCode code() {
    return code;
  }
}
