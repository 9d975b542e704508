package io.edgevision.detectors.traffic;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class LabelNamesTest {
  static Stream<Arguments> names() {
    List<String> own = List.of("red", "green");
    return Stream.of(
        // the model's own name
        Arguments.of(own, 1, "green"),
        // beyond the model's names
        Arguments.of(own, 2, "class 2"),
        // negative index
        Arguments.of(own, -1, "class -1"),
        // no names: COCO fallback, index 9 is the traffic light
        Arguments.of(List.of(), 9, "traffic light"),
        // no names, beyond COCO-80
        Arguments.of(List.of(), 80, "class 80"));
  }

  @ParameterizedTest(name = "{0}[{1}] = {2}")
  @MethodSource("names")
  void name(List<String> labels, int classId, String expected) {
    assertThat(LabelNames.of(labels).name(classId)).isEqualTo(expected);
  }

  @org.junit.jupiter.api.Test
  void valueEquality() {
    assertThat(LabelNames.of(List.of("a")))
        .isEqualTo(LabelNames.of(List.of("a")))
        .hasSameHashCodeAs(LabelNames.of(List.of("a")))
        .isNotEqualTo(LabelNames.coco());
    assertThat(LabelNames.of(List.of())).isSameAs(LabelNames.coco());
  }
}
