package io.edgevision.postprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class OverlapMetricTest {
  private static Arguments row(OverlapMetric m, Box a, Box b, double expected) {
    return Arguments.of(m, a, b, expected);
  }

  static Stream<Arguments> table() {
    Box a = new Box(0, 0, 10, 10);
    return Stream.of(
        // Identical boxes: every measure is 1.
        row(OverlapMetric.IOU, a, a, 1.0),
        row(OverlapMetric.IOMIN, a, a, 1.0),
        row(OverlapMetric.DIOU, a, a, 1.0),
        row(OverlapMetric.GIOU, a, a, 1.0),
        // Half overlap along x: I = 50, U = 150.
        row(OverlapMetric.IOU, a, new Box(5, 0, 15, 10), 50.0 / 150),
        // IoMin of the same pair: 50 / min(100, 100).
        row(OverlapMetric.IOMIN, a, new Box(5, 0, 15, 10), 0.5),
        // DIoU: centres 5 apart, enclosing diagonal² = 15² + 10² (+1e-7).
        row(OverlapMetric.DIOU, a, new Box(5, 0, 15, 10), 50.0 / 150 - 25.0 / 325),
        // GIoU: enclosing 150 = union, so GIoU = IoU.
        row(OverlapMetric.GIOU, a, new Box(5, 0, 15, 10), 50.0 / 150),
        // Nested 4x4 box: IoU 16/100, IoMin 1 (intersection over the smaller box).
        row(OverlapMetric.IOU, a, new Box(3, 3, 7, 7), 0.16),
        row(OverlapMetric.IOMIN, a, new Box(3, 3, 7, 7), 1.0),
        // Disjoint boxes 10 px apart: IoU 0; GIoU = -(C - U)/C with C = 300, U = 200.
        row(OverlapMetric.IOU, a, new Box(20, 0, 30, 10), 0.0),
        row(OverlapMetric.GIOU, a, new Box(20, 0, 30, 10), -100.0 / 300),
        // Disjoint: DIoU = -ρ²/c² = -(20²)/(30² + 10²).
        row(OverlapMetric.DIOU, a, new Box(20, 0, 30, 10), -400.0 / 1000),
        // Touching edges: zero-area intersection, IoU and IoMin 0.
        row(OverlapMetric.IOU, a, new Box(10, 0, 20, 10), 0.0),
        row(OverlapMetric.IOMIN, a, new Box(10, 0, 20, 10), 0.0),
        // Zero-area box inside: IoMin defined as 0 (no smaller area to divide by).
        row(OverlapMetric.IOMIN, a, new Box(5, 5, 5, 8), 0.0));
  }

  @ParameterizedTest(name = "{0} {1} {2} = {3}")
  @MethodSource("table")
  void measures(OverlapMetric metric, Box a, Box b, double expected) {
    assertThat((double) metric.between(a, b)).isCloseTo(expected, within(1e-6));
    assertThat((double) metric.between(b, a)).as("symmetric").isCloseTo(expected, within(1e-6));
  }

  @Test
  void parseAcceptsIosAsTheSameMeasureAsIoMin() {
    assertThat(OverlapMetric.parse("IoS")).isEqualTo(OverlapMetric.IOMIN);
    assertThat(OverlapMetric.parse("giou")).isEqualTo(OverlapMetric.GIOU);
    assertThatThrownBy(() -> OverlapMetric.parse("ciou"))
        .hasMessage("expected one of iou, iomin, ios, diou, giou, got \"ciou\"");
  }
}
