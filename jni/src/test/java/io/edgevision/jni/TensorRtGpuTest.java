package io.edgevision.jni;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgevision.core.Budget;
import io.edgevision.core.EdgeVisionException;
import io.edgevision.core.ExecutionProvider;
import io.edgevision.core.ImageFrame;
import io.edgevision.core.ImageFrames;
import io.edgevision.core.InferenceResult;
import io.edgevision.core.InferenceSession;
import io.edgevision.core.ModelSource;
import io.edgevision.core.Outcome;
import io.edgevision.core.OutputDecoder;
import io.edgevision.core.RawOutputs;
import io.edgevision.core.testing.SharedResources;
import io.edgevision.postprocess.BoxTransform;
import io.edgevision.postprocess.Detection;
import io.edgevision.postprocess.DetrPostprocessor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * TensorRT against ONNX Runtime CPU on the same frames, on a machine with a GPU and TensorRT 11
 * (run by {@code jni/gpu-check.sh}, which passes {@code -DUSE_TENSORRT=1}). Prints timings; asserts
 * only accuracy.
 */
@EnabledIfSystemProperty(named = "USE_TENSORRT", matches = "1")
class TensorRtGpuTest {
  static final Path TRAFFIC =
      Path.of(
          "..",
          "detectors",
          "src",
          "main",
          "resources",
          "io",
          "edgevision",
          "detectors",
          "traffic",
          "edgevision-traffic-lights.onnx");

  @TempDir Path cache;

  static Stream<Arguments> models() {
    return Stream.of(
        // FP32 (TF32 off): normalised boxes within 1e-3 of ONNX Runtime CPU
        Arguments.of("deimv2_hgnetv2_atto_coco_raw.onnx", TrtPrecision.FP32, 1e-3),
        Arguments.of("traffic", TrtPrecision.FP32, 1e-3),
        // TF32 tensor-core math: within 1e-2
        Arguments.of("deimv2_hgnetv2_atto_coco_raw.onnx", TrtPrecision.TF32, 1e-2),
        Arguments.of("traffic", TrtPrecision.TF32, 1e-2));
  }

  private static Path model(String name) {
    return name.equals("traffic") ? TRAFFIC : SharedResources.model(name);
  }

