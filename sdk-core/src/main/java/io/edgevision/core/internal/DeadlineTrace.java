package io.edgevision.core.internal;

import java.util.Optional;

/**
 * Where the time after a deadline goes, per call: when the watchdog was due, when it set ONNX
 * Runtime's terminate flag, and when the native run returned. The {@code load} command reads it to
 * split a late call's overshoot into watchdog lateness, ONNX Runtime's time to stop, and the return
 * path. Off by default; when off a budgeted run pays one volatile read. Internal.
 *
 * <p>Threading: {@link #enable} is global; the record is kept per calling thread ({@link #last()}
 * reads the latest synchronous call made on the current thread).
 */
public final class DeadlineTrace {
  private static volatile boolean enabled;
  private static final ThreadLocal<Call> LAST = new ThreadLocal<>();

  private DeadlineTrace() {}

  /**
   * One budgeted native run, all times {@link System#nanoTime()}.
   *
   * @param dueNanos when the watchdog was due to terminate the run (the deadline)
   * @param fired whether the watchdog set the terminate flag while the run was in flight
   * @param firedNanos when it had set it (meaningful only when {@code fired})
   * @param returnedNanos when the native run returned (normally or terminated)
   */
  public record Call(long dueNanos, boolean fired, long firedNanos, long returnedNanos) {}

  /**
   * @param on whether sessions record their budgeted runs from now on
   */
  public static void enable(boolean on) {
    enabled = on;
  }

  /**
   * @return whether recording is on
   */
  public static boolean enabled() {
    return enabled;
  }

  /**
   * Records the current thread's latest budgeted run (called by the session).
   *
   * @param call the run
   */
  public static void record(Call call) {
    LAST.set(call);
  }

  /**
   * Returns and forgets the current thread's latest recorded run.
   *
   * @return the run, or empty when none was recorded since the last call (tracing off, no deadline,
   *     or the call ended before its native run)
   */
  public static Optional<Call> take() {
    Call c = LAST.get();
    LAST.remove();
    return Optional.ofNullable(c);
  }
}
