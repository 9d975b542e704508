package io.edgevision.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgevision.core.testing.TestModels;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Real-time behaviour on the slow fixture (~170 ms per run on the project's 2-core machines):
 * cancellation in flight, async calls, latest-frame-wins. Bounds are generous: these are behaviour
 * checks, not benchmarks.
 */
class CancellationTest {
  static InferenceSession slow;
  static ImageFrame frame = ImagePreprocessorTest.randomBgr(64, 64, 1);
  static long fullRunNanos;

  @BeforeAll
  static void load() {
    slow = InferenceSession.builder(ModelSource.of(TestModels.path("slow.onnx"))).build();
    fullRunNanos =
        slow.run(frame, Budget.unlimited(), OutputDecoder.raw()).timings().inferenceNanos();
  }

  @AfterAll
  static void close() {
    slow.close();
  }

  @Test
  void aRunPastItsDeadlineIsCancelledInFlightAndReturnsNearTheDeadline() {
    assertThat(Duration.ofNanos(fullRunNanos))
        .as("fixture must be slow enough to cancel")
        .isGreaterThan(Duration.ofMillis(60));
    long t0 = System.nanoTime();
    InferenceResult<RawOutputs> r = slow.run(frame, Budget.ofMillis(20), OutputDecoder.raw());
    long elapsed = System.nanoTime() - t0;
    assertThat(r.outcome()).isEqualTo(Outcome.CANCELLED);
    assertThat(r.value()).isEmpty();
    assertThat(r.message()).contains("terminated");
    assertThat(r.timings().inferenceNanos()).isPositive();
    // deadline 20 ms; generous slack for a loaded machine, still well under one full run
    assertThat(Duration.ofNanos(elapsed))
        .isLessThan(Duration.ofMillis(Math.min(150, 20 + fullRunNanos / 2_000_000)));
    // terminated run options are never reused: the next call runs normally
    assertThat(slow.run(frame, Budget.unlimited(), OutputDecoder.raw()).outcome())
        .isEqualTo(Outcome.COMPLETED);
    assertThat(slow.stats().outcomes().get(Outcome.CANCELLED)).isGreaterThanOrEqualTo(1);
  }

  @Test
  void asyncCallsReportTimeSpentWaiting() throws Exception {
    CompletableFuture<InferenceResult<RawOutputs>> a =
        slow.runAsync(frame, Budget.unlimited(), OutputDecoder.raw());
    InferenceResult<RawOutputs> r = a.get(10, TimeUnit.SECONDS);
    assertThat(r.outcome()).isEqualTo(Outcome.COMPLETED);
    assertThat(r.timings().waitingNanos()).isGreaterThanOrEqualTo(0);
    assertThat(r.get().get("score")).hasSize(1);
  }

  @Test
  void latestFrameWinsDropsTheWaitingFrame() throws Exception {
    ExecutorService one = Executors.newSingleThreadExecutor();
    CountDownLatch firstRunning = new CountDownLatch(1);
    try (InferenceSession s =
        InferenceSession.builder(ModelSource.of(TestModels.path("slow.onnx")))
            .executor(one)
            .listener(
                new InferenceListener() {
                  @Override
                  public void stageCompleted(String variant, Stage stage, long nanos) {
                    if (stage == Stage.PREPROCESS) {
                      firstRunning.countDown();
                    }
                  }
                })
            .build()) {
      LatestFrameRunner<RawOutputs> runner = s.latestFrameRunner(OutputDecoder.raw());
      CompletableFuture<InferenceResult<RawOutputs>> f1 = runner.submit(frame, Budget.unlimited());
      assertThat(firstRunning.await(10, TimeUnit.SECONDS)).isTrue();
      CompletableFuture<InferenceResult<RawOutputs>> f2 = runner.submit(frame, Budget.unlimited());
      CompletableFuture<InferenceResult<RawOutputs>> f3 = runner.submit(frame, Budget.unlimited());
      // f2 was waiting when f3 arrived: dropped at once, before f1 has finished
      InferenceResult<RawOutputs> r2 = f2.get(1, TimeUnit.SECONDS);
      assertThat(r2.outcome()).isEqualTo(Outcome.SKIPPED);
      assertThat(r2.message()).contains("newer frame");
      assertThat(f1.get(10, TimeUnit.SECONDS).outcome()).isEqualTo(Outcome.COMPLETED);
      InferenceResult<RawOutputs> r3 = f3.get(10, TimeUnit.SECONDS);
      assertThat(r3.outcome()).isEqualTo(Outcome.COMPLETED);
      assertThat(r3.timings().waitingNanos()).isPositive();
      assertThat(s.stats().outcomes().get(Outcome.SKIPPED)).isEqualTo(1);
    } finally {
      one.shutdownNow();
    }
  }
}
