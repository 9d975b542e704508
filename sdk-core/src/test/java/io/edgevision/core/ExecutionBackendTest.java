package io.edgevision.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgevision.core.spi.BackendModel;
import io.edgevision.core.spi.BackendSession;
import io.edgevision.core.spi.BackendTensor;
import io.edgevision.core.spi.ExecutionBackend;
import io.edgevision.core.testing.TestModels;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The execution-backend SPI with a pure-Java backend that echoes its input (the fixture
 * static_echo.onnx does the same in ONNX Runtime), so the plumbing is checked against ONNX
 * Runtime's own result.
 */
class ExecutionBackendTest {
  private static final ModelSource ECHO = ModelSource.of(TestModels.path("static_echo.onnx"));

  /**
   * Echoes "images" as "echo"; can be made unavailable, failing to open, or cancelling every run.
   */
  static final class EchoBackend implements ExecutionBackend {
    final Optional<EdgeVisionException> unavailable;
    final boolean failOpen;
    final boolean cancel;
    final AtomicInteger runs = new AtomicInteger();
    final AtomicBoolean closed = new AtomicBoolean();
    volatile long lastTimeout;

    EchoBackend(Optional<EdgeVisionException> unavailable, boolean failOpen, boolean cancel) {
      this.unavailable = unavailable;
      this.failOpen = failOpen;
      this.cancel = cancel;
    }

    @Override
    public ExecutionProvider provider() {
      return ExecutionProvider.TENSORRT_NATIVE;
    }

    @Override
    public Optional<EdgeVisionException> unavailableReason() {
      return unavailable;
    }

    @Override
    public BackendSession open(BackendModel model) {
      if (failOpen) {
        throw new EdgeVisionException(ErrorCode.MODEL_INVALID, "the parser rejected node 7");
      }
      assertThat(model.info().inputs()).extracting(TensorInfo::name).containsExactly("images");
      return new BackendSession() {
        @Override
        public String describe() {
          return "echo backend 1.0";
        }

        @Override
        public Run run(List<BackendTensor> inputs, long timeoutNanos) {
          runs.incrementAndGet();
          lastTimeout = timeoutNanos;
          BackendTensor in = inputs.get(0);
          float[] copy = new float[(int) in.elementCount()];
          ((FloatBuffer) in.data().duplicate()).get(copy);
          long[] shape = in.shape();
          return new Run() {
            @Override
            public boolean cancelled() {
              return cancel;
            }

            @Override
            public Outputs outputs() {
              return new Outputs() {
                @Override
                public List<String> names() {
                  return List.of("echo");
                }

                @Override
                public long[] shape(String name) {
                  return shape.clone();
                }

                @Override
                public float[] floats(String name) {
                  return copy.clone();
                }

                @Override
                public int copyFloats(String name, float[] dst) {
                  System.arraycopy(copy, 0, dst, 0, copy.length);
                  return copy.length;
                }

                @Override
                public long[] longs(String name) {
                  throw new UnsupportedOperationException();
                }
              };
            }

            @Override
            public void close() {}
          };
        }

        @Override
        public void close() {
          closed.set(true);
        }
      };
    }
  }

  private static ImageFrame frame() {
    return frame(7);
  }

  private static ImageFrame frame(int seed) {
    ByteBuffer rgb = ByteBuffer.allocate(32 * 32 * 3);
    for (int i = 0; i < rgb.capacity(); i++) {
      rgb.put(i, (byte) (i * seed));
    }
    return ImageFrame.wrap(rgb, 32, 32, PixelFormat.RGB);
  }

