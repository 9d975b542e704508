package io.edgevision.benchmarks.traffic;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.edgevision.benchmarks.core.RawOrt;
import io.edgevision.core.Budget;
import io.edgevision.core.ImageFrame;
import io.edgevision.core.InferenceSession;
import io.edgevision.core.ModelSource;
import io.edgevision.core.PixelFormat;
import io.edgevision.detectors.traffic.ModelCatalog;
import io.edgevision.detectors.traffic.TrafficLightDetector;
import io.edgevision.detectors.traffic.TrafficLightResult;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * End to end traffic-light detection on the shipped model: {@link TrafficLightDetector#detect} on
 * the sample scene (preprocessing, inference, sigmoid top-k decode, duplicate suppression, state
 * decoding, timings) against what a user writes with raw ONNX Runtime for the same model and frame:
 * BGR bytes to NCHW RGB floats /255 in a reused direct buffer, {@code session.run}, copy the two
 * outputs out, and nothing else (no decode, no suppression, no states). The ratio is what the SDK's
 * whole pipeline costs on top of the bare network.
 *
 * <p>{@code model}: {@code builtin} (the classpath model, the default of {@code ./edgevision
 * detect}) or a path to another ONNX file in the same {@code detr_raw} layout with SDK metadata
 * (e.g. an earlier training checkpoint), so two models can be compared in one run. The sample scene
 * is 320 × 320, the model's input size, so neither side resizes.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class TrafficLightBenchmark {
  @Param({"builtin"})
  public String model;

  private InferenceSession sdkSession;
  private TrafficLightDetector detector;
  private OrtSession raw;
  private OnnxTensor rawInput;
  private FloatBuffer rawBuffer;
  private ImageFrame frame;
  private ByteBuffer pixels;
  private int width;
  private int height;
  private String inputName;

  @Setup(Level.Trial)
  public void setup() throws Exception {
    frame = ModelCatalog.sampleScene();
    if (frame.format() != PixelFormat.BGR || frame.rowStride() != frame.width() * 3) {
      throw new IllegalStateException("expected a packed BGR sample scene, got " + frame);
    }
    width = frame.width();
    height = frame.height();
    pixels = frame.data();
    ModelSource source =
        model.equals(ModelCatalog.BUILTIN)
            ? ModelCatalog.builtinModel()
            : ModelSource.of(Path.of(model));
    // ONNX Runtime's own default (spinning workers) on both sides: the raw session below spins
    sdkSession = InferenceSession.builder(source).intraOpSpinning(true).build();
    detector = TrafficLightDetector.builder(sdkSession).build();
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
      raw = env.createSession(source.read(), o);
    }
    inputName = raw.getInputNames().iterator().next();
    rawBuffer =
        ByteBuffer.allocateDirect(3 * width * height * 4)
            .order(ByteOrder.nativeOrder())
            .asFloatBuffer();
    rawInput = OnnxTensor.createTensor(env, rawBuffer, new long[] {1, 3, height, width});
    TrafficLightResult r = detector.detect(frame, Budget.unlimited());
    if (r.lights().isEmpty()) {
      throw new IllegalStateException(
          model + " finds no light on the sample scene: not a traffic-light model?");
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    sdkSession.close();
    rawInput.close();
    raw.close();
  }

  /**
   * The SDK: one call, from the BGR frame to lights with states, timings and the suppression
   * report.
   */
  @Benchmark
  public Object sdkDetect() {
    return detector.detect(frame, Budget.unlimited());
  }

  /**
   * Baseline: hand-written BGR bytes to RGB NCHW floats /255, session.run, copy the raw outputs
   * out.
   */
  @Benchmark
  public Object rawOrtRun() throws Exception {
    int plane = width * height;
    float inv = 1 / 255f;
    for (int i = 0; i < plane; i++) {
      for (int c = 0; c < 3; c++) {
        rawBuffer.put(c * plane + i, (pixels.get(3 * i + 2 - c) & 0xff) * inv);
      }
    }
    return RawOrt.runAndCopy(raw, inputName, rawInput);
  }
}
// How to run (from the repository root):
//   java -jar benchmarks/target/benchmarks.jar TrafficLightBenchmark
//   java -jar benchmarks/target/benchmarks.jar TrafficLightBenchmark -p
// model=builtin,/path/to/other.onnx
