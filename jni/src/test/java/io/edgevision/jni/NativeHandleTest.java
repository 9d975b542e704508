package io.edgevision.jni;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The ownership base class of every TensorRT and CUDA object (pure Java: no native code needed).
 */
class NativeHandleTest {
  static final class Fake extends NativeHandle {
    Fake(AtomicInteger frees) {
      super("fake handle", frees::incrementAndGet);
    }
  }

  @Test
  void closeIsIdempotentAndFreesOnce() {
    AtomicInteger frees = new AtomicInteger();
    int live = NativeHandle.live();
    Fake h = new Fake(frees);
    assertThat(NativeHandle.live()).isEqualTo(live + 1);
    h.close();
    h.close();
    assertThat(frees).hasValue(1);
    assertThat(h.isClosed()).isTrue();
    assertThat(NativeHandle.live()).isEqualTo(live);
  }

  @Test
  void useAfterCloseIsAClearError() {
    Fake h = new Fake(new AtomicInteger());
    h.close();
    assertThatThrownBy(h::checkOpen)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("fake handle is closed");
    assertThatThrownBy(h::acquire)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("fake handle is closed");
  }

  @Test
  void closeDuringAUseFreesWhenTheUseEnds() {
    AtomicInteger frees = new AtomicInteger();
    Fake h = new Fake(frees);
    h.acquire();
    h.close();
    assertThat(frees).hasValue(0); // a run is still using it
    assertThat(h.isClosed()).isTrue();
    h.release();
    assertThat(frees).hasValue(1);
  }

  @Test
  void closeFromManyThreadsFreesOnce() throws InterruptedException {
    AtomicInteger frees = new AtomicInteger();
    Fake h = new Fake(frees);
    Thread[] ts = new Thread[8];
    for (int i = 0; i < ts.length; i++) {
      ts[i] = new Thread(h::close);
      ts[i].start();
    }
    for (Thread t : ts) {
      t.join();
    }
    assertThat(frees).hasValue(1);
  }
}
