package io.edgevision.postprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class DuplicateSuppressorTest {
  private static final DuplicateSuppressor DEFAULTS = DuplicateSuppressor.defaults();

  /**
   * A row of the rule table: expected survivors (input indices, in output order) and report lines.
   */
  private static Arguments row(
      String name, DuplicateSuppressor s, Cands c, int[] survivors, String... report) {
    return Arguments.of(name, s, c, survivors, List.of(report));
  }

  static Stream<Arguments> rules() {
    DuplicateSuppressor noQuery = DEFAULTS.toBuilder().sameQuery(false).build();
    DuplicateSuppressor noCross = DEFAULTS.toBuilder().crossClass(false).build();
    DuplicateSuppressor noPerClass = DEFAULTS.toBuilder().perClass(false).build();
    DuplicateSuppressor permissive =
        DEFAULTS.toBuilder().perClass(OverlapMetric.IOU, 0.05f).build();
    DuplicateSuppressor permissiveNoGuard = permissive.toBuilder().neighbourGuard(false).build();
    DuplicateSuppressor anyNested = DEFAULTS.toBuilder().nestedAreaRatio(0f).build();
    DuplicateSuppressor diouPerClass =
        DEFAULTS.toBuilder().perClass(OverlapMetric.DIOU, 0.4f).build();
    DuplicateSuppressor thresholded = DEFAULTS.toBuilder().scoreThreshold(0.5f).build();
    return Stream.of(
        // Rule 1: the same query under two labels collapses into its best label.
        row(
            "same query, two labels",
            DEFAULTS,
            Cands.of().add(0, 0, 10, 25, 0.9f, 1, 7).add(0, 0, 10, 25, 0.3f, 2, 7),
            new int[] {0},
            "1->0 SAME_QUERY IOU 1.000"),
        // Rule 1 off: identical boxes with different labels fall to rule 2 (IoU 1 > 0.7).
        row(
            "same query off, cross-class catches it",
            noQuery,
            Cands.of().add(0, 0, 10, 25, 0.9f, 1, 7).add(0, 0, 10, 25, 0.3f, 2, 7),
            new int[] {0},
            "1->0 CROSS_CLASS IOU 1.000"),
        // Rules 1 and 2 off: the two labels both survive.
        row(
            "same query and cross-class off",
            noQuery.toBuilder().crossClass(false).build(),
            Cands.of().add(0, 0, 10, 25, 0.9f, 1, 7).add(0, 0, 10, 25, 0.3f, 2, 7),
            new int[] {0, 1}),
        // Unknown queries (-1) never collapse by rule 1.
        row(
            "unknown queries do not collapse",
            noCross,
            Cands.of().add(0, 0, 10, 25, 0.9f, 1, -1).add(0, 0, 10, 25, 0.3f, 2, -1),
            new int[] {0, 1}),
        // Rule 2: different label, different query, IoU 0.8 > 0.7.
        row(
            "cross-class near-identical box",
            DEFAULTS,
            Cands.of().add(0, 0, 100, 100, 0.8f, 1, 0).add(0, 0, 100, 80, 0.6f, 2, 1),
            new int[] {0},
            "1->0 CROSS_CLASS IOU 0.800"),
        // Rule 2: IoU 0.6 <= 0.7 and not nested: both kept (person by a bicycle).
        row(
            "cross-class moderate overlap kept",
            DEFAULTS,
            Cands.of().add(0, 0, 100, 100, 0.8f, 1, 0).add(0, 20, 100, 120, 0.6f, 2, 1),
            new int[] {0, 1}),
        // Rule 2 nested: a box 100 % inside, 0.6 of the area: IoMin 1 > 0.85, ratio >= 0.5.
        row(
            "cross-class nested box",
            DEFAULTS,
            Cands.of().add(0, 0, 100, 100, 0.8f, 1, 0).add(0, 0, 100, 60, 0.6f, 2, 1),
            new int[] {0},
            "1->0 CROSS_CLASS IOMIN 1.000"),
        // Rule 2 nested but small (a tie on a person, area ratio 0.04): kept.
        row(
            "small nested object kept",
            DEFAULTS,
            Cands.of().add(0, 0, 100, 100, 0.8f, 1, 0).add(40, 40, 60, 60, 0.6f, 2, 1),
            new int[] {0, 1}),
        // Same, with the area-ratio guard off: suppressed by IoMin.
        row(
            "small nested object, ratio 0",
            anyNested,
            Cands.of().add(0, 0, 100, 100, 0.8f, 1, 0).add(40, 40, 60, 60, 0.6f, 2, 1),
            new int[] {0},
            "1->0 CROSS_CLASS IOMIN 1.000"),
        // Rule 2 off: the near-identical box with another label survives.
        row(
            "cross-class off",
            noCross,
            Cands.of().add(0, 0, 100, 100, 0.8f, 1, 0).add(0, 0, 100, 80, 0.6f, 2, 1),
            new int[] {0, 1}),
        // Rule 3: same label, IoU 0.6 > 0.5.
        row(
            "per-class duplicate",
            DEFAULTS,
            Cands.of().add(0, 0, 100, 100, 0.8f, 1, 0).add(0, 25, 100, 100, 0.6f, 1, 1),
            new int[] {0},
            "1->0 PER_CLASS IOU 0.750"),
        // Rule 3: same label, IoU 1/3 <= 0.5: kept (two overlapping objects).
        row(
            "per-class low overlap kept",
            DEFAULTS,
            Cands.of().add(0, 0, 100, 100, 0.8f, 1, 0).add(0, 50, 100, 150, 0.6f, 1, 1),
            new int[] {0, 1}),
        // Rule 3 off: the same-label duplicate survives.
        row(
            "per-class off",
            noPerClass,
            Cands.of().add(0, 0, 100, 100, 0.8f, 1, 0).add(0, 25, 100, 100, 0.6f, 1, 1),
            new int[] {0, 1}),
        // Rule 3 with DIoU: IoU 0.75, centres 12.5 px apart in a 100x100 box: DIoU 0.742 > 0.4.
        row(
            "per-class with DIoU",
            diouPerClass,
            Cands.of().add(0, 0, 100, 100, 0.8f, 1, 0).add(0, 25, 100, 100, 0.6f, 1, 1),
            new int[] {0},
            "1->0 PER_CLASS DIOU 0.742"),
        // Rule 4: adjacent lamps overlapping 3 px, same label, permissive NMS (IoU 0.176 > 0.05):
        // guard keeps both.
        row(
            "neighbour guard keeps adjacent lamps",
            permissive,
            Cands.of().add(0, 0, 10, 25, 0.8f, 1, 0).add(7, 0, 17, 25, 0.7f, 1, 1),
            new int[] {0, 1}),
        // Rule 4 off: the same pair is suppressed by permissive per-class NMS.
        row(
            "neighbour guard off",
            permissiveNoGuard,
            Cands.of().add(0, 0, 10, 25, 0.8f, 1, 0).add(7, 0, 17, 25, 0.7f, 1, 1),
            new int[] {0},
            "1->0 PER_CLASS IOU 0.176"),
        // Rule 4: vertically stacked lamps with different labels (red above yellow), touching:
        // kept.
        row(
            "stacked lamps with different labels",
            permissive,
            Cands.of().add(0, 0, 10, 10, 0.8f, 1, 0).add(0, 8, 10, 18, 0.7f, 2, 1),
            new int[] {0, 1}),
        // Ownership: query 5's best label is suppressed by query 3; its second label follows to
        // query 3's survivor.
        row(
            "query owner follows its absorber",
            DEFAULTS,
            Cands.of()
                .add(0, 0, 100, 100, 0.9f, 1, 3)
                .add(0, 0, 100, 95, 0.8f, 2, 5)
                .add(0, 0, 100, 95, 0.4f, 4, 5),
            new int[] {0},
            "1->0 CROSS_CLASS IOU 0.950",
            "2->0 SAME_QUERY IOU 0.950"),
        // Output threshold: a survivor below 0.5 is not output and neither are its suppressions.
        row(
            "survivor below the output threshold",
            thresholded,
            Cands.of()
                .add(0, 0, 10, 10, 0.9f, 1, 0)
                .add(50, 50, 60, 60, 0.4f, 1, 1)
                .add(50, 50, 60, 60, 0.2f, 2, 1),
            new int[] {0}),
        // Higher-scored survivors claim first: the lower survivor cannot suppress what the higher
        // one did.
        row(
            "first survivor in score order wins",
            DEFAULTS,
            Cands.of()
                .add(0, 0, 100, 100, 0.9f, 1, 0)
                .add(0, 0, 100, 100, 0.5f, 1, 1)
                .add(200, 0, 300, 100, 0.8f, 1, 2),
            new int[] {0, 2},
            "1->0 PER_CLASS IOU 1.000"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rules")
  void ruleTable(
      String name, DuplicateSuppressor s, Cands c, int[] survivors, List<String> report) {
    SuppressionWorkspace ws = new SuppressionWorkspace();
    int n = s.suppressInto(c.xyxy(), c.scores(), c.classes(), c.queries(), c.size(), ws);
    int[] got = new int[n];
    for (int k = 0; k < n; k++) {
      got[k] = ws.candidateIndex(k);
    }
    assertThat(got).as("survivors").containsExactly(survivors);
    List<String> lines = new ArrayList<>();
    for (int r = 0; r < ws.suppressionCount(); r++) {
      lines.add(
          String.format(
              java.util.Locale.ROOT,
              "%d->%d %s %s %.3f",
              ws.suppressedCandidate(r),
              ws.candidateIndex(ws.suppressorIndex(r)),
              ws.suppressionRule(r),
              ws.suppressionMetric(r),
              ws.suppressionOverlap(r)));
    }
    assertThat(lines).as("report").containsExactlyElementsOf(report);
    // The owned result says the same.
    SuppressionResult owned = c.run(s);
    assertThat(owned.detections()).hasSize(survivors.length);
    assertThat(owned.suppressions()).hasSize(report.size());
  }

  @Test
  void alternativesCollectOtherLabelsBestFirstOncePerClassAndCapped() {
    DuplicateSuppressor s = DEFAULTS.toBuilder().maxAlternatives(2).build();
    Cands c =
        Cands.of()
            .add(0, 0, 10, 25, 0.9f, 1, 0)
            .add(0, 0, 10, 25, 0.5f, 2, 0) // alternative 1
            .add(0, 0, 10, 24, 0.45f, 2, 1) // class 2 again, lower: not listed twice
            .add(0, 0, 10, 25, 0.4f, 3, 0) // alternative 2
            .add(0, 0, 10, 25, 0.3f, 4, 0) // over the cap of 2
            .add(0, 0, 10, 25, 0.2f, 1, 0); // own class: never an alternative
    SuppressionResult r = c.run(s);
    assertThat(r.detections()).hasSize(1);
    assertThat(r.detections().get(0).alternatives())
        .containsExactly(new LabelScore(2, 0.5f), new LabelScore(3, 0.4f));
    assertThat(r.suppressions()).hasSize(5);
  }

  @Test
  void suppressedDetectionsCarryTheirOwnDataAndTheSurvivorsOutputIndex() {
    Cands c =
        Cands.of()
            .add(50, 50, 60, 60, 0.3f, 4, 2)
            .add(0, 0, 10, 10, 0.9f, 1, 0)
            .add(50, 50, 60, 60, 0.8f, 3, 2);
    SuppressionResult r = c.run(DEFAULTS);
    assertThat(r.detections()).extracting(Detection::classId).containsExactly(1, 3);
    Suppression s = r.suppressions().get(0);
    assertThat(s.candidateIndex()).isEqualTo(0);
    assertThat(s.suppressed())
        .isEqualTo(new Detection(new Box(50, 50, 60, 60), 4, 0.3f, 2, List.of()));
    assertThat(s.survivorIndex()).isEqualTo(1);
    assertThat(s.survivor()).isSameAs(r.detections().get(1));
    assertThat(s.survivor().alternatives()).containsExactly(new LabelScore(4, 0.3f));
  }

  @Test
  void invalidCandidatesAreDroppedAndCountedNeverOutput() {
    Cands c =
        Cands.of()
            .add(0, 0, 10, 10, 0.9f, 1, 0)
            .add(5, 5, 5, 20, 0.8f, 1, 1) // zero width
            .add(10, 10, 0, 20, 0.8f, 1, 2) // inverted
            .add(Float.NaN, 0, 10, 10, 0.8f, 1, 3) // NaN coordinate
            .add(0, 0, Float.POSITIVE_INFINITY, 10, 0.8f, 1, 4) // infinite
            .add(20, 20, 30, 30, Float.NaN, 1, 5); // NaN score
    SuppressionResult r = c.run(DEFAULTS);
    assertThat(r.invalidCount()).isEqualTo(5);
    assertThat(r.detections()).extracting(Detection::queryIndex).containsExactly(0);
    assertThat(r.suppressions()).isEmpty();
  }

  @Test
  void coco359SameQueryUnderFourLabelsBecomesOneTrafficLight() {
    // MANIFEST: query box [242.5, 98.9, 297.8, 122.3] as traffic light 0.45, bird 0.18, person
    // 0.17, class 77 0.15.
    Cands c =
        Cands.of()
            .add(242.5f, 98.9f, 297.8f, 122.3f, 0.45f, 9, 42)
            .add(242.5f, 98.9f, 297.8f, 122.3f, 0.18f, 14, 42)
            .add(242.5f, 98.9f, 297.8f, 122.3f, 0.17f, 0, 42)
            .add(242.5f, 98.9f, 297.8f, 122.3f, 0.15f, 77, 42);
    SuppressionResult r = c.run(DEFAULTS);
    assertThat(r.detections()).hasSize(1);
    Detection light = r.detections().get(0);
    assertThat(light.classId()).isEqualTo(9);
    assertThat(light.alternatives())
        .containsExactly(
            new LabelScore(14, 0.18f), new LabelScore(0, 0.17f), new LabelScore(77, 0.15f));
    assertThat(r.suppressions())
        .hasSize(3)
        .allSatisfy(
            s -> {
              assertThat(s.rule()).isEqualTo(SuppressionRule.SAME_QUERY);
              assertThat(s.survivorIndex()).isZero();
              assertThat(s.overlap()).isEqualTo(1f);
            });
  }

  /**
   * Dense synthetic cluster: rows of 10×25 px lamps, touching or overlapping 0–3 px, each lamp
   * detected by its own query plus a jittered duplicate from another query and a second label on
   * its own query. Every lamp must survive exactly once, with default and with very permissive
   * thresholds.
   */
  @ParameterizedTest(name = "permissive={0}")
  @ValueSource(booleans = {false, true})
  void denseLampRowsKeepEveryLampExactlyOnce(boolean permissive) {
    DuplicateSuppressor s =
        permissive
            ? DEFAULTS.toBuilder()
                .perClass(OverlapMetric.IOU, 0.05f)
                .crossClassIou(0.05f)
                .crossClassIoMin(0.05f)
                .nestedAreaRatio(0f)
                .build()
            : DEFAULTS;
    Random rnd = new Random(359);
    Cands c = Cands.of();
    List<float[]> lamps = new ArrayList<>();
    int query = 0;
    for (int row = 0; row < 6; row++) {
      float x = 5;
      float y = 5 + row * 30 + (row % 2) * 2; // rows 3-5 px apart vertically
      for (int i = 0; i < 25; i++) {
        float[] lamp = {x, y, x + 10, y + 25};
        lamps.add(lamp);
        int cls = rnd.nextInt(3);
        float best = 0.5f + 0.45f * rnd.nextFloat();
        c.add(lamp[0], lamp[1], lamp[2], lamp[3], best, cls, query);
        c.add(lamp[0], lamp[1], lamp[2], lamp[3], best * 0.4f, (cls + 1) % 3, query);
        float j = rnd.nextFloat() - 0.5f;
        c.add(
            lamp[0] + j,
            lamp[1] + j,
            lamp[2] + j,
            lamp[3] + j,
            best * 0.8f,
            rnd.nextBoolean() ? cls : 3,
            query + 1);
        query += 2;
        x += 10 - rnd.nextInt(4); // touching (0) or overlapping 1-3 px
      }
    }
    SuppressionResult r = c.run(s);
    assertThat(r.detections()).hasSize(lamps.size());
    for (float[] lamp : lamps) {
      assertThat(r.detections())
          .as("lamp at %s,%s", lamp[0], lamp[1])
          .filteredOn(d -> d.box().x1() == lamp[0] && d.box().y1() == lamp[1])
          .hasSize(1);
    }
    assertThat(r.suppressions()).hasSize(2 * lamps.size());
  }

  // ---------------------------------------------------------------------------------------------------------
  // Randomized properties, fixed seeds.

  static Stream<Long> seeds() {
    return Stream.of(1L, 2L, 3L, 42L, 359L, 2024L, 77L, 9L);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void randomizedProperties(long seed) {
    Random rnd = new Random(seed);
    float[] t = {
      0.2f + 0.6f * rnd.nextFloat(),
      0.5f + 0.5f * rnd.nextFloat(),
      0.6f + 0.4f * rnd.nextFloat(),
      rnd.nextFloat()
    };
    boolean guard = rnd.nextBoolean();
    DuplicateSuppressor s =
        DEFAULTS.toBuilder()
            .perClass(OverlapMetric.IOU, t[0])
            .crossClassIou(t[1])
            .crossClassIoMin(t[2])
            .nestedAreaRatio(t[3])
            .neighbourGuard(guard)
            .build();
    Cands c = randomScene(rnd, 200);
    SuppressionResult r = c.run(s);
    Detections kept = r.detections();
    // Subset: every survivor is an input row, and each input row survives at most once.
    float[] xyxy = c.xyxy();
    List<Integer> used = new ArrayList<>();
    for (Detection d : kept) {
      int match = -1;
      for (int i = 0; i < c.size(); i++) {
        if (!used.contains(i)
            && Box.fromArray(xyxy, i).equals(d.box())
            && c.scores.get(i) == d.score()
            && c.classes.get(i) == d.classId()
            && c.queries.get(i) == d.queryIndex()) {
          match = i;
          break;
        }
      }
      assertThat(match).as("survivor %s is an input row", d).isGreaterThanOrEqualTo(0);
      used.add(match);
    }
    // Sorted by score.
    for (int k = 1; k < kept.size(); k++) {
      assertThat(kept.get(k).score()).isLessThanOrEqualTo(kept.get(k - 1).score());
    }
    // No kept pair that a rule would suppress; no query twice.
    for (int i = 0; i < kept.size(); i++) {
      for (int j = i + 1; j < kept.size(); j++) {
        assertThat(wouldSuppress(t, guard, kept.get(i), kept.get(j)))
            .as("kept pair %s / %s", kept.get(i), kept.get(j))
            .isFalse();
        if (kept.get(i).queryIndex() >= 0) {
          assertThat(kept.get(i).queryIndex()).isNotEqualTo(kept.get(j).queryIndex());
        }
      }
    }
    // Accounting: every valid input is a survivor or reported exactly once.
    assertThat(kept.size() + r.suppressions().size() + r.invalidCount()).isEqualTo(c.size());
    assertThat(r.suppressions().stream().map(Suppression::candidateIndex).distinct().count())
        .isEqualTo(r.suppressions().size());
    // Idempotent.
    Cands again = Cands.of();
    for (Detection d : kept) {
      again.add(
          d.box().x1(),
          d.box().y1(),
          d.box().x2(),
          d.box().y2(),
          d.score(),
          d.classId(),
          d.queryIndex());
    }
    assertThat(again.run(s).detections().stream().map(Detection::box).collect(Collectors.toList()))
        .isEqualTo(kept.stream().map(Detection::box).collect(Collectors.toList()));
  }

  /**
   * Reference statement of rules 2-4 on a pair: t = {perClassIou, crossClassIou, crossClassIoMin,
   * areaRatio}.
   */
  private static boolean wouldSuppress(float[] t, boolean guard, Detection a, Detection b) {
    float perClass = t[0];
    float crossIou = t[1];
    float crossIoMin = t[2];
    float ratio = t[3];
    Box p = a.box();
    Box q = b.box();
    boolean centre = inside(p.centreX(), p.centreY(), q) || inside(q.centreX(), q.centreY(), p);
    if (guard && !centre) {
      return false;
    }
    float iou = OverlapMetric.IOU.between(p, q);
    if (a.classId() == b.classId()) {
      return iou > perClass;
    }
    float smaller = Math.min(p.area(), q.area());
    float larger = Math.max(p.area(), q.area());
    return iou > crossIou
        || (OverlapMetric.IOMIN.between(p, q) > crossIoMin && smaller >= ratio * larger);
  }

  private static boolean inside(float x, float y, Box b) {
    return x > b.x1() && x < b.x2() && y > b.y1() && y < b.y2();
  }

  static Cands randomScene(Random rnd, int n) {
    Cands c = Cands.of();
    for (int i = 0; i < n; i++) {
      float x = rnd.nextFloat() * 300;
      float y = rnd.nextFloat() * 300;
      float w = 5 + rnd.nextFloat() * 60;
      float h = 5 + rnd.nextFloat() * 60;
      int q = rnd.nextInt(n / 2);
      c.add(x, y, x + w, y + h, rnd.nextFloat(), rnd.nextInt(4), rnd.nextInt(10) == 0 ? -1 : q);
      if (rnd.nextInt(3) == 0) { // a jittered duplicate
        float j = rnd.nextFloat() * 4 - 2;
        c.add(x + j, y - j, x + w + j, y + h, rnd.nextFloat(), rnd.nextInt(4), rnd.nextInt(n / 2));
        i++;
      }
    }
    return c;
  }

  @Test
  void sharedSuppressorIsSafeWithPerThreadWorkspaces() throws Exception {
    List<Cands> scenes = new ArrayList<>();
    List<SuppressionResult> expected = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      Cands c = randomScene(new Random(1000 + i), 150);
      scenes.add(c);
      expected.add(c.run(DEFAULTS));
    }
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Integer>> futures = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int offset = t;
        futures.add(
            pool.submit(
                () -> {
                  SuppressionWorkspace ws = new SuppressionWorkspace();
                  int checked = 0;
                  for (int iter = 0; iter < 200; iter++) {
                    int i = (iter * 7 + offset) % scenes.size();
                    Cands c = scenes.get(i);
                    DEFAULTS.suppressInto(
                        c.xyxy(), c.scores(), c.classes(), c.queries(), c.size(), ws);
                    SuppressionResult got = ws.toResult();
                    if (!got.equals(expected.get(i))) {
                      throw new AssertionError("thread " + offset + " scene " + i + " differs");
                    }
                    checked++;
                  }
                  return checked;
                }));
      }
      for (Future<Integer> f : futures) {
        assertThat(f.get()).isEqualTo(200);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void steadyStateSuppressIntoAllocatesNothing() {
    Cands c = randomScene(new Random(5), 300);
    float[] xyxy = c.xyxy();
    float[] scores = c.scores();
    int[] classes = c.classes();
    int[] queries = c.queries();
    SuppressionWorkspace ws = new SuppressionWorkspace();
    long allocated =
        Allocation.measure(
            () -> DEFAULTS.suppressInto(xyxy, scores, classes, queries, c.size(), ws), 2000);
    assertThat(allocated).as("bytes allocated per 2000 steady-state calls").isLessThan(1024);
  }

  @Test
  void rejectsBadArgumentsWithClearMessages() {
    assertThatThrownBy(() -> DEFAULTS.suppress(new float[4], new float[1], new int[] {-1}, null, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("classIds[0] >= 0, got -1");
    assertThatThrownBy(() -> DEFAULTS.suppress(new float[3], new float[1], new int[1], null, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("xyxy: expected at least 4 values");
    assertThatThrownBy(() -> DuplicateSuppressor.builder().crossClassIou(1.5f).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("crossClassIou: expected a value in [0, 1], got 1.5");
    assertThatThrownBy(() -> DuplicateSuppressor.builder().maxAlternatives(-1).build())
        .hasMessage("expected maxAlternatives in [0, 64], got -1");
  }
}
