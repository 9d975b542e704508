package io.edgevision.postprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class NmsTest {
  // Three boxes: 0 and 1 overlap with IoU 0.6 (0..100 vs 0..100 shifted 25 -> I=75x100... see each
  // case).
  private static final float[] BOXES = {
    0, 0, 100, 100, // 0
    0, 25, 100, 125, // 1: IoU with 0 = 7500 / 12500 = 0.6
    200, 0, 300, 100, // 2: disjoint
    0, 0, 100, 60 // 3: nested in 0, IoU 0.6, IoMin 1
  };
  private static final float[] SCORES = {0.9f, 0.8f, 0.7f, 0.6f};
  private static final int[] CLASSES = {0, 1, 0, 1};

  static Stream<Arguments> table() {
    return Stream.of(
        // Hard NMS at 0.5: 1 and 3 suppressed by 0 (IoU 0.6 > 0.5).
        Arguments.of(NmsOptions.hard(0.5f), new int[] {0, 2}),
        // Hard NMS at 0.6: IoU exactly 0.6 is not greater, nothing suppressed.
        Arguments.of(NmsOptions.hard(0.6f), new int[] {0, 1, 2, 3}),
        // Batched at 0.5: 1 and 3 are class 1, 0 is class 0: 3 vs 1 IoU =
        // 35x100/(12500+6000-3500)=0.233 -> kept.
        Arguments.of(NmsOptions.batched(0.5f), new int[] {0, 1, 2, 3}),
        // IoMin at 0.9: only the nested box 3 (IoMin 1) goes; 1 has IoMin 0.75.
        Arguments.of(NmsOptions.hard(0.9f).withMetric(OverlapMetric.IOMIN), new int[] {0, 1, 2}),
        // DIoU at 0.5: box 1 has DIoU 0.6 - 12.5²/(100²+125²) = 0.594 > 0.5; box 3: 0.6 -
        // 20²/(100²+100²) = 0.58.
        Arguments.of(NmsOptions.diou(0.5f), new int[] {0, 2}),
        // GIoU at 0.55: enclosing box of 0 and 1 is 12500 = union, GIoU 0.6 > 0.55: suppressed; 3
        // likewise.
        Arguments.of(NmsOptions.hard(0.55f).withMetric(OverlapMetric.GIOU), new int[] {0, 2}),
        // Score floor 0.75 drops 2 and 3 before NMS.
        Arguments.of(NmsOptions.hard(0.7f).withScoreThreshold(0.75f), new int[] {0, 1}),
        // NONE keeps everything valid, by score.
        Arguments.of(
            new NmsOptions(NmsStrategy.NONE, OverlapMetric.IOU, 0f, true, 0.5f, 0f),
            new int[] {0, 1, 2, 3}),
        // Merge at 0.5: 1 and 3 join 0's cluster; 2 alone.
        Arguments.of(NmsOptions.merge(0.5f), new int[] {0, 2}));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void strategies(NmsOptions options, int[] expected) {
    assertThat(Nms.apply(options, BOXES, SCORES, CLASSES).indices()).containsExactly(expected);
  }

  @Test
  void mergeAveragesCoordinatesByScore() {
    NmsResult r = Nms.apply(NmsOptions.merge(0.5f), BOXES, SCORES, CLASSES);
    // Cluster {0 (0.9), 1 (0.8), 3 (0.6)}: y1 = (0.9*0 + 0.8*25 + 0.6*0) / 2.3, y2 = (90 + 100 +
    // 36) / 2.3
    assertThat((double) r.box(0).y1()).isCloseTo(20.0 / 2.3, within(1e-4));
    assertThat((double) r.box(0).y2()).isCloseTo(226.0 / 2.3, within(1e-4));
    assertThat(r.score(0)).isEqualTo(0.9f);
    assertThat(r.box(1)).isEqualTo(new Box(200, 0, 300, 100));
  }

  @Test
  void softLinearDecaysOverlapsAboveTheThresholdOnly() {
    NmsResult r = Nms.apply(NmsOptions.softLinear(0.5f, 0.001f), BOXES, SCORES, null);
    // 1 and 3 (IoU 0.6 with 0) decay to 0.32 and 0.24; then 3 vs 1 IoU 0.233 < 0.5 does not decay.
    assertThat(r.indices()).containsExactly(0, 2, 1, 3);
    assertThat(r.scores()).containsExactly(new float[] {0.9f, 0.7f, 0.32f, 0.24f}, within(1e-6f));
  }

  @Test
  void softGaussianDropsBelowTheScoreThreshold() {
    NmsResult r = Nms.apply(NmsOptions.softGaussian(0.1f, 0.1f), BOXES, SCORES, null);
    // exp(-0.36 / 0.1) = 0.0273: boxes 1 and 3 fall below 0.1 and are dropped.
    assertThat(r.indices()).containsExactly(0, 2);
  }

  @Test
  void invalidBoxesAreDroppedAndCounted() {
    float[] boxes = {0, 0, 10, 10, 5, 5, 5, 9, 3, 3, 1, 9, Float.NaN, 0, 1, 1, 0, 0, 10, 10};
    float[] scores = {0.5f, 0.9f, 0.9f, 0.9f, Float.POSITIVE_INFINITY};
    NmsResult r = Nms.hard(boxes, scores, 0.5f);
    assertThat(r.indices()).containsExactly(0);
    assertThat(r.invalidCount()).isEqualTo(4);
  }

  @Test
  void tiesKeepTheLowerIndexFirst() {
    float[] boxes = {0, 0, 10, 10, 0, 0, 10, 10};
    assertThat(Nms.hard(boxes, new float[] {0.5f, 0.5f}, 0.5f).indices()).containsExactly(0);
  }

  @Test
  void rejectsInconsistentInputs() {
    assertThatThrownBy(() -> Nms.hard(new float[7], new float[2], 0.5f))
        .hasMessage("expected xyxy.length == 4 * scores.length = 8, got 7");
    assertThatThrownBy(() -> Nms.apply(NmsOptions.batched(0.5f), new float[4], new float[1], null))
        .hasMessageContaining("expected classIds for class-aware NMS");
    assertThatThrownBy(() -> NmsOptions.hard(1.5f)).hasMessageContaining("got 1.5");
  }

  static Stream<Arguments> properties() {
    return Stream.of(
        Arguments.of(1L, NmsOptions.hard(0.3f)),
        Arguments.of(2L, NmsOptions.hard(0.5f)),
        Arguments.of(3L, NmsOptions.batched(0.5f)),
        Arguments.of(4L, NmsOptions.batched(0.7f)),
        Arguments.of(5L, NmsOptions.diou(0.4f)),
        Arguments.of(6L, NmsOptions.hard(0.6f).withMetric(OverlapMetric.IOMIN)),
        Arguments.of(7L, NmsOptions.hard(0.2f).withMetric(OverlapMetric.GIOU)));
  }

  /**
   * Kept ⊆ input, sorted by score, no kept pair above the threshold, every drop explained,
   * idempotent.
   */
  @ParameterizedTest(name = "seed {0}: {1}")
  @MethodSource("properties")
  void randomizedProperties(long seed, NmsOptions options) {
    Random rnd = new Random(seed);
    int n = 300;
    float[] boxes = new float[4 * n];
    float[] scores = new float[n];
    int[] classes = new int[n];
    for (int i = 0; i < n; i++) {
      float x = rnd.nextFloat() * 500;
      float y = rnd.nextFloat() * 500;
      float s = 10 + rnd.nextFloat() * 80;
      boxes[4 * i] = x;
      boxes[4 * i + 1] = y;
      boxes[4 * i + 2] = x + s * (0.5f + rnd.nextFloat());
      boxes[4 * i + 3] = y + s;
      scores[i] = rnd.nextFloat();
      classes[i] = rnd.nextInt(3);
    }
    NmsResult r = Nms.apply(options, boxes, scores, classes);
    int[] kept = r.indices();
    assertThat(Arrays.stream(kept).distinct().count()).isEqualTo(kept.length);
    for (int k = 1; k < kept.length; k++) {
      assertThat(scores[kept[k]]).isLessThanOrEqualTo(scores[kept[k - 1]]);
    }
    boolean[] isKept = new boolean[n];
    for (int i : kept) {
      isKept[i] = true;
    }
    for (int a = 0; a < kept.length; a++) {
      for (int b = a + 1; b < kept.length; b++) {
        if (options.classAgnostic() || classes[kept[a]] == classes[kept[b]]) {
          assertThat(options.metric().between(boxes, kept[a], boxes, kept[b]))
              .isLessThanOrEqualTo(options.threshold());
        }
      }
    }
    for (int i = 0; i < n; i++) {
      if (isKept[i]) {
        continue;
      }
      boolean explained = false;
      for (int k : kept) {
        explained |=
            scores[k] >= scores[i]
                && (options.classAgnostic() || classes[k] == classes[i])
                && options.metric().between(boxes, k, boxes, i) > options.threshold();
      }
      assertThat(explained).as("box %d suppressed by a kept, higher-scored box", i).isTrue();
    }
    float[] keptBoxes = r.boxes();
    float[] keptScores = r.scores();
    int[] keptClasses = Arrays.stream(kept).map(i -> classes[i]).toArray();
    NmsResult again = Nms.apply(options, keptBoxes, keptScores, keptClasses);
    assertThat(again.size()).as("idempotent").isEqualTo(kept.length);
  }
}
