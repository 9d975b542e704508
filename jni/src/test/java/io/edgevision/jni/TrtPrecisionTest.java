package io.edgevision.jni;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgevision.core.EdgeVisionException;
import io.edgevision.core.ErrorCode;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TrtPrecisionTest {
  @ParameterizedTest
  @CsvSource({
    "fp32, FP32",
    "TF32, TF32",
    " fp16 , FP16", // trimmed
    "Int8, INT8"
  })
  void parses(String text, TrtPrecision expected) {
    assertThat(TrtPrecision.parse(text)).isEqualTo(expected);
  }

  @Test
  void unknownNamesListTheAcceptedOnes() {
    assertThatThrownBy(() -> TrtPrecision.parse("bf16"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unknown TensorRT precision 'bf16', expected one of [fp32, tf32, fp16, int8]");
  }

  @ParameterizedTest
  @CsvSource({
    // precision, TensorRT major, minor, supported
    "FP32, 11, 2, true",
    "FP16, 11, 0, true",
    "INT8, 12, 0, true",
    "FP32, 10, 13, false", // the presets bind libnvinfer.so.11; a TensorRT 10 install cannot serve
    // them
    "FP16, 8, 6, false"
  })
  void tensorRtVersion(TrtPrecision p, int major, int minor, boolean supported) {
    if (supported) {
      assertThatCode(() -> p.checkSupported(major, minor)).doesNotThrowAnyException();
    } else {
      assertThatThrownBy(() -> p.checkSupported(major, minor))
          .isInstanceOfSatisfying(
              EdgeVisionException.class,
              e -> assertThat(e.code()).isEqualTo(ErrorCode.PROVIDER_UNAVAILABLE))
          .hasMessageContaining("expected TensorRT 11.x")
          .hasMessageContaining("got " + major + "." + minor);
    }
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = ';',
      value = {
        // precision; DataType names on the parsed network; accepted
        "FP32; kFLOAT,kINT64; true",
        "TF32; kFLOAT; true",
        "FP16; kFLOAT,kHALF; true", // a mixed-precision export
        "FP16; kFLOAT,kINT32; false", // an FP32 model: TensorRT 11 cannot lower it to FP16
        "INT8; kFLOAT,kINT8; true", // Q/DQ nodes produce INT8 tensors
        "INT8; kFLOAT,kHALF; false"
      })
  void networkTypesMustMatchTheStronglyTypedPrecision(TrtPrecision p, String types, boolean ok) {
    Set<String> t = Set.of(types.split(","));
    if (ok) {
      assertThatCode(() -> p.checkNetwork(t, "m.onnx")).doesNotThrowAnyException();
    } else {
      assertThatThrownBy(() -> p.checkNetwork(t, "m.onnx"))
          .isInstanceOfSatisfying(
              EdgeVisionException.class,
              e -> assertThat(e.code()).isEqualTo(ErrorCode.MODEL_INVALID))
          .hasMessageContaining("strongly typed")
          .hasMessageContaining("m.onnx");
    }
  }

  @Test
  void onlyTf32SetsTheTf32Flag() {
    assertThat(TrtPrecision.TF32.tf32()).isTrue();
    assertThat(TrtPrecision.FP32.tf32()).isFalse();
    assertThat(TrtPrecision.FP16.tf32()).isFalse();
  }
}
