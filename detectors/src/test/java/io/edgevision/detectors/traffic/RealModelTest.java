package io.edgevision.detectors.traffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.edgevision.core.Budget;
import io.edgevision.core.ImageFrame;
import io.edgevision.core.InferenceSession;
import io.edgevision.core.Outcome;
import io.edgevision.core.testing.SharedResources;
import io.edgevision.detectors.traffic.eval.CocoDataset;
import io.edgevision.postprocess.Box;
import io.edgevision.postprocess.Boxes;
import io.edgevision.postprocess.Detection;
import io.edgevision.postprocess.LabelScore;
import io.edgevision.postprocess.Suppression;
import io.edgevision.postprocess.SuppressionRule;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The issue's required behaviour on the real DEIMv2 models and COCO photos of ../shared. */
class RealModelTest {
  /** One row of the baked export's own post-processor output. */
  record Row(int label, float score, float x1, float y1, float x2, float y2) {}

  static List<String> cocoImages() {
    return Shared.COCO_IMAGES;
  }

  /** Reads the baked model's labels/boxes/scores as the graph's post-processor produced them. */
  static List<Row> bakedRows(InferenceSession baked, ImageFrame frame, float minScore) {
    return baked
        .run(
            frame,
            Budget.unlimited(),
            (o, c) -> {
              long[] labels = o.longs("labels");
              float[] boxes = o.floats("boxes");
              float[] scores = o.floats("scores");
              List<Row> rows = new ArrayList<>();
              for (int i = 0; i < scores.length; i++) {
                if (scores[i] >= minScore) {
                  rows.add(
                      new Row(
                          (int) labels[i],
                          scores[i],
                          boxes[4 * i],
                          boxes[4 * i + 1],
                          boxes[4 * i + 2],
                          boxes[4 * i + 3]));
                }
              }
              return rows;
            })
        .get();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cocoImages")
  void rawAttoDecodedByTheSdkReproducesTheBakedPostprocessor(String image) {
    ImageFrame frame = Shared.coco(image);
    try (InferenceSession raw = Shared.session(Shared.ATTO_RAW);
        InferenceSession baked = Shared.session(Shared.ATTO)) {
      // Unclamped, like the export (it scales by orig_target_sizes without clipping); candidates
      // down to 0.1.
      DetrDetector detector =
          DetrDetector.builder(raw).keepCandidates(true).clampToFrame(false).build();
      DetectionResult r = detector.detect(frame, Budget.unlimited());
      assertThat(r.layout()).isEqualTo(DetrLayout.RAW);
      List<Row> expected = bakedRows(baked, frame, DetrDetector.DEFAULT_CANDIDATE_THRESHOLD);
      assertThat(expected).as("baked rows above 0.1").isNotEmpty();
      assertThat(r.candidates()).hasSameSizeAs(expected);
      for (int i = 0; i < expected.size(); i++) {
        Row e = expected.get(i);
        Detection d = r.candidates().get(i);
        assertThat(d.classId()).as("label of rank %d", i).isEqualTo(e.label());
        assertThat(d.score()).as("score of rank %d", i).isCloseTo(e.score(), within(1e-5f));
        assertThat(d.box().x1()).as("x1 of rank %d", i).isCloseTo(e.x1(), within(0.01f));
        assertThat(d.box().y1()).as("y1 of rank %d", i).isCloseTo(e.y1(), within(0.01f));
        assertThat(d.box().x2()).as("x2 of rank %d", i).isCloseTo(e.x2(), within(0.01f));
        assertThat(d.box().y2()).as("y2 of rank %d", i).isCloseTo(e.y2(), within(0.01f));
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cocoImages")
  void rawAndBakedAttoGiveTheSameDetectionsAfterSuppression(String image) {
    ImageFrame frame = Shared.coco(image);
    try (InferenceSession raw = Shared.session(Shared.ATTO_RAW);
        InferenceSession baked = Shared.session(Shared.ATTO)) {
      DetectionResult a = DetrDetector.builder(raw).build().detect(frame, Budget.unlimited());
      DetectionResult b = DetrDetector.builder(baked).build().detect(frame, Budget.unlimited());
      assertThat(b.layout()).isEqualTo(DetrLayout.BAKED);
      assertThat(b.detections()).hasSameSizeAs(a.detections());
      for (int i = 0; i < a.detections().size(); i++) {
        Detection x = a.detections().get(i);
        Detection y = b.detections().get(i);
        assertThat(y.classId()).isEqualTo(x.classId());
        assertThat(y.score()).isCloseTo(x.score(), within(1e-5f));
        assertThat(y.box().x1()).isCloseTo(x.box().x1(), within(0.01f));
        assertThat(y.box().y2()).isCloseTo(x.box().y2(), within(0.01f));
        assertThat(y.queryIndex()).as("baked exports carry no query index").isEqualTo(-1);
      }
    }
  }

  @Test
  void femtoBakedFindsTheTwoLargeAnnotatedLightsOfCoco359() {
    CocoDataset coco = Shared.annotations();
    int trafficLight = coco.categoryId("traffic light").orElseThrow();
    List<Box> large =
        coco.annotations(359, trafficLight).stream()
            .map(CocoDataset.Annotation::box)
            .filter(b -> b.area() > 500)
            .toList();
    assertThat(large).as("MANIFEST: 2 of the 3 lights of 359 are large").hasSize(2);
    try (InferenceSession femto = Shared.session(Shared.FEMTO)) {
      TrafficLightResult r =
          TrafficLightDetector.builder(femto)
              .build()
              .detect(Shared.coco("000000000359.jpg"), Budget.unlimited());
      assertThat(r.outcome()).isEqualTo(Outcome.COMPLETED);
      for (Box gt : large) {
        double best = r.lights().stream().mapToDouble(l -> Boxes.iou(l.box(), gt)).max().orElse(0);
        assertThat(best).as("best IoU with GT %s", gt).isGreaterThanOrEqualTo(0.9);
      }
      assertThat(r.lights())
          .allSatisfy(
              l -> {
                assertThat(l.classId()).isEqualTo(CocoLabels.TRAFFIC_LIGHT);
                assertThat(l.label()).isEqualTo("traffic light");
                assertThat(l.state()).isEmpty();
                assertThat(l.stateSource()).isEqualTo(StateSource.NONE);
              });
    }
  }

  /**
   * MANIFEST / issue: atto raw on 359 reports the query box [242.5, 98.9, 297.8, 122.3] four times
   * in the top 8, as traffic light 0.45, bird 0.18, person 0.17 and class 77 (teddy bear) 0.15.
   * With the MANIFEST's own preprocessing (RGB, plain resize to 320x320, /255; the SDK resizes with
   * OpenCV INTER_LINEAR) the same query carries the same four labels in the top 8, on a box within
   * 0.25 px of that one, but with the scores below; these also match the MANIFEST's "observed" line
   * for 359 (atto traffic lights 0.58, 0.52, 0.51). The issue's scores depend on the resampler:
   * INTER_AREA gives 0.50 / 0.22 / 0.21 / 0.18, INTER_NEAREST 0.54 / 0.15 / 0.14 / 0.13 (measured,
   * see docs/TRAFFIC_LIGHTS.md).
   */
  static final Box DUPLICATED = new Box(242.5f, 98.9f, 297.8f, 122.3f);

  /**
   * label -> score of the four readings with INTER_LINEAR: traffic light, bird, person, teddy bear.
   */
  static final Map<Integer, Float> READINGS =
      Map.of(9, 0.5215f, 14, 0.1912f, 0, 0.1738f, 77, 0.1708f);

  /** How far the SDK's box may be from the MANIFEST's rounded one (x2 differs by 0.24 px). */
  static final float BOX_TOLERANCE = 0.3f;

  static boolean near(Box a, Box b, float tol) {
    return Math.abs(a.x1() - b.x1()) <= tol
        && Math.abs(a.y1() - b.y1()) <= tol
        && Math.abs(a.x2() - b.x2()) <= tol
        && Math.abs(a.y2() - b.y2()) <= tol;
  }

  @Test
  void atto359CrossClassDuplicateIsReportedOnceAsATrafficLight() {
    try (InferenceSession raw = Shared.session(Shared.ATTO_RAW)) {
      DetrDetector detector = DetrDetector.builder(raw).keepCandidates(true).build();
      DetectionResult r = detector.detect(Shared.coco("000000000359.jpg"), Budget.unlimited());

      // Before suppression: one query, four labels, in the top 8.
      List<Detection> top8 = r.candidates().subList(0, 8);
      List<Detection> readings =
          top8.stream().filter(d -> near(d.box(), DUPLICATED, BOX_TOLERANCE)).toList();
      assertThat(readings).hasSize(4);
      assertThat(readings.stream().map(Detection::queryIndex).distinct()).hasSize(1);
      int query = readings.get(0).queryIndex();
      assertThat(readings.stream().map(Detection::classId).collect(Collectors.toSet()))
          .isEqualTo(READINGS.keySet());
      for (Detection d : readings) {
        assertThat(d.score())
            .as("score of class %d", d.classId())
            .isCloseTo(READINGS.get(d.classId()), within(1e-3f));
      }

      // After suppression: once, as a traffic light, with the others named in the report and as
      // alternatives.
      List<Detection> survivors =
          r.detections().stream().filter(d -> d.queryIndex() == query).toList();
      assertThat(survivors).hasSize(1);
      Detection light = survivors.get(0);
      assertThat(light.classId()).isEqualTo(CocoLabels.TRAFFIC_LIGHT);
      assertThat(light.alternatives()).extracting(LabelScore::classId).contains(14, 0, 77);
      int survivorIndex = r.detections().indexOf(light);
      List<Suppression> folded =
          r.suppressed().stream().filter(s -> s.survivorIndex() == survivorIndex).toList();
      assertThat(folded).extracting(s -> s.suppressed().classId()).contains(14, 0, 77);
      assertThat(folded)
          .filteredOn(s -> s.suppressed().queryIndex() == query)
          .allSatisfy(s -> assertThat(s.rule()).isEqualTo(SuppressionRule.SAME_QUERY));

      // No two returned detections share a query.
      Set<Integer> queries = new HashSet<>();
      for (Detection d : r.detections()) {
        assertThat(queries.add(d.queryIndex()))
            .as("query %d returned twice", d.queryIndex())
            .isTrue();
      }

      // The traffic-light product: the same light once, its report naming the other readings.
      TrafficLightResult t =
          TrafficLightDetector.builder(raw)
              .build()
              .detect(Shared.coco("000000000359.jpg"), Budget.unlimited());
      List<TrafficLight> lights = t.lights().stream().filter(l -> l.queryIndex() == query).toList();
      assertThat(lights).hasSize(1);
      assertThat(lights.get(0).score()).isCloseTo(READINGS.get(9), within(1e-3f));
      int idx = t.lights().indexOf(lights.get(0));
      assertThat(t.suppressed())
          .filteredOn(s -> s.survivorIndex() == idx)
          .extracting(s -> s.suppressed().classId())
          .contains(14, 0, 77);
      assertThat(t.lights().stream().map(TrafficLight::queryIndex).distinct())
          .hasSize(t.lights().size());
    }
  }

  /**
   * The issue's exact figures (0.45 / 0.18 / 0.17 / 0.15) come from resampling the photo with Java
   * AWT's bilinear filter ({@code Graphics2D.drawImage} with {@code VALUE_INTERPOLATION_BILINEAR}),
   * which differs from OpenCV's INTER_LINEAR at the sub-pixel level. Resampling the frame that way
   * before the SDK (whose 320x320 stretch is then the identity) reproduces them; boxes are mapped
   * back to the 500x332 original by the resize ratios.
   */
  @Test
  void atto359WithTheReferenceResamplerReproducesTheIssueScoresExactly() throws Exception {
    java.awt.image.BufferedImage src =
        javax.imageio.ImageIO.read(SharedResources.data("street/coco/000000000359.jpg").toFile());
    java.awt.image.BufferedImage resized =
        new java.awt.image.BufferedImage(320, 320, java.awt.image.BufferedImage.TYPE_3BYTE_BGR);
    java.awt.Graphics2D g = resized.createGraphics();
    g.setRenderingHint(
        java.awt.RenderingHints.KEY_INTERPOLATION,
        java.awt.RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    g.drawImage(src, 0, 0, 320, 320, null);
    g.dispose();
    float sx = src.getWidth() / 320f;
    float sy = src.getHeight() / 320f;
    try (InferenceSession raw = Shared.session(Shared.ATTO_RAW)) {
      DetectionResult r =
          DetrDetector.builder(raw)
              .keepCandidates(true)
              .build()
              .detect(
                  io.edgevision.core.ImageFrames.fromBufferedImage(resized), Budget.unlimited());
      List<Detection> readings =
          r.candidates().subList(0, 8).stream()
              .filter(
                  d ->
                      near(
                          new Box(
                              d.box().x1() * sx,
                              d.box().y1() * sy,
                              d.box().x2() * sx,
                              d.box().y2() * sy),
                          DUPLICATED,
                          0.3f))
              .toList();
      Map<Integer, Float> issue = Map.of(9, 0.45f, 14, 0.18f, 0, 0.17f, 77, 0.15f);
      assertThat(readings).hasSize(4);
      assertThat(readings.stream().map(Detection::queryIndex).distinct()).hasSize(1);
      for (Detection d : readings) {
        // the issue gives two decimals
        assertThat(d.score())
            .as("score of class %d", d.classId())
            .isCloseTo(issue.get(d.classId()), within(0.005f));
      }
      int query = readings.get(0).queryIndex();
      List<Detection> survivors =
          r.detections().stream().filter(d -> d.queryIndex() == query).toList();
      assertThat(survivors).hasSize(1);
      assertThat(survivors.get(0).classId()).isEqualTo(CocoLabels.TRAFFIC_LIGHT);
      assertThat(survivors.get(0).score()).isCloseTo(0.45f, within(0.005f));
    }
  }

  @Test
  void classFilterAppliesAfterSuppressionSoAFoldedBirdNeverReappears() {
    try (InferenceSession raw = Shared.session(Shared.ATTO_RAW)) {
      ImageFrame frame = Shared.coco("000000000359.jpg");
      // Candidates down to 0.1 and output down to 0.1, so the 0.18 "bird" reading would be output
      // if it survived.
      DetrDetector all = DetrDetector.builder(raw).scoreThreshold(0.1f).build();
      DetrDetector birds = all.toBuilder().classes(14).build();
      DetrDetector lights = all.toBuilder().classes(CocoLabels.TRAFFIC_LIGHT).build();
      assertThat(birds.detect(frame, Budget.unlimited()).detections())
          .noneMatch(d -> near(d.box(), DUPLICATED, BOX_TOLERANCE));
      DetectionResult l = lights.detect(frame, Budget.unlimited());
      assertThat(l.detections())
          .filteredOn(d -> near(d.box(), DUPLICATED, BOX_TOLERANCE))
          .hasSize(1);
      assertThat(l.detections())
          .allSatisfy(d -> assertThat(d.classId()).isEqualTo(CocoLabels.TRAFFIC_LIGHT));
      // Every report entry points at a kept light.
      assertThat(l.suppressed())
          .allSatisfy(
              s -> assertThat(l.detections().get(s.survivorIndex())).isEqualTo(s.survivor()));
    }
  }

  @Test
  void sameFrameFromEightThreadsGivesIdenticalResults() throws Exception {
    try (InferenceSession femto = Shared.session(Shared.FEMTO)) {
      TrafficLightDetector detector =
          TrafficLightDetector.builder(femto).scoreThreshold(0.2f).build();
      ImageFrame frame = Shared.coco("000000000359.jpg");
      TrafficLightResult reference = detector.detect(frame, Budget.unlimited());
      assertThat(reference.lights()).isNotEmpty();
      java.util.concurrent.ExecutorService pool =
          java.util.concurrent.Executors.newFixedThreadPool(8);
      try {
        java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
        List<java.util.concurrent.Future<List<TrafficLightResult>>> futures = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
          futures.add(
              pool.submit(
                  () -> {
                    start.await();
                    List<TrafficLightResult> out = new ArrayList<>();
                    for (int i = 0; i < 3; i++) {
                      out.add(detector.detect(frame, Budget.unlimited()));
                    }
                    return out;
                  }));
        }
        start.countDown();
        for (var f : futures) {
          for (TrafficLightResult r : f.get()) {
            assertThat(r.lights()).isEqualTo(reference.lights());
            assertThat(r.suppressed()).isEqualTo(reference.suppressed());
            assertThat(r.fingerprint()).isEqualTo(reference.fingerprint());
          }
        }
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @Test
  void femtoLadderDegradesToAttoWhenTheBudgetCannotFitFemto() {
    try (InferenceSession ladder =
        ModelCatalog.sessionBuilder(
                ModelCatalog.FEMTO, SharedResources.model(Shared.FEMTO).getParent())
            .admission(io.edgevision.core.AdmissionPolicy.DEGRADE)
            .cancelAtDeadline(
                false) // let atto finish so the degraded result is observable on a slow machine
            .build()) {
      TrafficLightDetector detector = TrafficLightDetector.builder(ladder).build();
      ImageFrame frame = Shared.coco("000000000359.jpg");
      TrafficLightResult first =
          detector.detect(frame, Budget.unlimited()); // femto's latency is now known
      assertThat(first.outcome()).isEqualTo(Outcome.COMPLETED);
      assertThat(first.variant()).isEqualTo(InferenceSession.PRIMARY);
      TrafficLightResult tight = detector.detect(frame, Budget.ofMillis(1));
      assertThat(tight.outcome()).as(tight.message()).isEqualTo(Outcome.DEGRADED);
      assertThat(tight.variant()).isEqualTo(ModelCatalog.ATTO_VARIANT);
      assertThat(tight.fingerprint().variant()).isEqualTo(ModelCatalog.ATTO_VARIANT);
      // MANIFEST: atto finds the two large lights of 359 at 0.58 and 0.52.
      assertThat(tight.lights()).filteredOn(l -> l.score() > 0.5f).hasSizeGreaterThanOrEqualTo(2);
    }
  }
}
