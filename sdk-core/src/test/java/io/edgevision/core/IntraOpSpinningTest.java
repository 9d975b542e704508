package io.edgevision.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgevision.core.testing.TestModels;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The session's intra-op spinning setting: off by default, typed setter, and an explicit session
 * config entry winning over both.
 */
class IntraOpSpinningTest {
  static final String KEY = InferenceSession.INTRA_OP_SPINNING_KEY;

  static Stream<Arguments> cases() {
    return Stream.of(
        // the SDK's default: workers sleep (ONNX Runtime's own default would be "1")
        Arguments.of("default", (UnaryOperator<InferenceSession.Builder>) b -> b, "0"),
        // the typed setter turns spinning back on
        Arguments.of(
            "intraOpSpinning(true)",
            (UnaryOperator<InferenceSession.Builder>) b -> b.intraOpSpinning(true),
            "1"),
        // and off again (last call wins)
        Arguments.of(
            "true then false",
            (UnaryOperator<InferenceSession.Builder>)
                b -> b.intraOpSpinning(true).intraOpSpinning(false),
            "0"),
        // the raw escape hatch wins over the default...
        Arguments.of(
            "sessionConfig 1",
            (UnaryOperator<InferenceSession.Builder>) b -> b.sessionConfig(KEY, "1"),
            "1"),
        // ...and over the typed setter, whatever the order
        Arguments.of(
            "sessionConfig 0 then intraOpSpinning(true)",
            (UnaryOperator<InferenceSession.Builder>)
                b -> b.sessionConfig(KEY, "0").intraOpSpinning(true),
            "0"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void theSessionIsBuiltWithTheExpectedSpinningEntry(
      String name, UnaryOperator<InferenceSession.Builder> configure, String expected) {
    InferenceSession.Builder b =
        configure.apply(
            InferenceSession.builder(ModelSource.of(TestModels.path("tiny_detr_raw.onnx"))));
    assertThat(b.effectiveSessionConfig()).containsEntry(KEY, expected);
    // ONNX Runtime accepts the entry: the session builds and runs
    try (InferenceSession s = b.build()) {
      assertThat(
              s.run(
                      ImagePreprocessorTest.randomBgr(8, 8, 1),
                      Budget.unlimited(),
                      OutputDecoder.raw())
                  .outcome())
          .isEqualTo(Outcome.COMPLETED);
    }
  }
}