  @Test
  void concurrentCallsThroughABackendEachGetTheirOwnOutputs() throws Exception {
    int n = 24;
    List<float[]> expected = new java.util.ArrayList<>();
    try (InferenceSession cpu = InferenceSession.builder(ECHO).build()) {
      for (int i = 0; i < n; i++) {
        expected.add(
            cpu.run(frame(i + 1), Budget.unlimited(), OutputDecoder.raw())
                .value()
                .orElseThrow()
                .get("echo"));
      }
    }
    EchoBackend backend = new EchoBackend(Optional.empty(), false, false);
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(4);
    try (InferenceSession s =
        InferenceSession.builder(ECHO)
            .backend(backend)
            .executor(pool)
            .providers(ExecutionProvider.TENSORRT_NATIVE)
            .build()) {
      List<java.util.concurrent.CompletableFuture<InferenceResult<RawOutputs>>> futures =
          new java.util.ArrayList<>();
      for (int i = 0; i < n; i++) {
        futures.add(s.runAsync(frame(i + 1), Budget.unlimited(), OutputDecoder.raw()));
      }
      for (int i = 0; i < n; i++) {
        assertThat(futures.get(i).get().value().orElseThrow().get("echo"))
            .as("frame %d", i)
            .containsExactly(expected.get(i));
      }
      assertThat(backend.runs).hasValue(n);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aSelectedBackendRunsTheModelAndNamesItselfInTheFingerprint() {
    EchoBackend backend = new EchoBackend(Optional.empty(), false, false);
    RawOutputs viaOrt;
    try (InferenceSession cpu = InferenceSession.builder(ECHO).build()) {
      viaOrt = cpu.run(frame(), Budget.unlimited(), OutputDecoder.raw()).value().orElseThrow();
    }
    InferenceSession s =
        InferenceSession.builder(ECHO)
            .backend(backend)
            .providers(ExecutionProvider.TENSORRT_NATIVE, ExecutionProvider.CPU)
            .build();
    try (s) {
      assertThat(s.selectedProvider()).isEqualTo(ExecutionProvider.TENSORRT_NATIVE);
      assertThat(s.providerDecisions())
          .extracting(ProviderDecision::status)
          .containsExactly(ProviderDecision.Status.SELECTED, ProviderDecision.Status.NOT_TRIED);
      assertThat(s.fingerprint().backend()).isEqualTo("echo backend 1.0");
      assertThat(s.fingerprint().provider()).isEqualTo(ExecutionProvider.TENSORRT_NATIVE);
      InferenceResult<RawOutputs> r = s.run(frame(), Budget.unlimited(), OutputDecoder.raw());
      assertThat(r.outcome()).isEqualTo(Outcome.COMPLETED);
      assertThat(r.fingerprint().backend()).isEqualTo("echo backend 1.0");
      assertThat(r.value().orElseThrow().get("echo")).containsExactly(viaOrt.get("echo"));
      assertThat(backend.runs).hasValue(1);
      assertThat(backend.lastTimeout).isEqualTo(Long.MAX_VALUE); // unlimited budget: no timeout
    }
    assertThat(backend.closed).isTrue();
    assertThatThrownBy(() -> s.run(frame(), Budget.unlimited(), OutputDecoder.raw()))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void anUnavailableBackendIsSkippedWithItsReason() {
    EchoBackend backend =
        new EchoBackend(
            Optional.of(
                new EdgeVisionException(
                    ErrorCode.PROVIDER_UNAVAILABLE,
                    "libnvinfer.so.11: cannot open shared object file")),
            false,
            false);
    try (InferenceSession s =
        InferenceSession.builder(ECHO)
            .backend(backend)
            .providers(ExecutionProvider.TENSORRT_NATIVE, ExecutionProvider.CPU)
            .build()) {
      assertThat(s.selectedProvider()).isEqualTo(ExecutionProvider.CPU);
      ProviderDecision d = s.providerDecisions().get(0);
      assertThat(d.status()).isEqualTo(ProviderDecision.Status.FAILED_TO_INITIALISE);
      assertThat(d.reason())
          .isEqualTo("[PROVIDER_UNAVAILABLE] libnvinfer.so.11: cannot open shared object file");
      assertThat(s.fingerprint().backend()).isEmpty();
    }
  }

  @Test
  void aBackendThatFailsToOpenFallsBackToTheNextProvider() {
    EchoBackend backend = new EchoBackend(Optional.empty(), true, false);
    try (InferenceSession s =
        InferenceSession.builder(ECHO)
            .backend(backend)
            .providers(ExecutionProvider.TENSORRT_NATIVE, ExecutionProvider.CPU)
            .build()) {
      assertThat(s.selectedProvider()).isEqualTo(ExecutionProvider.CPU);
      assertThat(s.providerDecisions()).hasSize(2);
      assertThat(s.providerDecisions().get(0).reason())
          .contains("failed to open")
          .contains("node 7");
      assertThat(s.providerDecisions().get(1).status()).isEqualTo(ProviderDecision.Status.SELECTED);
    }
    assertThatThrownBy(
            () ->
                InferenceSession.builder(ECHO)
                    .backend(backend)
                    .providers(ExecutionProvider.TENSORRT_NATIVE)
                    .build())
        .isInstanceOfSatisfying(
            EdgeVisionException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.PROVIDER_UNAVAILABLE))
        .hasMessageContaining("node 7");
  }

  @Test
  void withoutABackendOnTheClassPathTheProviderIsNotInTheBuild() {
    // sdk-core's own test class path has no edgevision-jni
    try (InferenceSession s =
        InferenceSession.builder(ECHO)
            .providers(ExecutionProvider.TENSORRT_NATIVE, ExecutionProvider.CPU)
            .build()) {
      assertThat(s.providerDecisions().get(0).status())
          .isEqualTo(ProviderDecision.Status.NOT_IN_BUILD);
      assertThat(s.providerDecisions().get(0).reason()).contains("edgevision-jni");
    }
  }

  @Test
  void aBackendRunPastItsDeadlineIsCancelled() {
    EchoBackend backend = new EchoBackend(Optional.empty(), false, true);
    try (InferenceSession s =
        InferenceSession.builder(ECHO)
            .backend(backend)
            .providers(ExecutionProvider.TENSORRT_NATIVE)
            .build()) {
      InferenceResult<RawOutputs> r = s.run(frame(), Budget.ofMillis(60_000), OutputDecoder.raw());
      assertThat(r.outcome()).isEqualTo(Outcome.CANCELLED);
      assertThat(r.value()).isEmpty();
      assertThat(backend.lastTimeout).isBetween(1L, 60_000_000_000L);
    }
  }
}
