package io.edgevision.core.internal;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * One daemon thread shared by all sessions that fires deadline actions (terminating native runs). Tasks are
 * removed from the queue when cancelled, so completed calls leave nothing behind. Internal.
 */
public final class Watchdog {
  private static final ScheduledThreadPoolExecutor EXECUTOR;

  static {
    EXECUTOR = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "edgevision-deadline-watchdog");
      t.setDaemon(true);
      return t;
    });
    EXECUTOR.setRemoveOnCancelPolicy(true);
  }

  private Watchdog() {}

  /**
   * @param delayNanos real-time delay (&lt;= 0 runs as soon as possible)
   * @param action what to do at the deadline; must be quick and must not throw
   * @return a handle to cancel it
   */
  public static ScheduledFuture<?> schedule(long delayNanos, Runnable action) {
    return EXECUTOR.schedule(action, Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
  }
}
