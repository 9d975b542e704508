package io.edgevision.jni;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgevision.core.Budget;
import io.edgevision.core.EdgeVisionException;
import io.edgevision.core.ErrorCode;
import io.edgevision.core.ExecutionProvider;
import io.edgevision.core.ImageFrame;
import io.edgevision.core.InferenceResult;
import io.edgevision.core.InferenceSession;
import io.edgevision.core.ModelSource;
import io.edgevision.core.Outcome;
import io.edgevision.core.OutputDecoder;
import io.edgevision.core.PixelFormat;
import io.edgevision.core.ProviderDecision;
import io.edgevision.core.RawOutputs;
import io.edgevision.core.spi.BackendModel;
import io.edgevision.core.testing.TestModels;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;

/**
 * The probe and the fallback on a machine without TensorRT or CUDA (this build machine and CI): no
 * crash, a typed {@code PROVIDER_UNAVAILABLE} carrying the native reason, and the next provider
 * chosen. Disabled where the GPU tests run ({@code -DUSE_TENSORRT=1}), since TensorRT is there.
 */
@DisabledIfSystemProperty(named = "USE_TENSORRT", matches = "1")
class TensorRtProbeTest {
  @Test
  void probeReportsTheNativeReasonWithoutCrashing() {
    TensorRtProbe.Availability a = TensorRtProbe.probe();
    assertThat(a.available()).isFalse();
    assertThat(a.device()).isEmpty();
    // the LinkageError text itself (libcuda.so.1 / libcudart.so.13 / libnvinfer.so.11 missing)
    assertThat(a.reason()).contains("UnsatisfiedLinkError").contains("loading cudart failed");
    EdgeVisionException e = a.toException();
    assertThat(e.code()).isEqualTo(ErrorCode.PROVIDER_UNAVAILABLE);
    assertThat(e.getMessage()).contains(a.reason());
    // once per JVM: the same answer, also after the bindings' classes became unusable
    assertThat(TensorRtProbe.probe()).isSameAs(a);
  }

  @Test
  void aSecondProbeAfterTheFailedClassInitialisationStillAnswers() {
    TensorRtProbe.probe();
    // the failed static initialiser now makes the class unusable (NoClassDefFoundError): still
    // caught
    TensorRtProbe.Availability again =
        TensorRtProbe.probe(TensorRtProbe.BINDINGS, TensorRtProbe.class.getClassLoader());
    assertThat(again.available()).isFalse();
    assertThat(again.reason()).containsAnyOf("NoClassDefFoundError", "UnsatisfiedLinkError");
  }

  @Test
  void missingBindingsAndTheDisableProperty() {
    assertThat(
            TensorRtProbe.probe(List.of("org.bytedeco.nothing.here"), getClass().getClassLoader())
                .reason())
        .contains("not on the class path");
    System.setProperty(TensorRtProbe.DISABLE_PROPERTY, "true");
    try {
      assertThat(TensorRtProbe.probe(TensorRtProbe.BINDINGS, getClass().getClassLoader()).reason())
          .isEqualTo("disabled by -Dedgevision.tensorrt.disable=true");
    } finally {
      System.clearProperty(TensorRtProbe.DISABLE_PROPERTY);
    }
  }

  @Test
  void sessionFallsBackToCpuWithTheRecordedReason() {
    try (InferenceSession s =
        InferenceSession.builder(ModelSource.of(TestModels.path("tiny_detr_raw.onnx")))
            .providers(ExecutionProvider.TENSORRT_NATIVE, ExecutionProvider.CPU)
            .build()) {
      assertThat(s.selectedProvider()).isEqualTo(ExecutionProvider.CPU);
      ProviderDecision trt = s.providerDecisions().get(0);
      assertThat(trt.provider()).isEqualTo(ExecutionProvider.TENSORRT_NATIVE);
      assertThat(trt.status()).isEqualTo(ProviderDecision.Status.FAILED_TO_INITIALISE);
      assertThat(trt.reason()).contains("[PROVIDER_UNAVAILABLE]").contains("UnsatisfiedLinkError");
      assertThat(s.providerDecisions().get(1).status()).isEqualTo(ProviderDecision.Status.SELECTED);
      assertThat(s.fingerprint().backend()).isEmpty();
      // and it runs
      InferenceResult<RawOutputs> r =
          s.run(
              ImageFrame.wrap(ByteBuffer.allocate(64 * 64 * 3), 64, 64, PixelFormat.RGB),
              Budget.unlimited(),
              OutputDecoder.raw());
      assertThat(r.outcome()).isEqualTo(Outcome.COMPLETED);
    }
  }

  @Test
  void onlyTensorRtRequestedGivesProviderUnavailable() {
    assertThatThrownBy(
            () ->
                InferenceSession.builder(ModelSource.of(TestModels.path("tiny_detr_raw.onnx")))
                    .providers(ExecutionProvider.TENSORRT_NATIVE)
                    .build())
        .isInstanceOfSatisfying(
            EdgeVisionException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.PROVIDER_UNAVAILABLE))
        .hasMessageContaining("TENSORRT_NATIVE")
        .hasMessageContaining("UnsatisfiedLinkError");
  }

  @Test
  void aheadOfTimeBuildFailsWithTheSameTypedReason() {
    TensorRtBackend trt =
        TensorRtBackend.create(TrtBuildOptions.builder().precision(TrtPrecision.FP16).build());
    assertThat(trt.unavailableReason())
        .get()
        .extracting(EdgeVisionException::code)
        .isEqualTo(ErrorCode.PROVIDER_UNAVAILABLE);
    try (InferenceSession cpu =
        InferenceSession.builder(ModelSource.of(TestModels.path("tiny_detr_raw.onnx"))).build()) {
      BackendModel m = new BackendModel(TestModels.bytes("tiny_detr_raw.onnx"), cpu.model(), 0);
      assertThatThrownBy(() -> trt.build(m, false))
          .isInstanceOfSatisfying(
              EdgeVisionException.class,
              e -> assertThat(e.code()).isEqualTo(ErrorCode.PROVIDER_UNAVAILABLE));
    }
  }
}
