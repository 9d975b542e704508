package io.edgevision.postprocess;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The suppressor skips its sort when the input already arrives in score order (as from a top-k
 * decode). These tests check that this fast path and the sorting path give the same output: the
 * same scene fed in score order and shuffled must yield identical survivors, alternatives and
 * report, up to the renumbering of the inputs.
 */
class DuplicateSuppressorOrderTest {

  static Stream<Arguments> scenes() {
    return Stream.of(
        // seed, candidates, classes, suppressor
        Arguments.of(1L, 40, 3, DuplicateSuppressor.defaults()),
        Arguments.of(2L, 300, 80, DuplicateSuppressor.defaults()),
        Arguments.of(
            3L, 200, 5, DuplicateSuppressor.defaults().toBuilder().scoreThreshold(0.3f).build()),
        Arguments.of(
            4L, 150, 4, DuplicateSuppressor.defaults().toBuilder().neighbourGuard(false).build()),
        // A per-class rule that can fire on disjoint boxes: every survivor is visited.
        Arguments.of(
            5L,
            120,
            3,
            DuplicateSuppressor.builder()
                .neighbourGuard(false)
                .perClass(OverlapMetric.DIOU, -0.2f)
                .build()),
        Arguments.of(
            6L, 120, 3, DuplicateSuppressor.builder().perClass(OverlapMetric.IOMIN, 0.6f).build()),
        Arguments.of(7L, 100, 2, DuplicateSuppressor.disabled()));
  }

  @ParameterizedTest
  @MethodSource("scenes")
  void scoreOrderedAndShuffledInputsGiveTheSameResult(
      long seed, int n, int classes, DuplicateSuppressor suppressor) {
    Random rnd = new Random(seed);
    float[] xyxy = new float[4 * n];
    float[] scores = new float[n];
    int[] classIds = new int[n];
    int[] queries = new int[n];
    // Dense clusters of jittered boxes (duplicates), some ties in score, descending order.
    for (int i = 0; i < n; i++) {
      float cx = 20 + 8 * rnd.nextInt(12);
      float cy = 20 + 8 * rnd.nextInt(12);
      float w = 4 + rnd.nextInt(30);
      float h = 4 + rnd.nextInt(30);
      xyxy[4 * i] = cx - w / 2 + rnd.nextInt(3);
      xyxy[4 * i + 1] = cy - h / 2 + rnd.nextInt(3);
      xyxy[4 * i + 2] = cx + w / 2;
      xyxy[4 * i + 3] = cy + h / 2;
      scores[i] = 1f - (i - i % 3) / (float) (n + 1); // groups of three equal scores
      classIds[i] = rnd.nextInt(classes);
      queries[i] = rnd.nextInt(Math.max(1, n / 2));
    }
    int[] perm = new int[n]; // shuffled position p holds input perm[p]
    for (int i = 0; i < n; i++) {
      perm[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = rnd.nextInt(i + 1);
      int t = perm[i];
      perm[i] = perm[j];
      perm[j] = t;
    }
    float[] sx = new float[4 * n];
    float[] ss = new float[n];
    int[] sc = new int[n];
    int[] sq = new int[n];
    int[] position = new int[n];
    // Ties must keep their relative order (the suppressor breaks them by input index): each group
    // of equal
    // scores is re-laid in input order over its shuffled slots.
    for (int p = 0; p < n; p++) {
      position[perm[p]] = p;
    }
    for (int g = 0; g < n; g += 3) {
      int end = Math.min(n, g + 3);
      int[] slots = new int[end - g];
      for (int i = g; i < end; i++) {
        slots[i - g] = position[i];
      }
      Arrays.sort(slots);
      for (int i = g; i < end; i++) {
        position[i] = slots[i - g];
      }
    }
    for (int i = 0; i < n; i++) {
      int p = position[i];
      System.arraycopy(xyxy, 4 * i, sx, 4 * p, 4);
      ss[p] = scores[i];
      sc[p] = classIds[i];
      sq[p] = queries[i];
    }

    SuppressionResult ordered = suppressor.suppress(xyxy, scores, classIds, queries, n);
    SuppressionResult shuffled = suppressor.suppress(sx, ss, sc, sq, n);

    assertThat(shuffled.detections().size()).isEqualTo(ordered.detections().size());
    assertThat(shuffled.detections()).isEqualTo(ordered.detections());
    assertThat(shuffled.suppressions()).hasSameSizeAs(ordered.suppressions());
    for (int r = 0; r < ordered.suppressions().size(); r++) {
      Suppression a = ordered.suppressions().get(r);
      Suppression b = shuffled.suppressions().get(r);
      assertThat(b.candidateIndex()).isEqualTo(position[a.candidateIndex()]);
      assertThat(b.suppressed()).isEqualTo(a.suppressed());
      assertThat(b.survivorIndex()).isEqualTo(a.survivorIndex());
      assertThat(b.rule()).isEqualTo(a.rule());
      assertThat(b.metric()).isEqualTo(a.metric());
      assertThat(Float.floatToIntBits(b.overlap())).isEqualTo(Float.floatToIntBits(a.overlap()));
    }
    assertThat(ordered.suppressions().size() + ordered.detections().size()).isLessThanOrEqualTo(n);
  }
}
