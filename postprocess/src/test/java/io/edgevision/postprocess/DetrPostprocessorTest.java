package io.edgevision.postprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DetrPostprocessorTest {
  private static float logit(double p) {
    return (float) Math.log(p / (1 - p));
  }

  /** Two queries, three classes; boxes: query 0 centred left, query 1 centred right. */
  private static final float[] BOXES = {0.25f, 0.5f, 0.2f, 0.4f, 0.75f, 0.5f, 0.2f, 0.4f};

  static Stream<Arguments> decodings() {
    float[] sigmoid = {logit(0.9), logit(0.6), logit(0.05), logit(0.2), logit(0.05), logit(0.7)};
    float[] softmax = {3f, 1f, 0f, 0f, 0f, 0f, 0f, 5f}; // 2 queries x (3 classes + no object)
    return Stream.of(
        // Top-k over Q x C: query 0 yields two labels (0.9 and 0.6); flat index -> (query, label).
        Arguments.of(
            DetrDecoding.SIGMOID_TOPK,
            sigmoid,
            3,
            new int[][] {{0, 0}, {1, 2}, {0, 1}},
            new float[] {0.9f, 0.7f, 0.6f}),
        // Top-k with k = 2: the 0.6 label is not selected.
        Arguments.of(
            DetrDecoding.SIGMOID_TOPK,
            sigmoid,
            2,
            new int[][] {{0, 0}, {1, 2}},
            new float[] {0.9f, 0.7f}),
        // One label per query: best class of each query, in query order.
        Arguments.of(
            DetrDecoding.SIGMOID_ONE_PER_QUERY,
            sigmoid,
            300,
            new int[][] {{0, 0}, {1, 2}},
            new float[] {0.9f, 0.7f}),
        // Softmax + no object: query 1 is mostly "no object" -> its best real class has a low
        // score.
        Arguments.of(
            DetrDecoding.SOFTMAX_NO_OBJECT,
            softmax,
            300,
            new int[][] {{0, 0}, {1, 0}},
            new float[] {
              (float) (Math.exp(3) / (Math.exp(3) + Math.exp(1) + 2)),
              (float) (1 / (3 + Math.exp(5)))
            }));
  }

  @ParameterizedTest(name = "{0} k={2}")
  @MethodSource("decodings")
  void decodingModes(DetrDecoding mode, float[] logits, int k, int[][] queryLabel, float[] scores) {
    DetrPostprocessor post =
        DetrPostprocessor.builder(100, 50)
            .decoding(mode)
            .numSelect(k)
            .scoreThreshold(0f)
            .candidateThreshold(0f)
            .build();
    DetrResult r = post.decode(logits, BOXES, 2, BoxTransform.IDENTITY);
    assertThat(r.decoding()).isEqualTo(mode);
    assertThat(r.detections()).hasSize(queryLabel.length);
    for (int i = 0; i < queryLabel.length; i++) {
      Detection d = r.detections().get(i);
      assertThat(d.queryIndex()).isEqualTo(queryLabel[i][0]);
      assertThat(d.classId()).isEqualTo(queryLabel[i][1]);
      assertThat(d.score()).isCloseTo(scores[i], within(1e-6f));
      // cx,cy,w,h normalised -> pixels of the 100x50 input.
      float cx = BOXES[4 * d.queryIndex()] * 100;
      assertThat(new float[] {d.box().x1(), d.box().y1(), d.box().x2(), d.box().y2()})
          .containsExactly(new float[] {cx - 10, 15, cx + 10, 35}, within(1e-4f));
    }
  }

  static Stream<Arguments> autoRule() {
    return Stream.of(
        // numClasses known, C columns -> sigmoid top-k.
        Arguments.of(80, 80, DetrDecoding.SIGMOID_TOPK),
        // numClasses known, C + 1 columns -> softmax with no object.
        Arguments.of(80, 81, DetrDecoding.SOFTMAX_NO_OBJECT),
        // numClasses unknown, 92 columns -> original DETR COCO head.
        Arguments.of(0, 92, DetrDecoding.SOFTMAX_NO_OBJECT),
        // numClasses unknown, 91 columns -> DINO / Deformable-DETR COCO head.
        Arguments.of(0, 91, DetrDecoding.SIGMOID_TOPK),
        // numClasses unknown, 80 columns -> DEIM / RT-DETR COCO-80.
        Arguments.of(0, 80, DetrDecoding.SIGMOID_TOPK));
  }

  @ParameterizedTest(name = "numClasses={0} columns={1} -> {2}")
  @MethodSource("autoRule")
  void autoResolvesFromTheShape(int numClasses, int columns, DetrDecoding expected) {
    assertThat(DetrDecoding.resolve(DetrDecoding.AUTO, columns, numClasses)).isEqualTo(expected);
  }

  @Test
  void autoRejectsAWidthThatContradictsNumClasses() {
    assertThatThrownBy(() -> DetrDecoding.resolve(DetrDecoding.AUTO, 79, 80))
        .hasMessage("expected 80 (sigmoid) or 81 (softmax + no object) logits columns, got 79");
    assertThatThrownBy(() -> DetrDecoding.resolve(DetrDecoding.BAKED, 80, 0))
        .hasMessageContaining("processBaked");
  }

  /**
   * Top-k with the bounded heap equals a full sort of Q x C (the reference) on random logits with
   * ties.
   */
  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void topKMatchesAFullSortReference(long seed) {
    Random rnd = new Random(seed);
    int q = 50 + rnd.nextInt(300);
    int c = 1 + rnd.nextInt(95);
    int k = 1 + rnd.nextInt(400);
    float[] logits = new float[q * c];
    for (int i = 0; i < logits.length; i++) {
      logits[i] = Math.round(rnd.nextGaussian() * 30) / 10f - 3f; // coarse values: many ties
    }
    float[] boxes = new float[4 * q];
    Arrays.fill(boxes, 0.5f);
    DetrResult r =
        DetrPostprocessor.builder(10, 10)
            .decoding(DetrDecoding.SIGMOID_TOPK)
            .numSelect(k)
            .scoreThreshold(0f)
            .candidateThreshold(0f)
            .build()
            .decode(logits, boxes, q, BoxTransform.IDENTITY);
    int[] expected =
        IntStream.range(0, logits.length)
            .boxed()
            .sorted(Comparator.<Integer>comparingDouble(i -> -logits[i]).thenComparingInt(i -> i))
            .limit(k)
            .mapToInt(Integer::intValue)
            .toArray();
    int[] got = r.detections().stream().mapToInt(d -> d.queryIndex() * c + d.classId()).toArray();
    assertThat(got).containsExactly(expected);
  }

  static Stream<Long> seeds() {
    return Stream.of(1L, 2L, 3L, 4L, 5L, 6L);
  }

  @Test
  void candidateThresholdFiltersBeforeSuppressionAndScoreThresholdAfter() {
    float[] logits = {logit(0.45), logit(0.18), logit(0.05)};
    float[] boxes = {0.5f, 0.5f, 0.2f, 0.2f};
    DetrResult r =
        DetrPostprocessor.builder(100, 100)
            .scoreThreshold(0.3f)
            .candidateThreshold(0.1f)
            .build()
            .process(logits, boxes, 1, BoxTransform.IDENTITY);
    assertThat(r.candidateCount()).isEqualTo(2);
    assertThat(r.detections()).hasSize(1);
    assertThat(r.detections().get(0).alternatives())
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.classId()).isEqualTo(1);
              assertThat(a.score()).isCloseTo(0.18f, within(1e-6f));
            });
  }

  /**
   * COCO 359 (MANIFEST): one query's box under 4 labels in the raw DEIMv2 layout (100 queries x 80
   * classes).
   */
  @Test
  void coco359RawLayoutGivesOneTrafficLightWithAlternatives() {
    int q = 100;
    int c = 80;
    float[] logits = new float[q * c];
    Arrays.fill(logits, -8f);
    int query = 37;
    logits[query * c + 9] = logit(0.45);
    logits[query * c + 14] = logit(0.18);
    logits[query * c + 0] = logit(0.17);
    logits[query * c + 77] = logit(0.15);
    float[] boxes = new float[4 * q];
    for (int i = 0; i < q; i++) {
      boxes[4 * i] = 0.1f + 0.008f * i;
      boxes[4 * i + 1] = 0.5f;
      boxes[4 * i + 2] = 0.05f;
      boxes[4 * i + 3] = 0.05f;
    }
    // [242.5, 98.9, 297.8, 122.3] in a 640x427 frame, as normalised cx,cy,w,h of a 320x320 plain
    // resize.
    boxes[4 * query] = (242.5f + 297.8f) / 2 / 640;
    boxes[4 * query + 1] = (98.9f + 122.3f) / 2 / 427;
    boxes[4 * query + 2] = (297.8f - 242.5f) / 640;
    boxes[4 * query + 3] = (122.3f - 98.9f) / 427;
    DetrPostprocessor post = DetrPostprocessor.builder(320, 320).numClasses(80).build();
    DetrResult r = post.process(logits, boxes, q, BoxTransform.resize(640, 427, 320, 320));
    assertThat(r.decoding()).isEqualTo(DetrDecoding.SIGMOID_TOPK);
    assertThat(r.detections()).hasSize(1);
    Detection light = r.detections().get(0);
    assertThat(light.classId()).isEqualTo(9);
    assertThat(light.queryIndex()).isEqualTo(query);
    assertThat(light.score()).isCloseTo(0.45f, within(1e-6f));
    assertThat((double) light.box().x1()).isCloseTo(242.5, within(0.01));
    assertThat((double) light.box().y2()).isCloseTo(122.3, within(0.01));
    assertThat(light.alternatives()).extracting(LabelScore::classId).containsExactly(14, 0, 77);
    assertThat(r.suppressions())
        .hasSize(3)
        .allSatisfy(s -> assertThat(s.rule()).isEqualTo(SuppressionRule.SAME_QUERY));
  }

  @Test
  void bakedLayoutRemovesARepeatedQueryByTheCrossClassRule() {
    long[] labels = {9, 14, 2};
    float[] boxes = {242.5f, 98.9f, 297.8f, 122.3f, 242.5f, 98.9f, 297.8f, 122.3f, 10, 10, 50, 40};
    float[] scores = {0.45f, 0.32f, 0.31f};
    DetrPostprocessor post = DetrPostprocessor.builder(320, 320).build();
    DetrResult r = post.processBaked(labels, boxes, scores, BoxTransform.IDENTITY);
    assertThat(r.decoding()).isEqualTo(DetrDecoding.BAKED);
    assertThat(r.detections()).extracting(Detection::classId).containsExactly(9, 2);
    assertThat(r.detections().get(0).alternatives()).containsExactly(new LabelScore(14, 0.32f));
    assertThat(r.suppressions())
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.rule()).isEqualTo(SuppressionRule.CROSS_CLASS);
              assertThat(s.overlap()).isEqualTo(1f);
            });
    DetrResult ints = post.processBaked(new int[] {9, 14, 2}, boxes, scores, BoxTransform.IDENTITY);
    assertThat(ints.detections()).isEqualTo(r.detections());
    assertThatThrownBy(
            () -> post.processBaked(new long[] {-1, 0, 0}, boxes, scores, BoxTransform.IDENTITY))
        .hasMessage("expected labels[0] in [0, 2^31), got -1");
  }

  @Test
  void nonFiniteBoxesAreCountedAndNanLogitsNeverSelected() {
    float[] logits = {logit(0.9), Float.NaN, logit(0.8), logit(0.7)};
    float[] boxes = {0.5f, 0.5f, 0.1f, 0.1f, Float.NaN, 0.5f, 0.1f, 0.1f};
    DetrResult r =
        DetrPostprocessor.builder(100, 100)
            .numClasses(2)
            .build()
            .process(logits, boxes, 2, BoxTransform.IDENTITY);
    assertThat(r.invalidCount()).isEqualTo(2); // query 1's two labels have a NaN box
    assertThat(r.detections()).extracting(Detection::queryIndex).containsExactly(0);
    assertThat(r.candidateCount()).isEqualTo(3);
  }

  @Test
  void shapesAreValidated() {
    DetrPostprocessor post = DetrPostprocessor.builder(10, 10).build();
    assertThatThrownBy(() -> post.process(new float[5], new float[8], 2, BoxTransform.IDENTITY))
        .hasMessage("expected logits.length to be a positive multiple of numQueries = 2, got 5");
    assertThatThrownBy(() -> post.process(new float[4], new float[7], 2, BoxTransform.IDENTITY))
        .hasMessage("expected 8 box values (4 per query), got 7");
    assertThatThrownBy(
            () ->
                DetrPostprocessor.builder(10, 10)
                    .scoreThreshold(0.2f)
                    .candidateThreshold(0.3f)
                    .build())
        .hasMessageContaining("candidateThreshold <= scoreThreshold");
    assertThat(post.process(new float[0], new float[0], 0, BoxTransform.IDENTITY).detections())
        .isEmpty();
  }

  @Test
  void stateDecoderAnnotatesEachDetection() {
    LabelSchema schema = StateDecoderTest.schema();
    DetrPostprocessor post =
        DetrPostprocessor.builder(100, 100)
            .numClasses(schema.size())
            .stateDecoder(StateDecoder.builder(schema).confidenceFloor(0.5f).build())
            .build();
    float[] logits = new float[schema.size()];
    Arrays.fill(logits, -9f);
    logits[1] = logit(0.8); // red_left
    logits[0] = logit(0.2); // red
    DetrResult r =
        post.process(logits, new float[] {0.5f, 0.5f, 0.1f, 0.1f}, 1, BoxTransform.IDENTITY);
    assertThat(r.states()).hasSize(1);
    LightState s = r.states().get(0);
    assertThat(s.colour()).isEqualTo(Colour.RED);
    assertThat(s.arrows()).containsExactly(Arrow.LEFT);
    assertThat(s.confidence()).isCloseTo(0.8f, within(1e-5f));
    assertThat(s.colourProbability(Colour.RED)).isCloseTo(1f, within(1e-5f));
  }

  @Test
  void workspaceReuseMatchesFreshCallsAndAllocatesNothingInSteadyState() {
    Random rnd = new Random(11);
    int q = 300;
    int c = 80;
    float[] logits = new float[q * c];
    for (int i = 0; i < logits.length; i++) {
      logits[i] = (float) (rnd.nextGaussian() * 2 - 5);
    }
    float[] boxes = new float[4 * q];
    for (int i = 0; i < q; i++) {
      boxes[4 * i] = rnd.nextFloat();
      boxes[4 * i + 1] = rnd.nextFloat();
      boxes[4 * i + 2] = 0.02f + 0.1f * rnd.nextFloat();
      boxes[4 * i + 3] = 0.02f + 0.1f * rnd.nextFloat();
    }
    DetrPostprocessor post = DetrPostprocessor.builder(640, 640).numClasses(c).build();
    BoxTransform t = BoxTransform.letterbox(1280, 720, 640, 640);
    DetrWorkspace ws = new DetrWorkspace();
    DetrResult fresh = post.process(logits, boxes, q, t);
    assertThat(post.process(logits, boxes, q, t, ws)).isEqualTo(fresh);
    assertThat(post.process(logits, boxes, q, t, ws)).isEqualTo(fresh);
    long bytes = Allocation.measure(() -> post.processInto(logits, boxes, q, t, ws), 2000);
    assertThat(bytes).as("bytes allocated per 2000 steady-state calls").isLessThan(1024);
    assertThat(ws.output().size()).isEqualTo(fresh.detections().size());
  }

  @Test
  void sharedPostprocessorFromSeveralThreads() throws Exception {
    DetrPostprocessor post =
        DetrPostprocessor.builder(640, 640).numClasses(80).scoreThreshold(0.2f).build();
    List<float[][]> inputs = new java.util.ArrayList<>();
    List<DetrResult> expected = new java.util.ArrayList<>();
    for (int s = 0; s < 8; s++) {
      Random rnd = new Random(s);
      float[] logits = new float[100 * 80];
      for (int i = 0; i < logits.length; i++) {
        logits[i] = (float) (rnd.nextGaussian() * 2 - 4);
      }
      float[] boxes = new float[400];
      for (int i = 0; i < 400; i++) {
        boxes[i] = 0.05f + 0.5f * rnd.nextFloat();
      }
      inputs.add(new float[][] {logits, boxes});
      expected.add(post.process(logits, boxes, 100, BoxTransform.IDENTITY));
    }
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(4);
    try {
      List<java.util.concurrent.Future<?>> futures = new java.util.ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int offset = t;
        futures.add(
            pool.submit(
                () -> {
                  DetrWorkspace ws = new DetrWorkspace();
                  for (int iter = 0; iter < 100; iter++) {
                    int i = (iter + offset) % inputs.size();
                    DetrResult got =
                        post.process(
                            inputs.get(i)[0], inputs.get(i)[1], 100, BoxTransform.IDENTITY, ws);
                    if (!got.equals(expected.get(i))) {
                      throw new AssertionError("thread " + offset + " input " + i + " differs");
                    }
                  }
                }));
      }
      for (java.util.concurrent.Future<?> f : futures) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  static Stream<Arguments> twoStepCases() {
    float[] sigmoid = {logit(0.9), logit(0.6), logit(0.05), logit(0.2), logit(0.05), logit(0.7)};
    float[] softmax = {3f, 1f, 0f, 0f, 0f, 0f, 0f, 5f};
    return Stream.of(
        // sigmoid top-k, the same-query rule folds query 0's second label into its first
        Arguments.of(DetrDecoding.SIGMOID_TOPK, sigmoid),
        // one label per query: nothing to suppress, two survivors
        Arguments.of(DetrDecoding.SIGMOID_ONE_PER_QUERY, sigmoid),
        // softmax with "no object"
        Arguments.of(DetrDecoding.SOFTMAX_NO_OBJECT, softmax));
  }

  /**
   * decodeInto + suppressInto is the fused processInto, split so that callers can time the two
   * stages.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("twoStepCases")
  void decodeThenSuppressIsProcess(DetrDecoding mode, float[] logits) {
    DetrPostprocessor post =
        DetrPostprocessor.builder(100, 50)
            .decoding(mode)
            .scoreThreshold(0.1f)
            .candidateThreshold(0f)
            .build();
    DetrWorkspace ws = new DetrWorkspace();
    int candidates = post.decodeInto(logits, BOXES, 2, BoxTransform.IDENTITY, ws);
    assertThat(candidates).isEqualTo(ws.candidateCount()).isPositive();
    int n = post.suppressInto(ws);
    assertThat(n).isEqualTo(ws.output().size());
    DetrResult fused = post.process(logits, BOXES, 2, BoxTransform.IDENTITY);
    assertThat(ws.output().toResult())
        .isEqualTo(
            new SuppressionResult(fused.detections(), fused.suppressions(), fused.invalidCount()));
  }

  @Test
  void decodeBakedThenSuppressIsProcessBaked() {
    long[] labels = {9, 0, 9, 2};
    float[] boxes = {10, 10, 20, 30, 10, 10, 20, 30, 50, 50, 60, 70, 5, 5, 5, 9};
    float[] scores = {0.8f, 0.3f, 0.05f, 0.6f};
    DetrPostprocessor post = DetrPostprocessor.builder(1, 1).build();
    DetrWorkspace ws = new DetrWorkspace();
    // row 2 is below the candidate threshold 0.1; row 3 has zero width (kept as a candidate,
    // counted invalid)
    assertThat(post.decodeBakedInto(labels, boxes, scores, BoxTransform.IDENTITY, ws)).isEqualTo(3);
    assertThat(ws.candidateValid(0)).isTrue();
    assertThat(ws.candidateValid(2)).as("zero-width box").isFalse();
    assertThat(ws.candidate(1))
        .isEqualTo(
            new Detection(new Box(10, 10, 20, 30), 0, 0.3f, Detection.UNKNOWN_QUERY, List.of()));
    assertThat(ws.candidateScore(2)).isEqualTo(0.6f);
    assertThatThrownBy(() -> ws.candidate(3))
        .isInstanceOf(IndexOutOfBoundsException.class)
        .hasMessageContaining("expected 0 <= i < 3, got 3");
    post.suppressInto(ws);
    DetrResult fused = post.processBaked(labels, boxes, scores, BoxTransform.IDENTITY);
    assertThat(ws.output().toResult())
        .isEqualTo(
            new SuppressionResult(fused.detections(), fused.suppressions(), fused.invalidCount()));
    assertThat(ws.output().invalidCount()).isEqualTo(1);
    // the report's suppressed detection is the candidate it names
    assertThat(ws.output().suppressionCount()).isEqualTo(1);
    assertThat(ws.output().suppressed(0))
        .isEqualTo(ws.candidate(ws.output().suppressedCandidate(0)));
  }
}
