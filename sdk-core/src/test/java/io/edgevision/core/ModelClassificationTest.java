package io.edgevision.core;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgevision.core.testing.TestModels;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 16, defect 3: a model ONNX Runtime rejects is MODEL_INVALID whatever provider was being
 * tried; PROVIDER_UNAVAILABLE only when the providers are missing or fail on a valid model.
 */
class ModelClassificationTest {
  /**
   * echo.onnx with its node's input renamed: "Invalid model. Node input 'imagez' is not a graph
   * input".
   */
  static byte[] danglingNodeInput() {
    byte[] b = TestModels.bytes("echo.onnx");
    String s = new String(b, StandardCharsets.ISO_8859_1);
    int i = s.indexOf("images");
    b[i + 5] = 'z';
    return b;
  }

  /** echo.onnx with its graph output renamed: "Graph output (echz) does not exist in the graph". */
  static byte[] missingGraphOutput() {
    byte[] b = TestModels.bytes("echo.onnx");
    String s = new String(b, StandardCharsets.ISO_8859_1);
    int i = s.lastIndexOf("echo");
    b[i + 3] = 'z';
    return b;
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        // node input that nothing produces, CPU (was PROVIDER_UNAVAILABLE: ORT_INVALID_ARGUMENT)
        Arguments.of(danglingNodeInput(), List.of(ExecutionProvider.CPU), ErrorCode.MODEL_INVALID),
        // graph output that nothing produces, CPU (was PROVIDER_UNAVAILABLE: ORT_FAIL)
        Arguments.of(missingGraphOutput(), List.of(ExecutionProvider.CPU), ErrorCode.MODEL_INVALID),
        // the same invalid model while only absent providers were asked for: still the model's
        // fault
        Arguments.of(
            danglingNodeInput(), List.of(ExecutionProvider.COREML), ErrorCode.MODEL_INVALID),
        // a valid model and only absent providers: the provider's fault
        Arguments.of(
            TestModels.bytes("echo.onnx"),
            List.of(ExecutionProvider.COREML, ExecutionProvider.TENSORRT),
            ErrorCode.PROVIDER_UNAVAILABLE));
  }

  @ParameterizedTest
  @MethodSource("cases")
  void rejectionsAreClassifiedByWhoseFaultTheyAre(
      byte[] model, List<ExecutionProvider> providers, ErrorCode want) {
    assertThatThrownBy(
            () ->
                InferenceSession.builder(ModelSource.of(model, "m.onnx"))
                    .providers(providers)
                    .descriptor(ModelDescriptor.builder().inputSize(8, 8).build())
                    .build())
        .isInstanceOf(EdgeVisionException.class)
        .satisfies(
            e ->
                org.assertj.core.api.Assertions.assertThat(((EdgeVisionException) e).code())
                    .isEqualTo(want));
  }
}
