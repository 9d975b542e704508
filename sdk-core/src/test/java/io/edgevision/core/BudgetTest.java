package io.edgevision.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgevision.core.testing.FakeTicker;
import io.edgevision.core.testing.TestModels;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Admission decisions driven by a fake clock: the decoder "costs" whatever it advances the ticker
 * by, so the latency estimate and every decision are deterministic. Cancellation is off here (the
 * watchdog waits in real time); CancellationTest covers it.
 */
class BudgetTest {
  private final FakeTicker ticker = new FakeTicker();
  private final AtomicInteger primaryRuns = new AtomicInteger();
  private final AtomicInteger variantRuns = new AtomicInteger();

  /** Primary costs 30 ms, the variant 5 ms (on the fake clock). */
  private final OutputDecoder<String> costly =
      (out, ctx) -> {
        boolean primary = ctx.variant().equals(InferenceSession.PRIMARY);
        (primary ? primaryRuns : variantRuns).incrementAndGet();
        ticker.advance(Duration.ofMillis(primary ? 30 : 5));
        return ctx.variant();
      };

  private InferenceSession session(AdmissionPolicy policy) {
    return InferenceSession.builder(ModelSource.of(TestModels.path("tiny_detr_raw.onnx")))
        .variant("small", ModelSource.of(TestModels.path("tiny_detr_raw.onnx")))
        .admission(policy)
        .ticker(ticker)
        .cancelAtDeadline(false)
        .build();
  }

  private static ImageFrame frame() {
    return ImagePreprocessorTest.randomBgr(32, 32, 1);
  }

  @Test
  void rejectsWithoutRunningWhenTheEstimateExceedsTheBudget() {
    try (InferenceSession s = session(AdmissionPolicy.REJECT)) {
      for (int i = 0; i < 3; i++) {
        assertThat(s.run(frame(), Budget.ofMillis(100), costly).outcome())
            .isEqualTo(Outcome.COMPLETED);
      }
      assertThat(s.latencyEstimate(InferenceSession.PRIMARY)).hasValue(Duration.ofMillis(30));
      InferenceResult<String> r = s.run(frame(), Budget.ofMillis(20), costly);
      assertThat(r.outcome()).isEqualTo(Outcome.REJECTED);
      assertThat(r.value()).isEmpty();
      assertThat(r.message())
          .contains("predicted 30.00 ms")
          .contains("exceeds the remaining budget 20.00 ms");
      assertThat(r.timings()).isEqualTo(Timings.ZERO);
      assertThat(primaryRuns.get()).isEqualTo(3); // nothing ran
      assertThat(s.stats().outcomes().get(Outcome.REJECTED)).isEqualTo(1);
    }
  }

  @Test
  void degradesToTheFirstVariantThatFits() {
    try (InferenceSession s = session(AdmissionPolicy.DEGRADE)) {
      s.run(frame(), Budget.unlimited(), costly); // primary estimate: 30 ms
      InferenceResult<String> r = s.run(frame(), Budget.ofMillis(20), costly);
      assertThat(r.outcome()).isEqualTo(Outcome.DEGRADED);
      assertThat(r.get()).isEqualTo("small");
      assertThat(r.fingerprint().variant()).isEqualTo("small");
      assertThat(r.message()).contains("ran variant 'small'");
      assertThat(s.latencyEstimate("small")).hasValue(Duration.ofMillis(5));
      // a budget that not even the variant fits is rejected
      InferenceResult<String> tiny = s.run(frame(), Budget.ofMillis(4), costly);
      assertThat(tiny.outcome()).isEqualTo(Outcome.REJECTED);
      assertThat(tiny.message()).contains("no variant fits");
      // a budget that fits the primary runs the primary again
      assertThat(s.run(frame(), Budget.ofMillis(50), costly).outcome())
          .isEqualTo(Outcome.COMPLETED);
      assertThat(variantRuns.get()).isEqualTo(1);
    }
  }

  @Test
  void runAnywayCompletesLateAndSaysSo() {
    try (InferenceSession s = session(AdmissionPolicy.RUN_ANYWAY)) {
      s.run(frame(), Budget.unlimited(), costly);
      InferenceResult<String> r = s.run(frame(), Budget.ofMillis(20), costly);
      assertThat(r.outcome()).isEqualTo(Outcome.COMPLETED);
      assertThat(r.deadlineMissed()).isTrue();
      assertThat(r.timings().postprocessNanos()).isEqualTo(Duration.ofMillis(30).toNanos());
    }
  }

  @Test
  void aDeadlineAlreadyPassedIsRejectedBeforeAnyWork() {
    try (InferenceSession s = session(AdmissionPolicy.RUN_ANYWAY)) {
      InferenceResult<String> r = s.run(frame(), Budget.deadline(ticker.read() - 1), costly);
      assertThat(r.outcome()).isEqualTo(Outcome.REJECTED);
      assertThat(r.message()).contains("deadline had passed before the call started");
      assertThat(s.run(frame(), Budget.ofMillis(0), costly).outcome()).isEqualTo(Outcome.REJECTED);
      assertThat(primaryRuns.get()).isZero();
    }
  }

  @Test
  void withCancellationOffALateCallCompletesEvenWhenPreprocessingOverruns() {
    // the listener moves the clock past the deadline during preprocessing
    InferenceListener slowPreprocess =
        new InferenceListener() {
          @Override
          public void stageCompleted(String variant, Stage stage, long nanos) {
            if (stage == Stage.PREPROCESS) {
              ticker.advance(Duration.ofMillis(50));
            }
          }
        };
    try (InferenceSession off =
        InferenceSession.builder(ModelSource.of(TestModels.path("tiny_detr_raw.onnx")))
            .ticker(ticker)
            .cancelAtDeadline(false)
            .build()) {
      InferenceResult<String> r =
          off.run(
              frame(),
              Budget.ofMillis(1),
              (o, c) -> {
                ticker.advance(Duration.ofMillis(5)); // decoding also happens after the deadline
                return "done";
              });
      assertThat(r.outcome()).isEqualTo(Outcome.COMPLETED);
      assertThat(r.deadlineMissed()).isTrue();
    }
    // with cancellation on, a deadline that passes during preprocessing stops the call before
    // inference
    FakeTicker t2 = new FakeTicker();
    try (InferenceSession on =
        InferenceSession.builder(ModelSource.of(TestModels.path("tiny_detr_raw.onnx")))
            .ticker(t2)
            .listener(
                new InferenceListener() {
                  @Override
                  public void stageCompleted(String variant, Stage stage, long nanos) {
                    if (stage == Stage.PREPROCESS) {
                      t2.advance(Duration.ofMillis(50));
                    }
                  }
                })
            .build()) {
      InferenceResult<String> r = on.run(frame(), Budget.ofMillis(1), (o, c) -> "never");
      assertThat(r.outcome()).isEqualTo(Outcome.CANCELLED);
      assertThat(r.message()).contains("during preprocessing");
      assertThat(r.timings().inferenceNanos()).isZero();
    }
  }

  @Test
  void aModelWithoutEstimateIsAdmitted() {
    try (InferenceSession s = session(AdmissionPolicy.REJECT)) {
      assertThat(s.latencyEstimate(InferenceSession.PRIMARY)).isEmpty();
      assertThat(s.run(frame(), Budget.ofMillis(1), costly).outcome()).isEqualTo(Outcome.COMPLETED);
    }
  }
}
