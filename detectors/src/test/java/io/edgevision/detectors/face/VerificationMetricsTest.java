package io.edgevision.detectors.face;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class VerificationMetricsTest {
  static Stream<Arguments> cases() {
    return Stream.of(
        // separable: AUC 1, accuracy 1, threshold halfway between highest negative 0.4 and lowest
        // positive 0.6
        Arguments.of(
            new double[] {0.9, 0.6, 0.4, 0.1},
            new boolean[] {true, true, false, false},
            1.0,
            1.0,
            0.5),
        // fully inverted: AUC 0; best is to accept nothing (accuracy 2/4), threshold above the top
        // score
        Arguments.of(
            new double[] {0.1, 0.2, 0.8, 0.9},
            new boolean[] {true, true, false, false},
            0.0,
            0.5,
            0.900001),
        // one positive/negative tie at 0.5 (counts 1/2): pairs P>N = 3 of 4 ... AUC = (1 + 1 + 1 +
        // 0.5)/4
        Arguments.of(
            new double[] {0.9, 0.5, 0.5, 0.1},
            new boolean[] {true, true, false, false},
            0.875,
            0.75,
            0.7),
        // one overlap: pos {0.8, 0.3}, neg {0.5, 0.1}: AUC 3/4; best accuracy 3/4 at threshold
        // (0.8+0.5)/2
        Arguments.of(
            new double[] {0.8, 0.3, 0.5, 0.1},
            new boolean[] {true, true, false, false},
            0.75,
            0.75,
            0.65));
  }

  @ParameterizedTest
  @MethodSource("cases")
  void aucAccuracyThreshold(double[] scores, boolean[] same, double auc, double acc, double thr) {
    VerificationMetrics m = VerificationMetrics.compute(scores, same);
    assertThat(m.auc()).isCloseTo(auc, within(1e-12));
    assertThat(m.bestAccuracy()).isCloseTo(acc, within(1e-12));
    assertThat(m.bestThreshold()).isCloseTo(thr, within(1e-9));
  }

  @Test
  void tarAtFarAllowsFloorOfFarTimesNegativesFalseAccepts() {
    // 100 negatives at 0.00..0.99; positives at 0.995, 0.985, 0.5.
    double[] s = new double[103];
    boolean[] same = new boolean[103];
    for (int i = 0; i < 100; i++) {
      s[i] = i / 100.0;
    }
    s[100] = 0.995;
    s[101] = 0.985;
    s[102] = 0.5;
    same[100] = same[101] = same[102] = true;
    VerificationMetrics m = VerificationMetrics.compute(s, same, 1e-2, 1e-3, 0.5);
    // FAR 1e-2: one false accept allowed → threshold just above 0.98 → positives 0.995, 0.985
    // accepted
    assertThat(m.tarAtFar().get(0).tar()).isCloseTo(2 / 3.0, within(1e-12));
    assertThat(m.tarAtFar().get(0).falseAccepts()).isEqualTo(1);
    // FAR 1e-3: none allowed → threshold just above 0.99 → only 0.995
    assertThat(m.tarAtFar().get(1).tar()).isCloseTo(1 / 3.0, within(1e-12));
    assertThat(m.tarAtFar().get(1).falseAccepts()).isZero();
    // FAR 0.5: 50 allowed → just above 0.49 → all three
    assertThat(m.tarAtFar().get(2).tar()).isEqualTo(1.0);
    assertThat(m.tarAtFar().get(2).falseAccepts()).isEqualTo(50);
  }

  @Test
  void refusesDegenerateInput() {
    assertThatThrownBy(
            () -> VerificationMetrics.compute(new double[] {0.1, 0.2}, new boolean[] {true, true}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("negative");
    assertThatThrownBy(
            () -> VerificationMetrics.compute(new double[] {0.1}, new boolean[] {true, false}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("one label per score");
    assertThatThrownBy(
            () ->
                VerificationMetrics.compute(
                    new double[] {Double.NaN, 0}, new boolean[] {true, false}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("finite");
  }
}
