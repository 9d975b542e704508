package io.edgevision.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class StatisticsTest {
  static Stream<Arguments> quantiles() {
    long[] oneToTen = {10, 3, 7, 1, 2, 9, 4, 8, 6, 5};
    return Stream.of(
        // nearest rank: ceil(0.5 * 10) = 5th smallest
        Arguments.of(oneToTen, 0.5, 5.0),
        // ceil(0.9 * 10) = 9th
        Arguments.of(oneToTen, 0.9, 9.0),
        // ceil(0.99 * 10) = 10th: with 10 samples p99 is the maximum
        Arguments.of(oneToTen, 0.99, 10.0),
        // q = 1 is the maximum
        Arguments.of(oneToTen, 1.0, 10.0),
        // tiny q is the minimum
        Arguments.of(oneToTen, 0.01, 1.0),
        // a single sample is every quantile
        Arguments.of(new long[] {42}, 0.5, 42.0));
  }

  @ParameterizedTest
  @MethodSource("quantiles")
  void nearestRankQuantile(long[] samples, double q, double expected) {
    assertThat(Statistics.quantile(samples, q)).isEqualTo(expected);
  }

  @Test
  void quantileRejectsNoSamplesAndQuantilesOutsideTheUnitInterval() {
    assertThatThrownBy(() -> Statistics.quantile(new long[0], 0.5))
        .hasMessageContaining("at least one sample");
    assertThatThrownBy(() -> Statistics.quantile(new long[] {1}, 0))
        .hasMessageContaining("(0, 1], got 0.0");
    assertThatThrownBy(() -> Statistics.quantile(new long[] {1}, 1.5))
        .hasMessageContaining("got 1.5");
  }

  @Test
  void bootstrapIntervalContainsTheEstimateAndNarrowsWithMoreSamples() {
    java.util.SplittableRandom r = new java.util.SplittableRandom(1);
    long[] small = new long[50];
    long[] large = new long[2000];
    for (int i = 0; i < large.length; i++) {
      long v = 1000 + (long) (r.nextGaussian() * 100);
      large[i] = v;
      if (i < small.length) {
        small[i] = v;
      }
    }
    double[] ciSmall = Statistics.bootstrapCi(small, 0.5, 1000);
    double[] ciLarge = Statistics.bootstrapCi(large, 0.5, 1000);
    assertThat(ciSmall[0]).isLessThanOrEqualTo(Statistics.quantile(small, 0.5));
    assertThat(ciSmall[1]).isGreaterThanOrEqualTo(Statistics.quantile(small, 0.5));
    assertThat(ciLarge[1] - ciLarge[0]).isLessThan(ciSmall[1] - ciSmall[0]);
    // deterministic: same samples, same interval
    assertThat(Statistics.bootstrapCi(small, 0.5, 1000)).containsExactly(ciSmall);
  }

  @Test
  void constantSamplesGiveAZeroWidthInterval() {
    assertThat(Statistics.bootstrapCi(new long[] {7, 7, 7, 7}, 0.99, 200))
        .containsExactly(7.0, 7.0);
  }

  @Test
  void pairedRatioIsTheMedianOfPerPairRatios() {
    // ratios 2, 2, 2, 3, 1 -> median 2, although the medians of a and b are 20 and 10 and the
    // totals differ
    long[] a = {20, 40, 2, 30, 10};
    long[] b = {10, 20, 1, 10, 10};
    double[] r = Statistics.pairedRatio(a, b);
    assertThat(r[0]).isEqualTo(2.0);
    assertThat(r[1]).isLessThanOrEqualTo(2.0);
    assertThat(r[2]).isGreaterThanOrEqualTo(2.0);
    assertThatThrownBy(() -> Statistics.pairedRatio(new long[] {1, 2}, new long[] {1}))
        .hasMessageContaining("equal length, got 2 and 1");
    assertThatThrownBy(() -> Statistics.pairedRatio(new long[] {1}, new long[] {0}))
        .hasMessageContaining("must be > 0, got 0");
  }
}
