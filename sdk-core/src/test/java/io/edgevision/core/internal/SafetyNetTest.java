package io.edgevision.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Both implementations: java.lang.ref.Cleaner (JDK, Android 33+) and the phantom-reference fallback
 * (older Android).
 */
class SafetyNetTest {
  @ParameterizedTest(name = "cleaner={0}")
  @ValueSource(booleans = {true, false})
  void explicitCleanRunsTheActionOnce(boolean cleaner) {
    AtomicInteger runs = new AtomicInteger();
    Object owner = new Object();
    SafetyNet.Registration r = SafetyNet.register(owner, runs::incrementAndGet, cleaner);
    r.clean();
    r.clean();
    assertThat(runs).hasValue(1);
    assertThat(owner).isNotNull(); // keeps the owner reachable until here
  }

  @ParameterizedTest(name = "cleaner={0}")
  @ValueSource(booleans = {true, false})
  void unreachableOwnerRunsTheActionAfterGc(boolean cleaner) throws InterruptedException {
    AtomicInteger runs = new AtomicInteger();
    SafetyNet.Registration r = register(runs, cleaner);
    for (int i = 0; i < 200 && runs.get() == 0; i++) {
      System.gc();
      Thread.sleep(20);
    }
    assertThat(runs).as("action ran after the owner was collected").hasValue(1);
    r.clean();
    assertThat(runs).as("clean after the safety net ran does nothing").hasValue(1);
  }

  private static SafetyNet.Registration register(AtomicInteger runs, boolean cleaner) {
    return SafetyNet.register(new Object(), runs::incrementAndGet, cleaner);
  }
}
