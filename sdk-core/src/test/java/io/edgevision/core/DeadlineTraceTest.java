package io.edgevision.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgevision.core.internal.DeadlineTrace;
import io.edgevision.core.testing.TestModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The diagnosis hooks behind {@code edgevision load}: the per-call trace of the time after a
 * deadline ({@link DeadlineTrace}) and ONNX Runtime's per-node profile ({@link
 * InferenceSession.Builder#nativeProfiling}). Behaviour only; no timing bounds. The slow fixture
 * takes ~170 ms a run (CancellationTest checks it is over 60 ms), so a 30 ms budget ends in flight
 * rather than during preprocessing even on a loaded machine.
 */
class DeadlineTraceTest {
  static final ImageFrame FRAME = ImagePreprocessorTest.randomBgr(64, 64, 1);

  @AfterEach
  void off() {
    DeadlineTrace.enable(false);
    DeadlineTrace.take();
  }

  @Test
  void aCancelledRunRecordsDueThenTerminateThenReturnInOrder() {
    DeadlineTrace.enable(true);
    try (InferenceSession slow =
        InferenceSession.builder(ModelSource.of(TestModels.path("slow.onnx"))).build()) {
      long before = System.nanoTime();
      InferenceResult<RawOutputs> r = slow.run(FRAME, Budget.ofMillis(30), OutputDecoder.raw());
      assertThat(r.outcome()).isEqualTo(Outcome.CANCELLED);
      DeadlineTrace.Call c = DeadlineTrace.take().orElseThrow();
      assertThat(c.fired()).isTrue();
      assertThat(c.dueNanos() - before).isPositive();
      assertThat(c.firedNanos() - c.dueNanos()).isGreaterThanOrEqualTo(0);
      assertThat(c.returnedNanos() - c.firedNanos()).isGreaterThanOrEqualTo(0);
      // take() forgets: a second read finds nothing
      assertThat(DeadlineTrace.take()).isEmpty();
    }
  }

  @Test
  void theDeadlineTerminatesADegradedRunOnTheVariantToo() {
    DeadlineTrace.enable(true);
    try (InferenceSession s =
        InferenceSession.builder(ModelSource.of(TestModels.path("slow.onnx")))
            .variant("small", ModelSource.of(TestModels.path("slow.onnx")))
            .admission(AdmissionPolicy.DEGRADE)
            .build()) {
      // the primary gets a latency estimate far above the budget; the variant has none, so is
      // admitted, runs past the deadline and must be terminated like the primary would be
      s.run(FRAME, Budget.unlimited(), OutputDecoder.raw());
      DeadlineTrace.take();
      InferenceResult<RawOutputs> r = s.run(FRAME, Budget.ofMillis(30), OutputDecoder.raw());
      assertThat(r.fingerprint().variant()).isEqualTo("small");
      assertThat(r.outcome()).isEqualTo(Outcome.CANCELLED);
      assertThat(r.message()).contains("terminated");
      assertThat(DeadlineTrace.take().orElseThrow().fired()).isTrue();
    }
  }

  @Test
  void aRunWithinItsBudgetRecordsNoTerminate() {
    DeadlineTrace.enable(true);
    try (InferenceSession s =
        InferenceSession.builder(ModelSource.of(TestModels.path("tiny_detr_raw.onnx"))).build()) {
      InferenceResult<RawOutputs> r = s.run(FRAME, Budget.ofMillis(60_000), OutputDecoder.raw());
      assertThat(r.outcome()).isEqualTo(Outcome.COMPLETED);
      DeadlineTrace.Call c = DeadlineTrace.take().orElseThrow();
      assertThat(c.fired()).isFalse();
      assertThat(c.dueNanos() - c.returnedNanos()).isPositive();
    }
  }

  /** Cases where nothing is recorded: tracing off, or no deadline to trace. */
  @Test
  void nothingIsRecordedWhenOffOrUnbudgeted() {
    try (InferenceSession s =
        InferenceSession.builder(ModelSource.of(TestModels.path("tiny_detr_raw.onnx"))).build()) {
      // off (the default): a budgeted call records nothing
      s.run(FRAME, Budget.ofMillis(60_000), OutputDecoder.raw());
      assertThat(DeadlineTrace.take()).isEmpty();
      // on, but an unlimited budget has no deadline
      DeadlineTrace.enable(true);
      s.run(FRAME, Budget.unlimited(), OutputDecoder.raw());
      assertThat(DeadlineTrace.take()).isEmpty();
    }
  }

  @Test
  void nativeProfilingWritesEveryNodeOfEveryRunWhenTheSessionCloses(@TempDir Path dir)
      throws Exception {
    int runs = 3;
    try (InferenceSession s =
        InferenceSession.builder(ModelSource.of(TestModels.path("tiny_detr_raw.onnx")))
            .nativeProfiling(dir.resolve("prof"))
            .build()) {
      for (int i = 0; i < runs; i++) {
        s.run(FRAME, Budget.unlimited(), OutputDecoder.raw());
      }
    }
    List<Path> files;
    try (Stream<Path> l = Files.list(dir)) {
      files = l.toList();
    }
    assertThat(files).hasSize(1);
    assertThat(files.get(0).getFileName().toString()).startsWith("prof-primary_").endsWith(".json");
    JsonNode events = new ObjectMapper().readTree(files.get(0).toFile());
    long modelRuns =
        Optional.of(events).stream()
            .flatMap(e -> Stream.iterate(0, i -> i < e.size(), i -> i + 1).map(e::get))
            .filter(e -> "model_run".equals(e.path("name").asText()))
            .count();
    long kernels =
        Stream.iterate(0, i -> i < events.size(), i -> i + 1)
            .map(events::get)
            .filter(e -> "Node".equals(e.path("cat").asText()))
            .filter(e -> e.path("name").asText().endsWith("_kernel_time"))
            .count();
    assertThat(modelRuns).isEqualTo(runs);
    assertThat(kernels).isPositive().isEqualTo(kernels / runs * runs);
  }
}
