package io.edgevision.postprocess;

import java.lang.management.ManagementFactory;

/** Measures bytes allocated by the current thread (HotSpot's com.sun.management extension). */
final class Allocation {
  private Allocation() {}

  /**
   * Warms {@code body} up, then returns the bytes the current thread allocated over {@code
   * iterations} calls.
   */
  static long measure(Runnable body, int iterations) {
    com.sun.management.ThreadMXBean bean =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    for (int i = 0; i < iterations; i++) {
      body.run();
    }
    long before = bean.getCurrentThreadAllocatedBytes();
    for (int i = 0; i < iterations; i++) {
      body.run();
    }
    return bean.getCurrentThreadAllocatedBytes() - before;
  }
}
