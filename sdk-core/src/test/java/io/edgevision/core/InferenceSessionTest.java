package io.edgevision.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgevision.core.testing.TestModels;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class InferenceSessionTest {
  static InferenceSession tinyDetr() {
    return InferenceSession.builder(ModelSource.of(TestModels.path("tiny_detr_raw.onnx"))).build();
  }

  /**
   * Recomputes the tiny DETR fixture's logits from its documented formula and the weights in its
   * metadata.
   */
  static float[] expectedLogits(InferenceSession s, ImageFrame frame) throws Exception {
    ObjectMapper json = new ObjectMapper();
    float[] wl =
        json.readValue(s.model().customMetadata().get("edgevision.test.wl"), float[].class);
    float[] bl =
        json.readValue(s.model().customMetadata().get("edgevision.test.bl"), float[].class);
    try (ImagePreprocessor pre = ImagePreprocessor.create(s.model().descriptor(), 1)) {
      PreprocessTransform t = pre.preprocess(frame, 0);
      FloatBuffer x = pre.output(1, t);
      double[] m = new double[3];
      int plane = 64 * 64;
      for (int c = 0; c < 3; c++) {
        for (int i = 0; i < plane; i++) {
          m[c] += x.get(c * plane + i);
        }
        m[c] /= plane;
      }
      float[] out = new float[40];
      for (int j = 0; j < 40; j++) {
        out[j] = (float) (m[0] * wl[j] + m[1] * wl[40 + j] + m[2] * wl[80 + j] + bl[j]);
      }
      return out;
    }
  }

  @Test
  void runsTheFixtureAndMatchesItsFormula() throws Exception {
    try (InferenceSession s = tinyDetr()) {
      ImageFrame frame = ImagePreprocessorTest.randomBgr(200, 120, 3);
      InferenceResult<RawOutputs> r = s.run(frame, Budget.unlimited(), OutputDecoder.raw());
      assertThat(r.outcome()).isEqualTo(Outcome.COMPLETED);
      assertThat(r.message()).isEmpty();
      assertThat(r.get().shapes().get("pred_logits")).containsExactly(1, 10, 4);
      float[] want = expectedLogits(s, frame);
      float[] got = r.get().get("pred_logits");
      for (int i = 0; i < 40; i++) {
        assertThat(got[i]).isCloseTo(want[i], org.assertj.core.data.Offset.offset(1e-4f));
      }
      Fingerprint f = r.fingerprint();
      assertThat(f.modelSha256()).isEqualTo(Engine.sha256(TestModels.bytes("tiny_detr_raw.onnx")));
      assertThat(f.provider()).isEqualTo(ExecutionProvider.CPU);
      assertThat(f.onnxRuntimeVersion()).startsWith("1.29");
      assertThat(f.sdkVersion()).isEqualTo("0.1.0-SNAPSHOT");
      assertThat(f.descriptorHash()).isEqualTo(s.model().descriptor().hash());
      assertThat(r.timings().inferenceNanos()).isPositive();
      assertThat(s.model().descriptor().labels()).containsExactly("red", "yellow", "green", "off");
      assertThat(s.model().inputs().get(0).toString()).isEqualTo("images float32 [N, 3, 64, 64]");
    }
  }

  @Test
  void batchOfFramesRunsInOneCallWithOneTransformEach() throws Exception {
    try (InferenceSession s = tinyDetr()) {
      ImageFrame a = ImagePreprocessorTest.randomBgr(100, 100, 1);
      ImageFrame b = ImagePreprocessorTest.randomBgr(50, 80, 2);
      InferenceResult<RawOutputs> r =
          s.runBatch(
              List.of(a, b),
              Budget.unlimited(),
              (out, ctx) -> {
                assertThat(ctx.transforms()).hasSize(2);
                assertThat(ctx.transforms().get(1).sourceWidth()).isEqualTo(50);
                return OutputDecoder.raw().decode(out, ctx);
              });
      float[] logits = r.get().get("pred_logits");
      assertThat(r.get().shapes().get("pred_logits")).containsExactly(2, 10, 4);
      float[] wantB = expectedLogits(s, b);
      assertThat(Arrays.copyOfRange(logits, 40, 80)[7])
          .isCloseTo(wantB[7], org.assertj.core.data.Offset.offset(1e-4f));
    }
  }

  @Test
  void providerFallbackRecordsWhyCudaWasSkipped() {
    try (InferenceSession s =
        InferenceSession.builder(ModelSource.of(TestModels.path("tiny_detr_raw.onnx")))
            .providers(ExecutionProvider.CUDA, ExecutionProvider.CPU)
            .nativeLogLevel(NativeLogLevel.ERROR)
            .build()) {
      assertThat(s.selectedProvider()).isEqualTo(ExecutionProvider.CPU);
      assertThat(s.providerDecisions()).hasSize(2);
      ProviderDecision cuda = s.providerDecisions().get(0);
      assertThat(cuda.provider()).isEqualTo(ExecutionProvider.CUDA);
      assertThat(cuda.status())
          .isIn(ProviderDecision.Status.NOT_IN_BUILD, ProviderDecision.Status.FAILED_TO_INITIALISE);
      assertThat(cuda.reason()).isNotBlank();
      assertThat(s.providerDecisions().get(1).status()).isEqualTo(ProviderDecision.Status.SELECTED);
    }
    assertThat(ExecutionProvider.available()).contains(ExecutionProvider.CPU);
  }

  @Test
  void noUsableProviderIsProviderUnavailable() {
    assertThatThrownBy(
            () ->
                InferenceSession.builder(ModelSource.of(TestModels.path("tiny_detr_raw.onnx")))
                    .providers(ExecutionProvider.TENSORRT, ExecutionProvider.COREML)
                    .build())
        .isInstanceOf(EdgeVisionException.class)
        .satisfies(
            e ->
                assertThat(((EdgeVisionException) e).code())
                    .isEqualTo(ErrorCode.PROVIDER_UNAVAILABLE))
        .hasMessageContaining("TENSORRT: NOT_IN_BUILD");
  }

  static Stream<Arguments> badModels() throws Exception {
    byte[] good = TestModels.bytes("tiny_detr_raw.onnx");
    return Stream.of(
        // truncated file: protobuf parse fails
        Arguments.of(
            ModelSource.of(Arrays.copyOf(good, good.length / 2), "truncated.onnx"),
            ErrorCode.MODEL_INVALID,
            "cannot load truncated.onnx as an ONNX model"),
        // not a model at all
        Arguments.of(
            ModelSource.of("not a model".getBytes(), "text.onnx"),
            ErrorCode.MODEL_INVALID,
            "text.onnx"),
        // missing file
        Arguments.of(
            ModelSource.of(Path.of("does/not/exist.onnx")),
            ErrorCode.MODEL_NOT_FOUND,
            "model file not found"),
        // pinned checksum differs
        Arguments.of(
            ModelSource.of(good, "pinned.onnx").withSha256("0".repeat(64)),
            ErrorCode.MODEL_INVALID,
            "expected " + "0".repeat(64) + ", got"),
        // a model whose only input is int64 tokens cannot take an image
        Arguments.of(
            ModelSource.of(TestModels.path("token_input.onnx")),
            ErrorCode.MODEL_DESCRIPTOR_MISMATCH,
            "expected a float32 rank-4 image input, got inputs [tokens int64 [1, 8]]"),
        // a model with no metadata and dynamic spatial dims needs an input size
        Arguments.of(
            ModelSource.of(TestModels.path("echo.onnx")),
            ErrorCode.MODEL_DESCRIPTOR_MISMATCH,
            "edgevision.input_size or resize=pad_to_multiple"),
        // missing classpath resource
        Arguments.of(
            ModelSource.classpath("nope/missing.onnx"),
            ErrorCode.MODEL_NOT_FOUND,
            "classpath resource not found"));
  }

  @ParameterizedTest
  @MethodSource("badModels")
  void badModelsGiveTypedErrors(ModelSource source, ErrorCode code, String message) {
    assertThatThrownBy(() -> InferenceSession.builder(source).build())
        .isInstanceOf(EdgeVisionException.class)
        .hasMessageContaining(message)
        .satisfies(e -> assertThat(((EdgeVisionException) e).code()).isEqualTo(code));
  }

  @Test
  void descriptorThatContradictsTheModelIsAMismatch() {
    // a gray descriptor for a 3-channel input
    assertThatThrownBy(
            () ->
                InferenceSession.builder(ModelSource.of(TestModels.path("static_echo.onnx")))
                    .descriptor(
                        ModelDescriptor.builder().color(ModelDescriptor.ColorOrder.GRAY).build())
                    .build())
        .isInstanceOf(EdgeVisionException.class)
        .hasMessageContaining("expected 1 channels (GRAY, NCHW), got 3");
    // the graph's static 32x32 contradicts a 64x64 descriptor
    assertThatThrownBy(
            () ->
                InferenceSession.builder(ModelSource.of(TestModels.path("static_echo.onnx")))
                    .descriptor(ModelDescriptor.builder().inputSize(64, 64).build())
                    .build())
        .isInstanceOf(EdgeVisionException.class)
        .hasMessageContaining(
            "expected input size 64x64 (descriptor), got 32x32 in images float32 [1, 3, 32, 32]");
    // with no size given, the static dims become the descriptor's input size
    try (InferenceSession s =
        InferenceSession.builder(ModelSource.of(TestModels.path("static_echo.onnx"))).build()) {
      assertThat(s.model().descriptor().inputSize().orElseThrow()).containsExactly(32, 32);
    }
  }

  @Test
  void sidecarJsonFillsTheDescriptorAndMetadataWins(@TempDir Path dir) throws Exception {
    Path model = dir.resolve("echo.onnx");
    Files.write(model, TestModels.bytes("echo.onnx"));
    Files.writeString(
        dir.resolve("echo.onnx.json"),
        "{\"edgevision.input_size\": \"8x4\", \"edgevision.scale\": 1, \"edgevision.color\": \"bgr\"}");
    try (InferenceSession s =
        InferenceSession.builder(ModelSource.of(model))
            .descriptor(
                ModelDescriptor.builder()
                    .inputSize(99, 99)
                    .layout(ModelDescriptor.Layout.NCHW)
                    .build())
            .build()) {
      assertThat(s.model().descriptor().inputSize().orElseThrow()).containsExactly(8, 4);
      assertThat(s.model().descriptor().color()).isEqualTo(ModelDescriptor.ColorOrder.BGR);
      ImageFrame f = ImagePreprocessorTest.randomBgr(8, 4, 4);
      float[] echo = s.run(f, Budget.unlimited(), OutputDecoder.raw()).get().get("echo");
      assertThat(echo[0]).isEqualTo(f.data().get(0) & 0xff); // BGR, scale 1: first plane is blue
    }
    try (InferenceSession s =
        InferenceSession.builder(ModelSource.of(TestModels.path("tiny_detr_raw.onnx")))
            .descriptor(ModelDescriptor.builder().color(ModelDescriptor.ColorOrder.BGR).build())
            .build()) {
      assertThat(s.model().descriptor().color())
          .isEqualTo(ModelDescriptor.ColorOrder.RGB); // metadata wins
    }
    Files.writeString(dir.resolve("echo.onnx.json"), "{not json");
    assertThatThrownBy(() -> InferenceSession.builder(ModelSource.of(model)).build())
        .hasMessageContaining("is not valid JSON");
  }

  @Test
  void nanOutputsAreAnErrorNeverAResult() {
    try (InferenceSession s =
        InferenceSession.builder(ModelSource.of(TestModels.path("nan_output.onnx"))).build()) {
      assertThatThrownBy(
              () ->
                  s.run(
                      ImagePreprocessorTest.randomBgr(16, 16, 1),
                      Budget.unlimited(),
                      OutputDecoder.raw()))
          .isInstanceOf(EdgeVisionException.class)
          .hasMessageContaining("output 'out'")
          .hasMessageContaining("non-finite value (NaN) at flat index 0")
          .satisfies(
              e ->
                  assertThat(((EdgeVisionException) e).code()).isEqualTo(ErrorCode.INVALID_OUTPUT));
    }
  }

  @Test
  void wrongBatchForAStaticBatchModelIsBadInput() {
    try (InferenceSession s =
        InferenceSession.builder(ModelSource.of(TestModels.path("slow.onnx"))).build()) {
      ImageFrame f = ImagePreprocessorTest.randomBgr(64, 64, 1);
      assertThatThrownBy(() -> s.runBatch(List.of(f, f), Budget.unlimited(), OutputDecoder.raw()))
          .isInstanceOf(EdgeVisionException.class)
          .hasMessageContaining("takes batches of exactly 1 frame(s), got 2");
    }
  }

  @Test
  void outputsCannotEscapeTheDecoder() {
    try (InferenceSession s = tinyDetr()) {
      Outputs leaked =
          s.run(ImagePreprocessorTest.randomBgr(10, 10, 1), Budget.unlimited(), (o, c) -> o).get();
      assertThatThrownBy(() -> leaked.floats("pred_logits"))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("only valid inside OutputDecoder.decode");
    }
  }

  @Test
  void closeIsIdempotentAndUseAfterCloseIsIllegalState() {
    InferenceSession s = tinyDetr();
    s.close();
    s.close();
    assertThat(s.isClosed()).isTrue();
    ImageFrame f = ImagePreprocessorTest.randomBgr(10, 10, 1);
    assertThatThrownBy(() -> s.run(f, Budget.unlimited(), OutputDecoder.raw()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("is closed");
    assertThatThrownBy(() -> s.runAsync(f, Budget.unlimited(), OutputDecoder.raw()))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void closeWhileARunIsInFlightLetsItFinish() throws Exception {
    InferenceSession s =
        InferenceSession.builder(ModelSource.of(TestModels.path("slow.onnx"))).build();
    CountDownLatch inDecoder = new CountDownLatch(1);
    CountDownLatch closed = new CountDownLatch(1);
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Future<InferenceResult<float[]>> f =
          pool.submit(
              () ->
                  s.run(
                      ImagePreprocessorTest.randomBgr(64, 64, 1),
                      Budget.unlimited(),
                      (out, ctx) -> {
                        inDecoder.countDown();
                        try {
                          closed.await(5, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                          Thread.currentThread().interrupt();
                        }
                        return out.floats(
                            "score"); // native memory must still be valid after close()
                      }));
      assertThat(inDecoder.await(10, TimeUnit.SECONDS)).isTrue();
      s.close();
      closed.countDown();
      InferenceResult<float[]> r = f.get(10, TimeUnit.SECONDS);
      assertThat(r.outcome()).isEqualTo(Outcome.COMPLETED);
      assertThat(r.get()).hasSize(1);
      assertThatThrownBy(
              () ->
                  s.run(
                      ImagePreprocessorTest.randomBgr(64, 64, 1),
                      Budget.unlimited(),
                      OutputDecoder.raw()))
          .isInstanceOf(IllegalStateException.class);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void concurrentRunsFromManyThreadsGiveIdenticalResults() throws Exception {
    try (InferenceSession s = tinyDetr()) {
      ImageFrame frame = ImagePreprocessorTest.randomBgr(300, 200, 8);
      float[] reference =
          s.run(frame, Budget.unlimited(), OutputDecoder.raw()).get().get("pred_logits");
      ExecutorService pool = Executors.newFixedThreadPool(8);
      try {
        List<Future<float[]>> futures = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
          // every thread also uses a differently sized frame in between, to exercise the workspace
          // pool
          ImageFrame other = ImagePreprocessorTest.randomBgr(50 + i, 40, i);
          futures.add(
              pool.submit(
                  () -> {
                    s.run(other, Budget.unlimited(), OutputDecoder.raw());
                    return s.run(frame, Budget.unlimited(), OutputDecoder.raw())
                        .get()
                        .get("pred_logits");
                  }));
        }
        for (Future<float[]> f : futures) {
          assertThat(f.get(30, TimeUnit.SECONDS)).containsExactly(reference);
        }
      } finally {
        pool.shutdownNow();
      }
      assertThat(s.stats().calls()).isEqualTo(129);
      assertThat(s.stats().outcomes().get(Outcome.COMPLETED)).isEqualTo(129);
    }
  }

  @Test
  void listenerSeesEveryStageAndItsExceptionsAreContained() {
    AtomicInteger stages = new AtomicInteger();
    AtomicInteger calls = new AtomicInteger();
    InferenceListener throwing =
        new InferenceListener() {
          @Override
          public void stageCompleted(String variant, Stage stage, long nanos) {
            stages.incrementAndGet();
            throw new IllegalStateException("listener bug");
          }

          @Override
          public void callCompleted(InferenceResult<?> result) {
            calls.incrementAndGet();
          }
        };
    try (InferenceSession s =
        InferenceSession.builder(ModelSource.of(TestModels.path("tiny_detr_raw.onnx")))
            .listener(throwing)
            .build()) {
      for (int i = 0; i < 3; i++) {
        assertThat(
                s.run(
                        ImagePreprocessorTest.randomBgr(10, 10, i),
                        Budget.unlimited(),
                        OutputDecoder.raw())
                    .outcome())
            .isEqualTo(Outcome.COMPLETED);
      }
      assertThat(stages.get()).isEqualTo(9);
      assertThat(calls.get()).isEqualTo(3);
      SessionStats st = s.stats();
      assertThat(st.stages().get(Stage.INFERENCE).count()).isEqualTo(3);
      assertThat(st.stages().get(Stage.INFERENCE).p99())
          .isGreaterThanOrEqualTo(st.stages().get(Stage.INFERENCE).p50());
      assertThat(st.stages().get(Stage.WAITING).count()).isZero();
    }
  }

  @Test
  void sessionConfigEntriesReachOnnxRuntime() {
    try (InferenceSession s =
        InferenceSession.builder(ModelSource.of(TestModels.path("tiny_detr_raw.onnx")))
            .sessionConfig("session.intra_op.allow_spinning", "0")
            .build()) {
      assertThat(
              s.run(
                      ImagePreprocessorTest.randomBgr(8, 8, 1),
                      Budget.unlimited(),
                      OutputDecoder.raw())
                  .outcome())
          .isEqualTo(Outcome.COMPLETED);
    }
    // an entry with a visible effect: told the bytes are in ORT format, ONNX Runtime cannot load an
    // ONNX file
    assertThatThrownBy(
            () ->
                InferenceSession.builder(ModelSource.of(TestModels.path("tiny_detr_raw.onnx")))
                    .sessionConfig("session.load_model_format", "ORT")
                    .build())
        .isInstanceOf(EdgeVisionException.class);
  }

  @Test
  void optimizedModelCacheIsWrittenOnceAndReused(@TempDir Path dir) throws Exception {
    ModelSource src = ModelSource.of(TestModels.path("tiny_detr_raw.onnx"));
    ImageFrame f = ImagePreprocessorTest.randomBgr(20, 20, 2);
    float[] a;
    try (InferenceSession s = InferenceSession.builder(src).optimizedModelCache(dir).build()) {
      a = s.run(f, Budget.unlimited(), OutputDecoder.raw()).get().get("pred_logits");
    }
    try (Stream<Path> files = Files.list(dir)) {
      List<Path> cached = files.toList();
      assertThat(cached).hasSize(1);
      assertThat(cached.get(0).getFileName().toString())
          .startsWith(Engine.sha256(TestModels.bytes("tiny_detr_raw.onnx")) + "-cpu-ALL_OPT-ort");
    }
    try (InferenceSession s = InferenceSession.builder(src).optimizedModelCache(dir).build()) {
      assertThat(s.run(f, Budget.unlimited(), OutputDecoder.raw()).get().get("pred_logits"))
          .containsExactly(a);
      assertThat(s.model().sha256())
          .isEqualTo(Engine.sha256(TestModels.bytes("tiny_detr_raw.onnx")));
    }
  }

  @Test
  void jfrEventIsEmittedPerCall(@TempDir Path dir) throws Exception {
    try (jdk.jfr.Recording rec = new jdk.jfr.Recording();
        InferenceSession s = tinyDetr()) {
      rec.enable("io.edgevision.Inference");
      rec.start();
      s.run(ImagePreprocessorTest.randomBgr(10, 10, 1), Budget.unlimited(), OutputDecoder.raw());
      rec.stop();
      Path out = dir.resolve("rec.jfr");
      rec.dump(out);
      List<jdk.jfr.consumer.RecordedEvent> events =
          jdk.jfr.consumer.RecordingFile.readAllEvents(out).stream()
              .filter(e -> e.getEventType().getName().equals("io.edgevision.Inference"))
              .toList();
      assertThat(events).hasSize(1);
      assertThat(events.get(0).getString("outcome")).isEqualTo("COMPLETED");
      assertThat(events.get(0).getString("model")).isEqualTo(s.model().sha256());
    }
  }
}
