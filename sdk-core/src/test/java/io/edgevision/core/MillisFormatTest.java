package io.edgevision.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The session's message formatting of durations, which avoids java.util.Formatter. */
class MillisFormatTest {
  @ParameterizedTest(name = "{0} ns -> {1}")
  @CsvSource({
    "0, 0.00 ms", // nothing
    "4999, 0.00 ms", // rounds down below half a hundredth
    "5000, 0.01 ms", // half a hundredth rounds up
    "10000, 0.01 ms", // one hundredth
    "90000, 0.09 ms", // a single-digit fraction keeps its leading zero
    "12345678, 12.35 ms", // the usual case
    "40000000, 40.00 ms", // whole milliseconds
    "999995000, 1000.00 ms", // carries into the integer part
    "-2500000, -2.50 ms", // negative (never passed today) keeps its sign
  })
  void formatsLikeTwoDecimalMilliseconds(long nanos, String expected) {
    assertThat(InferenceSession.ms(nanos)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} ns")
  @CsvSource({"1", "123456", "7654321", "40000001", "123456789012"})
  void agreesWithStringFormatForNonNegativeDurations(long nanos) {
    // String.format rounds half-even on the double value; these cases are not at a tie
    assertThat(InferenceSession.ms(nanos))
        .isEqualTo(String.format(Locale.ROOT, "%.2f ms", nanos / 1e6));
  }
}
