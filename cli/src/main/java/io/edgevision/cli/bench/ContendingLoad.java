package io.edgevision.cli.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * Background CPU load for measuring budget adherence under contention: N daemon threads that spin
 * on arithmetic until {@link #close()}. Owned by the one caller that started it; {@code close} is
 * idempotent and waits for the threads to stop.
 *
 * <p>Example: {@code try (ContendingLoad load = ContendingLoad.start(2)) { ... measure ... }}
 */
public final class ContendingLoad implements AutoCloseable {
  private final List<Thread> threads = new ArrayList<>();
  private volatile boolean stop;

  /** Written by the spinners so the JIT cannot drop their loop. */
  private volatile long sink;

  private ContendingLoad(int n) {
    for (int i = 0; i < n; i++) {
      Thread t = new Thread(this::spin, "edgevision-bench-contend-" + i);
      t.setDaemon(true);
      threads.add(t);
    }
    threads.forEach(Thread::start);
  }

  /**
   * @param threads busy threads, 0 for none
   * @return the running load
   */
  public static ContendingLoad start(int threads) {
    if (threads < 0 || threads > 1024) {
      throw new IllegalArgumentException(
          "contend must be between 0 and 1024 busy threads, got " + threads);
    }
    return new ContendingLoad(threads);
  }

  /**
   * @return how many busy threads are running (0 after close)
   */
  public int running() {
    return (int) threads.stream().filter(Thread::isAlive).count();
  }

  private void spin() {
    long x = Thread.currentThread().getId();
    while (!stop) {
      for (int i = 0; i < 10_000; i++) {
        x = x * 6364136223846793005L + 1442695040888963407L;
      }
      sink = x;
    }
  }

  @Override
  public void close() {
    stop = true;
    for (Thread t : threads) {
      try {
        t.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
