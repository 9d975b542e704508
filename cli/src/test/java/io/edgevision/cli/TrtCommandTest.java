package io.edgevision.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgevision.core.testing.TestModels;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/** The TensorRT commands on a machine without TensorRT or CUDA (this build machine, CI). */
@DisabledIfSystemProperty(named = "USE_TENSORRT", matches = "1")
class TrtCommandTest {
  @Test
  void buildFailsWithOneClearLineAndExitCode1(@TempDir Path cache) throws Exception {
    CliTest.Run r =
        CliTest.run(
            "trt",
            "build",
            TestModels.path("tiny_detr_raw.onnx").toString(),
            "--precision",
            "fp16",
            "--cache",
            cache.toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out()).isEmpty();
    assertThat(r.err().strip().lines())
        .singleElement()
        .asString()
        .startsWith(
            "error: [PROVIDER_UNAVAILABLE] TensorRT backend unavailable: loading cudart failed:")
        .contains("UnsatisfiedLinkError");
    try (var files = Files.list(cache)) {
      assertThat(files).isEmpty(); // nothing half-written
    }
  }

  @Test
  void badOptionsAreUsageErrors() {
    CliTest.Run r = CliTest.run("trt", "build", "m.onnx", "--precision", "bf16");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err())
        .contains("unknown TensorRT precision 'bf16', expected one of [fp32, tf32, fp16, int8]");
    assertThat(CliTest.run("trt", "build", "m.onnx", "--dla-core", "0").err())
        .contains("a DLA core runs FP16 or INT8 only");
  }

  @Test
  void inspectShowsWhyTensorRtWasSkipped() {
    CliTest.Run r =
        CliTest.run(
            "inspect",
            TestModels.path("tiny_detr_raw.onnx").toString(),
            "--providers",
            "tensorrt_native,cuda,cpu");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out())
        .contains(
            "TENSORRT_NATIVE: FAILED_TO_INITIALISE ([PROVIDER_UNAVAILABLE] TensorRT backend"
                + " unavailable: loading cudart failed")
        .contains("libcuda.so.1")
        .contains("CPU: SELECTED");
  }
}
