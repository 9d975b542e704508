package io.edgevision.jni;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HalfTest {
  @ParameterizedTest
  @CsvSource({
    "0x0000, 0.0",
    "0x3c00, 1.0",
    "0xc000, -2.0",
    "0x3555, 0.333251953125", // nearest half to 1/3
    "0x7bff, 65504.0", // largest finite half
    "0x0001, 5.9604644775390625E-8", // smallest subnormal, 2^-24
    "0x7c00, Infinity",
    "0xfc00, -Infinity"
  })
  void decodes(String bits, float expected) {
    assertThat(Half.toFloat((short) Integer.parseInt(bits.substring(2), 16))).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({"0x7e00", "0x7c01"})
  void nan(String bits) {
    assertThat(Half.toFloat((short) Integer.parseInt(bits.substring(2), 16))).isNaN();
  }
}
