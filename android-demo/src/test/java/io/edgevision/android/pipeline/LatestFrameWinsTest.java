package io.edgevision.android.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Latest frame wins: deterministic with a worker held on a latch (no timing assumptions). */
class LatestFrameWinsTest {
  private final List<String> events = new CopyOnWriteArrayList<>();
  private final CountDownLatch started = new CountDownLatch(1);
  private final CountDownLatch release = new CountDownLatch(1);

  private LatestFrameWins<Integer, Integer> runner() {
    return new LatestFrameWins<>(
        "test",
        f -> {
          if (f == 1) {
            started.countDown();
            await(release);
          }
          if (f < 0) {
            throw new IllegalStateException("bad frame " + f);
          }
          return f * 10;
        },
        new LatestFrameWins.Listener<>() {
          @Override
          public void done(Integer frame, Integer result) {
            events.add("done " + frame + "=" + result);
          }

          @Override
          public void failed(Integer frame, RuntimeException error) {
            events.add("failed " + frame + ": " + error.getMessage());
          }

          @Override
          public void skipped(Integer frame) {
            events.add("skipped " + frame);
          }
        });
  }

  @Test
  void framesArrivingWhileBusyReplaceEachOtherAndOnlyTheLastRuns() throws Exception {
    LatestFrameWins<Integer, Integer> r = runner();
    r.offer(1);
    assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
    r.offer(2); // waits
    r.offer(3); // replaces 2
    r.offer(4); // replaces 3
    release.countDown();
    r.close(); // after the frame in flight; 4 may have started or be dropped as skipped
    assertThat(events).startsWith("skipped 2", "skipped 3");
    // frame 4 either ran after 1 or was dropped by close (reported from the closing thread, so in
    // any order)
    List<String> tail = List.copyOf(events.subList(2, events.size()));
    boolean ran = tail.equals(List.of("done 1=10", "done 4=40"));
    boolean dropped = tail.size() == 2 && Set.copyOf(tail).equals(Set.of("done 1=10", "skipped 4"));
    assertThat(ran || dropped).as("events after the skips: %s", tail).isTrue();
    assertThat(r.processed() + r.skipped()).isEqualTo(4);
  }

  @Test
  void failuresAreReportedAndTheRunnerCarriesOn() throws Exception {
    LatestFrameWins<Integer, Integer> r = runner();
    release.countDown();
    r.offer(-5);
    waitFor(() -> r.processed() == 1);
    r.offer(7);
    waitFor(() -> r.processed() == 2);
    r.close();
    assertThat(events).containsExactly("failed -5: bad frame -5", "done 7=70");
  }

  @Test
  void offersAfterCloseAreSkippedAndCloseIsIdempotent() {
    LatestFrameWins<Integer, Integer> r = runner();
    r.close();
    r.close();
    r.offer(9);
    assertThat(events).containsExactly("skipped 9");
    assertThat(r.skipped()).isEqualTo(1);
  }

  private static void await(CountDownLatch l) {
    try {
      l.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void waitFor(java.util.function.BooleanSupplier c) throws InterruptedException {
    for (int i = 0; i < 1000 && !c.getAsBoolean(); i++) {
      Thread.sleep(10);
    }
    assertThat(c.getAsBoolean()).isTrue();
  }
}
