package io.edgevision.postprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class SimilarityTransformTest {
  @Test
  void recoversAKnownSimilarityExactly() {
    double scale = 0.7;
    double angle = Math.toRadians(23);
    double tx = 12.5;
    double ty = -4.25;
    Random rnd = new Random(3);
    double[] src = new double[10];
    double[] dst = new double[10];
    for (int i = 0; i < 5; i++) {
      double x = rnd.nextDouble() * 200;
      double y = rnd.nextDouble() * 200;
      src[2 * i] = x;
      src[2 * i + 1] = y;
      dst[2 * i] = scale * (Math.cos(angle) * x - Math.sin(angle) * y) + tx;
      dst[2 * i + 1] = scale * (Math.sin(angle) * x + Math.cos(angle) * y) + ty;
    }
    double[] m = SimilarityTransform.estimate(src, dst);
    double[] expected = {
      scale * Math.cos(angle),
      -scale * Math.sin(angle),
      tx,
      scale * Math.sin(angle),
      scale * Math.cos(angle),
      ty
    };
    assertThat(m).containsExactly(expected, within(1e-9));
    assertThat(SimilarityTransform.apply(m, src[0], src[1]))
        .containsExactly(new double[] {dst[0], dst[1]}, within(1e-9));
  }

  @Test
  void mirroredTargetsGiveARotationNotAReflection() {
    // dst is src mirrored in x (det(A) < 0): skimage returns the best proper similarity. Values
    // from
    // a numpy transcription of skimage 0.19.3 SimilarityTransform.estimate (_umeyama), run for this
    // test.
    double[] src = {0, 0, 10, 0, 0, 5, 10, 5};
    double[] dst = {0, 0, -10, 0, 0, 5, -10, 5};
    double[] m = SimilarityTransform.estimate(src, dst);
    double det = m[0] * m[4] - m[1] * m[3];
    assertThat(det).as("proper (det > 0)").isGreaterThanOrEqualTo(0);
    assertThat(m).containsExactly(new double[] {-0.6, 0.0, -2.0, 0.0, -0.6, 4.0}, within(1e-9));
  }

  @Test
  void collinearPointsUseTheRankOneBranch() {
    double[] src = {0, 0, 1, 1, 2, 2};
    double[] dst = {1, 0, 1, 2, 1, 4};
    double[] m = SimilarityTransform.estimate(src, dst);
    // Maps the line onto the line: (0,0)->(1,0), (2,2)->(1,4): rotation 45° and scale sqrt(2).
    assertThat(SimilarityTransform.apply(m, 2, 2))
        .containsExactly(new double[] {1, 4}, within(1e-9));
    assertThat(m[0] * m[4] - m[1] * m[3]).isCloseTo(2.0, within(1e-9));
    // Same numpy transcription of skimage's _umeyama: [[1, -1, 1], [1, 1, 0]].
    assertThat(m).containsExactly(new double[] {1, -1, 1, 1, 1, 0}, within(1e-9));
  }

  @Test
  void rejectsDegenerateInput() {
    assertThatThrownBy(
            () ->
                SimilarityTransform.estimate(new double[] {1, 1, 1, 1}, new double[] {0, 0, 2, 2}))
        .hasMessage("expected points that are not all identical, got rank 0");
    assertThatThrownBy(() -> SimilarityTransform.estimate(new double[] {1, 1}, new double[] {0, 0}))
        .hasMessageContaining("at least 2 interleaved");
    assertThatThrownBy(
            () -> SimilarityTransform.estimate(new double[] {1, 1, 2, Double.NaN}, new double[4]))
        .hasMessage("expected finite coordinates at index 3");
  }
}