  private static List<ImageFrame> frames() {
    List<ImageFrame> out = new ArrayList<>();
    for (String f :
        List.of("000000000257.jpg", "000000000359.jpg", "000000000510.jpg", "000000000540.jpg")) {
      out.add(ImageFrames.read(SharedResources.data("street/coco/" + f)));
    }
    return out;
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("models")
  void matchesOnnxRuntimeCpu(String name, TrtPrecision precision, double tolerance) {
    List<BuildListener.Event> events = new CopyOnWriteArrayList<>();
    TensorRtBackend trt =
        TensorRtBackend.create(
            TrtBuildOptions.builder()
                .precision(precision)
                .cacheDirectory(cache)
                .listener(events::add)
                .build());
    try (InferenceSession cpu = InferenceSession.builder(ModelSource.of(model(name))).build();
        InferenceSession gpu =
            InferenceSession.builder(ModelSource.of(model(name)))
                .backend(trt)
                .providers(ExecutionProvider.TENSORRT_NATIVE)
                .build()) {
      assertThat(gpu.selectedProvider()).isEqualTo(ExecutionProvider.TENSORRT_NATIVE);
      assertThat(gpu.fingerprint().backend()).startsWith("TensorRT 11.");
      System.out.println(name + " " + precision + ": " + gpu.fingerprint().backend());
      events.forEach(e -> System.out.println("  " + e));
      int w = cpu.model().descriptor().inputSize().orElseThrow()[0];
      int h = cpu.model().descriptor().inputSize().orElseThrow()[1];
      for (ImageFrame f : frames()) {
        RawOutputs a = cpu.run(f, Budget.unlimited(), OutputDecoder.raw()).value().orElseThrow();
        InferenceResult<RawOutputs> rb = gpu.run(f, Budget.unlimited(), OutputDecoder.raw());
        assertThat(rb.outcome()).isEqualTo(Outcome.COMPLETED);
        RawOutputs b = rb.value().orElseThrow();
        float[] boxesA = a.get("pred_boxes");
        float[] boxesB = b.get("pred_boxes");
        double maxBox = maxAbsDiff(boxesA, boxesB);
        double maxLogit = maxAbsDiff(a.get("pred_logits"), b.get("pred_logits"));
        System.out.printf(
            Locale.ROOT,
            "  max |box diff| %.2e (normalised), max |logit diff| %.2e%n",
            maxBox,
            maxLogit);
        assertThat(maxBox).isLessThanOrEqualTo(tolerance);
        // same kept detections after post-processing
        int classes = (int) a.shapes().get("pred_logits")[2];
        int queries = (int) a.shapes().get("pred_logits")[1];
        DetrPostprocessor post = DetrPostprocessor.builder(w, h).numClasses(classes).build();
        BoxTransform t = BoxTransform.resize(f.width(), f.height(), w, h);
        List<Detection> da = post.process(a.get("pred_logits"), boxesA, queries, t).detections();
        List<Detection> db = post.process(b.get("pred_logits"), boxesB, queries, t).detections();
        assertThat(db).hasSameSizeAs(da);
        for (int i = 0; i < da.size(); i++) {
          assertThat(db.get(i).classId()).isEqualTo(da.get(i).classId());
          assertThat(Math.abs(db.get(i).box().x1() - da.get(i).box().x1()))
              .isLessThanOrEqualTo((float) (tolerance * Math.max(f.width(), f.height())));
        }
      }
      System.out.printf(
          Locale.ROOT,
          "  median latency: ONNX Runtime CPU %.2f ms, TensorRT %.2f ms%n",
          medianMillis(cpu, frames().get(0)),
          medianMillis(gpu, frames().get(0)));
    }
  }

  @Test
  void fp16OnAnFp32ModelIsRefusedNotSilentlyBuiltInFp32() {
    TensorRtBackend trt =
        TensorRtBackend.create(
            TrtBuildOptions.builder().precision(TrtPrecision.FP16).cacheDirectory(cache).build());
    assertThatThrownBy(
            () ->
                InferenceSession.builder(ModelSource.of(TRAFFIC))
                    .backend(trt)
                    .providers(ExecutionProvider.TENSORRT_NATIVE)
                    .build())
        .isInstanceOf(EdgeVisionException.class)
        .hasMessageContaining("strongly typed");
  }

  @Test
  void secondOpenHitsTheCacheAndACorruptEntryIsRebuilt() throws Exception {
    List<BuildListener.Event> events = new CopyOnWriteArrayList<>();
    TensorRtBackend trt =
        TensorRtBackend.create(
            TrtBuildOptions.builder().cacheDirectory(cache).listener(events::add).build());
    open(trt).close();
    assertThat(events)
        .extracting(BuildListener.Event::phase)
        .contains(BuildListener.Phase.BUILD_FINISHED, BuildListener.Phase.CACHE_WRITTEN);
    events.clear();
    open(trt).close();
    assertThat(events)
        .extracting(BuildListener.Event::phase)
        .contains(BuildListener.Phase.CACHE_HIT)
        .doesNotContain(BuildListener.Phase.BUILD_STARTED);
    Path file;
    try (Stream<Path> s = Files.list(cache)) {
      file = s.filter(p -> p.toString().endsWith(".engine")).findFirst().orElseThrow();
    }
    byte[] b = Files.readAllBytes(file);
    b[b.length - 100] ^= 1;
    Files.write(file, b);
    events.clear();
    open(trt).close();
    assertThat(events).anySatisfy(e -> assertThat(e.detail()).contains("checksum mismatch"));
    assertThat(events)
        .extracting(BuildListener.Event::phase)
        .contains(BuildListener.Phase.BUILD_FINISHED);
  }

  @Test
  void closeIsIdempotentAndUseAfterCloseIsAClearError() {
    TensorRtBackend trt =
        TensorRtBackend.create(TrtBuildOptions.builder().cacheDirectory(cache).build());
    InferenceSession s = open(trt);
    s.close();
    s.close();
    assertThatThrownBy(() -> s.run(frames().get(0), Budget.unlimited(), OutputDecoder.raw()))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void probeFindsTensorRtAndTheGpu() {
    TensorRtProbe.Availability a = TensorRtProbe.probe();
    assertThat(a.available()).as(a.reason()).isTrue();
    System.out.println("probe: " + a.device().orElseThrow());
  }

  private static InferenceSession open(TensorRtBackend trt) {
    return InferenceSession.builder(ModelSource.of(TRAFFIC))
        .backend(trt)
        .providers(ExecutionProvider.TENSORRT_NATIVE)
        .build();
  }

  private static double maxAbsDiff(float[] a, float[] b) {
    assertThat(b).hasSameSizeAs(a);
    double m = 0;
    for (int i = 0; i < a.length; i++) {
      m = Math.max(m, Math.abs(a[i] - b[i]));
    }
    return m;
  }

  private static double medianMillis(InferenceSession s, ImageFrame f) {
    for (int i = 0; i < 5; i++) {
      s.run(f, Budget.unlimited(), OutputDecoder.raw());
    }
    long[] t = new long[30];
    for (int i = 0; i < t.length; i++) {
      InferenceResult<RawOutputs> r = s.run(f, Budget.unlimited(), OutputDecoder.raw());
      t[i] = r.timings().inferenceNanos();
    }
    Arrays.sort(t);
    return t[t.length / 2] / 1e6;
  }
}
