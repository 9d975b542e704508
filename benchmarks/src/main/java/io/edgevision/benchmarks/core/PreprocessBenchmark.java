package io.edgevision.benchmarks.core;

import io.edgevision.core.ImageFrame;
import io.edgevision.core.ImageFrames;
import io.edgevision.core.ImagePreprocessor;
import io.edgevision.core.ModelDescriptor;
import io.edgevision.core.PixelFormat;
import io.edgevision.core.PreprocessTransform;
import java.nio.ByteBuffer;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.dnn.Dnn;
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
 * Preprocessing a 1920x1080 BGR frame into a 640x640 normalised NCHW RGB tensor: the SDK's {@link
 * ImagePreprocessor} (writes into its reused direct buffer) against OpenCV's {@code
 * Dnn.blobFromImage} on the same pixels with the same settings (bilinear stretch, swapRB, x/255).
 * The two outputs are equal up to float rounding (ImagePreprocessorTest). {@code blobFromImage}
 * returns a new Mat each call, released inside the measurement, as a caller must.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class PreprocessBenchmark {
  @Param({"stretch", "letterbox"})
  public String resize;

  private ImagePreprocessor pre;
  private ImageFrame frame;
  private Mat mat;
  private Size size;
  private Scalar zero;

  @Setup(Level.Trial)
  public void setup() {
    byte[] px = new byte[1920 * 1080 * 3];
    new Random(42).nextBytes(px);
    ByteBuffer b = ByteBuffer.allocateDirect(px.length);
    b.put(px).flip();
    frame = ImageFrame.wrap(b, 1920, 1080, PixelFormat.BGR);
    pre =
        ImagePreprocessor.create(
            ModelDescriptor.builder()
                .inputSize(640, 640)
                .resize(
                    ModelDescriptor.ResizeMode.valueOf(resize.toUpperCase(java.util.Locale.ROOT)))
                .color(ModelDescriptor.ColorOrder.RGB)
                .scale(1 / 255.0)
                .build(),
            1);
    mat = ImageFrames.toBgrMat(frame);
    size = new Size(640, 640);
    zero = new Scalar(0, 0, 0);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    pre.close();
    mat.release();
  }

  @Benchmark
  public PreprocessTransform sdk() {
    return pre.preprocess(frame, 0);
  }

  /** Baseline. OpenCV 4.9 blobFromImage has no letterbox here, so it always stretches. */
  @Benchmark
  public long opencvBlobFromImage() {
    Mat blob = Dnn.blobFromImage(mat, 1 / 255.0, size, zero, true, false);
    long addr = blob.dataAddr();
    blob.release();
    return addr;
  }
}
// How to run: java -jar benchmarks/target/benchmarks.jar PreprocessBenchmark -prof gc
