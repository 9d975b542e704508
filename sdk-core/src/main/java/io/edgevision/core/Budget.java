package io.edgevision.core;

import static io.edgevision.core.internal.Checks.checkArgument;

import java.time.Duration;
import java.util.Objects;

/**
 * How long a call may take: a duration counted from the moment the call is made (or an async call
 * is submitted), an absolute deadline on the session's {@link Ticker}, or unlimited.
 *
 * <pre>{@code
 * session.run(frame, Budget.ofMillis(30), decoder);
 * }</pre>
 *
 * <p>Threading: immutable.
 */
public final class Budget {
  private static final Budget UNLIMITED = new Budget(Long.MAX_VALUE, false);
  private final long nanos;
  private final boolean absolute;

  private Budget(long nanos, boolean absolute) {
    this.nanos = nanos;
    this.absolute = absolute;
  }

  /**
   * @param duration time allowed from the call, &gt;= 0
   * @return the budget
   */
  public static Budget of(Duration duration) {
    Objects.requireNonNull(duration, "duration");
    checkArgument(!duration.isNegative(), "budget must be >= 0, got %s", duration);
    return new Budget(duration.toNanos(), false);
  }

  /**
   * @param millis milliseconds allowed from the call, &gt;= 0
   * @return the budget
   */
  public static Budget ofMillis(long millis) {
    checkArgument(millis >= 0, "budget must be >= 0 ms, got %s", millis);
    return of(Duration.ofMillis(millis));
  }

  /**
   * @param tickerNanos deadline on the session's ticker
   * @return a budget ending at that instant
   */
  public static Budget deadline(long tickerNanos) {
    return new Budget(tickerNanos, true);
  }

  /**
   * @return a budget that never runs out (no admission control, no cancellation)
   */
  public static Budget unlimited() {
    return UNLIMITED;
  }

  /**
   * @return true for {@link #unlimited()}
   */
  public boolean isUnlimited() {
    return this == UNLIMITED;
  }

  /**
   * @param startNanos ticker time at which the call started
   * @return the absolute deadline on the ticker ({@link Long#MAX_VALUE} when unlimited)
   */
  public long deadlineFrom(long startNanos) {
    if (isUnlimited()) {
      return Long.MAX_VALUE;
    }
    if (absolute) {
      return nanos;
    }
    long d = startNanos + nanos;
    return d < startNanos ? Long.MAX_VALUE : d;
  }

  @Override
  public String toString() {
    return isUnlimited()
        ? "Budget[unlimited]"
        : absolute ? "Budget[deadline " + nanos + "]" : "Budget[" + Duration.ofNanos(nanos) + "]";
  }
}
