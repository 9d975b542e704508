package io.edgevision.core;

/**
 * A source of nanosecond time for budget accounting (Guava's {@code Ticker}). Inject a fake in
 * tests to drive admission decisions deterministically; the deadline watchdog that cancels a native
 * run always waits in real time for {@code deadline - ticker.read()}.
 *
 * <p>Implementations must be thread-safe.
 */
@FunctionalInterface
public interface Ticker {
  /**
   * @return the current time in nanoseconds, monotonic, arbitrary origin
   */
  long read();

  /**
   * @return {@link System#nanoTime()}
   */
  static Ticker system() {
    return System::nanoTime;
  }
}
