package io.edgevision.detectors.traffic;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgevision.core.Budget;
import io.edgevision.core.ImageFrame;
import io.edgevision.core.ImageFrames;
import io.edgevision.core.InferenceSession;
import io.edgevision.core.Outcome;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Issue 16: N threads on one detector give the results of one thread, and close() racing with them
 * ends every call in either a complete, identical result or IllegalStateException ("is closed") —
 * never another exception, a partial result or a crash.
 */
class DetectorConcurrencyTest {
  static final int THREADS = 4;

  static List<ImageFrame> frames() {
    return List.of(
        ModelCatalog.sampleScene(),
        ImageFrames.read(Path.of("src/test/resources/trafficlights/scene_000.jpg")),
        ImageFrames.read(Path.of("src/test/resources/trafficlights/scene_001.jpg")));
  }

  @Test
  void threadsGetTheSingleThreadResultsAndCloseRacesCleanly() throws Exception {
    List<ImageFrame> frames = frames();
    InferenceSession session =
        ModelCatalog.sessionBuilder(ModelCatalog.BUILTIN, Path.of("unused")).build();
    TrafficLightDetector detector = TrafficLightDetector.builder(session).build();
    List<List<TrafficLight>> reference = new ArrayList<>();
    for (ImageFrame f : frames) {
      TrafficLightResult r = detector.detect(f, Budget.unlimited());
      assertThat(r.outcome()).isEqualTo(Outcome.COMPLETED);
      assertThat(r.lights()).isNotEmpty();
      reference.add(r.lights());
    }

    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    AtomicInteger completed = new AtomicInteger();
    AtomicInteger closedErrors = new AtomicInteger();
    CountDownLatch enoughDone = new CountDownLatch(THREADS * 3);
    try {
      List<Future<List<String>>> futures = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        int start = t;
        futures.add(
            pool.submit(
                () -> {
                  List<String> mismatches = new ArrayList<>();
                  for (int i = start; ; i++) {
                    int k = i % frames.size();
                    TrafficLightResult r;
                    try {
                      r = detector.detect(frames.get(k), Budget.unlimited());
                    } catch (IllegalStateException e) {
                      assertThat(e).hasMessageContaining("closed");
                      closedErrors.incrementAndGet();
                      return mismatches;
                    }
                    if (!r.lights().equals(reference.get(k))) {
                      mismatches.add("frame " + k + ": " + r.lights() + " != " + reference.get(k));
                    }
                    completed.incrementAndGet();
                    enoughDone.countDown();
                  }
                }));
      }
      assertThat(enoughDone.await(120, TimeUnit.SECONDS)).as("threads made progress").isTrue();
      session.close(); // races with the running detect calls
      session.close(); // idempotent
      for (Future<List<String>> f : futures) {
        assertThat(f.get(60, TimeUnit.SECONDS)).as("results identical to one thread").isEmpty();
      }
    } finally {
      pool.shutdownNow();
      session.close();
    }
    assertThat(completed.get()).isGreaterThanOrEqualTo(THREADS * 3);
    assertThat(closedErrors.get())
        .as("every thread ended on the closed session")
        .isEqualTo(THREADS);
  }
}
