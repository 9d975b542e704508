package io.edgevision.core;

import io.edgevision.core.testing.EqualsTable;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 16, defect 7: sdk-core result types compare by value (RawOutputs held arrays compared by
 * identity).
 */
class ValueEqualityTest {
  static final Fingerprint FP =
      new Fingerprint("a".repeat(64), "primary", ExecutionProvider.CPU, "1.29.0", "0.1", "d");

  static RawOutputs raw(float v) {
    return new RawOutputs(Map.of("y", new float[] {1, v}), Map.of("y", new long[] {1, 2}));
  }

  static Stream<Arguments> types() {
    return Stream.of(
        // RawOutputs: arrays compared by content
        Arguments.of(
            "RawOutputs",
            List.<List<Supplier<?>>>of(
                List.of(() -> raw(2), () -> raw(2)),
                List.of(() -> raw(3)),
                List.of(
                    () ->
                        new RawOutputs(
                            Map.of("y", new float[] {1, 2}), Map.of("y", new long[] {2, 1}))))),
        // InferenceResult: by outcome, value, timings, fingerprint, message, deadline flag
        Arguments.of(
            "InferenceResult",
            List.<List<Supplier<?>>>of(
                List.of(
                    () ->
                        new InferenceResult<>(
                            Outcome.COMPLETED, raw(2), Timings.ZERO, FP, "", false),
                    () ->
                        new InferenceResult<>(
                            Outcome.COMPLETED, raw(2), Timings.ZERO, FP, "", false)),
                List.of(
                    () ->
                        new InferenceResult<>(
                            Outcome.COMPLETED, raw(3), Timings.ZERO, FP, "", false)),
                List.of(
                    () ->
                        new InferenceResult<>(
                            Outcome.CANCELLED, null, Timings.ZERO, FP, "late", true)),
                List.of(
                    () ->
                        new InferenceResult<>(
                            Outcome.COMPLETED, raw(2), new Timings(0, 1, 0, 0), FP, "", false)))),
        // ImageDecodeOptions (record)
        Arguments.of(
            "ImageDecodeOptions",
            List.<List<Supplier<?>>>of(
                List.of(
                    () -> new ImageDecodeOptions(10, ImageDecodeOptions.Truncated.FLAG),
                    () -> new ImageDecodeOptions(10, ImageDecodeOptions.Truncated.FLAG)),
                List.of(() -> new ImageDecodeOptions(10, ImageDecodeOptions.Truncated.REJECT)))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("types")
  void equalValuesAreEqualAndOthersAreNot(String type, List<List<Supplier<?>>> groups) {
    EqualsTable.check(groups);
  }
}
