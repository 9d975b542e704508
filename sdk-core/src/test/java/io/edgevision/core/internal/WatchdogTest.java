package io.edgevision.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Behaviour of the shared deadline watchdog (bounds are generous: behaviour, not benchmarks). */
class WatchdogTest {
  @Test
  void aNearDeadlineFiresEvenWhenAFarOneIsPending() throws Exception {
    CountDownLatch near = new CountDownLatch(1);
    AtomicInteger far = new AtomicInteger();
    Watchdog.Task farTask = Watchdog.schedule(TimeUnit.SECONDS.toNanos(30), far::incrementAndGet);
    long t0 = System.nanoTime();
    Watchdog.schedule(TimeUnit.MILLISECONDS.toNanos(20), near::countDown);
    assertThat(near.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isGreaterThanOrEqualTo(19);
    farTask.cancel();
    farTask.cancel(); // idempotent
    assertThat(far.get()).isZero();
  }

  @Test
  void aCancelledTaskNeverRuns() throws Exception {
    AtomicInteger runs = new AtomicInteger();
    Watchdog.Task t = Watchdog.schedule(TimeUnit.MILLISECONDS.toNanos(30), runs::incrementAndGet);
    t.cancel();
    Thread.sleep(120);
    assertThat(runs.get()).isZero();
  }

  @Test
  void aDeadlineAfterAnIdlePeriodStillFires() throws Exception {
    // longer than the idle period, so the thread parks indefinitely and must be woken by the
    // registration
    Thread.sleep(Watchdog.IDLE_MILLIS + Watchdog.HORIZON_MILLIS * 3);
    CountDownLatch fired = new CountDownLatch(1);
    Watchdog.schedule(TimeUnit.MILLISECONDS.toNanos(10), fired::countDown);
    assertThat(fired.await(5, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void aThrowingActionDoesNotStopTheWatchdog() throws Exception {
    Watchdog.schedule(
        0,
        () -> {
          throw new IllegalStateException("boom");
        });
    CountDownLatch next = new CountDownLatch(1);
    Watchdog.schedule(TimeUnit.MILLISECONDS.toNanos(5), next::countDown);
    assertThat(next.await(5, TimeUnit.SECONDS)).isTrue();
  }
}
