package io.edgevision.core.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One daemon thread shared by all sessions that fires deadline actions (terminating native runs).
 *
 * <p>Built to cost nothing per call when deadlines are generous: while deadlines are pending or
 * were pending recently, the thread wakes at least every {@value #HORIZON_MILLIS} ms, and
 * registering a deadline later than its next planned wake-up does not wake it. Only a deadline
 * earlier than that (a tight budget, where precision matters) interrupts its sleep. A
 * general-purpose {@code ScheduledThreadPoolExecutor} instead wakes its thread on every task that
 * becomes the head of its queue, i.e. on every call of a single-stream application, which on a
 * two-core device steals time from the inference threads. After {@value #IDLE_MILLIS} ms without
 * deadlines the thread sleeps until the next registration. Internal.
 */
public final class Watchdog {
  static final long HORIZON_MILLIS = 50;
  static final long IDLE_MILLIS = 1000;
  private static final long HORIZON = HORIZON_MILLIS * 1_000_000L;
  private static final long IDLE = IDLE_MILLIS * 1_000_000L;
  private static final Logger LOG = LoggerFactory.getLogger(Watchdog.class);
  private static final Object LOCK = new Object();
  private static final PriorityQueue<Task> QUEUE =
      new PriorityQueue<>((a, b) -> Long.compare(a.due - b.due, 0));

  /**
   * When the thread will next wake by itself (System.nanoTime); Long.MAX_VALUE when parked
   * indefinitely.
   */
  private static long wakeAt = Long.MAX_VALUE;

  private static final Thread THREAD;

  static {
    THREAD = new Thread(Watchdog::loop, "edgevision-deadline-watchdog");
    THREAD.setDaemon(true);
    THREAD.start();
  }

  private Watchdog() {}

  /** A scheduled deadline action; {@link #cancel()} is idempotent. */
  public static final class Task {
    private final long due;
    private final Runnable action;
    private boolean cancelled;

    private Task(long due, Runnable action) {
      this.due = due;
      this.action = action;
    }

    /**
     * @return when the action is due, {@link System#nanoTime()}
     */
    public long due() {
      return due;
    }

    /** Cancels the action (it will not run if it has not started). */
    public void cancel() {
      synchronized (LOCK) {
        if (!cancelled) {
          cancelled = true;
          QUEUE.remove(this);
        }
      }
    }
  }

  /**
   * @param delayNanos real-time delay (&lt;= 0 runs as soon as possible)
   * @param action what to do at the deadline; must be quick and must not throw
   * @return a handle to cancel it
   */
  public static Task schedule(long delayNanos, Runnable action) {
    long now = System.nanoTime();
    Task t = new Task(now + Math.max(0, delayNanos), action);
    boolean wake;
    synchronized (LOCK) {
      QUEUE.add(t);
      wake =
          wakeAt == Long.MAX_VALUE
              || t.due - wakeAt < 0; // nanoTime may be negative: no MAX arithmetic
    }
    if (wake) {
      LockSupport.unpark(THREAD);
    }
    return t;
  }

  private static void loop() {
    List<Task> due = new ArrayList<>();
    long lastBusy = System.nanoTime();
    while (true) {
      long parkFor;
      synchronized (LOCK) {
        long now = System.nanoTime();
        for (Task head = QUEUE.peek(); head != null && head.due - now <= 0; head = QUEUE.peek()) {
          QUEUE.poll();
          head.cancelled = true;
          due.add(head);
        }
        if (!QUEUE.isEmpty()) {
          lastBusy = now;
          long next = Math.min(QUEUE.peek().due - now, HORIZON);
          wakeAt = now + next;
          parkFor = next;
        } else if (now - lastBusy < IDLE) {
          wakeAt = now + HORIZON;
          parkFor = HORIZON;
        } else {
          wakeAt = Long.MAX_VALUE;
          parkFor = 0; // indefinitely, until a registration unparks us
        }
      }
      for (Task t : due) {
        try {
          t.action.run();
        } catch (RuntimeException e) {
          LOG.warn("deadline action failed: {}", e.toString());
        }
      }
      due.clear();
      if (parkFor > 0) {
        LockSupport.parkNanos(Watchdog.class, parkFor);
      } else {
        LockSupport.park(Watchdog.class);
      }
    }
  }
}
