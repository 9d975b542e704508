package io.edgevision.cli;

import io.edgevision.core.InferenceSession;
import io.edgevision.detectors.traffic.DetrDetector;
import io.edgevision.detectors.traffic.ModelCatalog;
import io.edgevision.detectors.traffic.StateClassifier;
import io.edgevision.detectors.traffic.TrafficLight;
import io.edgevision.detectors.traffic.TrafficLightDetector;
import io.edgevision.detectors.traffic.TrafficLightTracker;
import io.edgevision.detectors.traffic.eval.CocoDataset;
import io.edgevision.detectors.traffic.eval.CocoEvaluation;
import io.edgevision.detectors.traffic.eval.CocoEvaluation.JointStateEvaluation;
import io.edgevision.detectors.traffic.eval.LightSequence;
import io.edgevision.detectors.traffic.eval.SuppressionComparison;
import io.edgevision.detectors.traffic.eval.TrackerComparison;
import io.edgevision.detectors.traffic.eval.TrafficLightEvaluator;
import io.edgevision.detectors.traffic.eval.TrafficLightEvaluator.CategoryAp;
import io.edgevision.detectors.traffic.eval.TrafficLightEvaluator.FrameReport;
import io.edgevision.detectors.traffic.eval.TrafficLightEvaluator.JointStateAp;
import io.edgevision.detectors.traffic.eval.TrafficLightEvaluator.Report;
import io.edgevision.detectors.traffic.eval.YoloDataset;
import io.edgevision.postprocess.Colour;
import io.edgevision.postprocess.LabelSchema;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code edgevision eval [--model M] (--annotations COCO.json --images DIR | --yolo DIR)
 * [--threshold T] [--tiles off|auto|N] [--classifier builtin|FILE] [--json]}: traffic-light AP
 * (COCO-style, 101-point interpolation), precision/recall at the threshold, colour accuracy of
 * matched lights (when every light has an annotated colour) and the strict frame pass rate; see
 * {@link TrafficLightEvaluator} for the exact definitions. {@code --model} defaults to the built-in
 * model. {@code --yolo DIR} (or {@code --images DIR} alone on such a folder) reads a YOLO-format
 * folder through {@link YoloDataset}.
 *
 * <p>Modes, by the annotations:
 *
 * <ul>
 *   <li><b>One category</b> ({@code --category}, or a file with a "traffic light" category, e.g.
 *       COCO): AP@0.5, AP@[0.5:0.95], P/R, strict pass with the annotated colours.
 *   <li><b>Joint states</b> (no {@code --category}, every category a joint state of the model's
 *       label schema, e.g. {@code detectors/src/test/resources/trafficlights}): class-agnostic
 *       AP@0.5 and AP@[0.5:0.95], joint-state AP@0.5 (one label per light, and top-k with the
 *       alternatives) with the per-state APs, P/R and the strict frame pass rate with joint states
 *       ({@link CocoEvaluation}).
 *   <li>{@code --suppression}: on the dense images, raw top-k vs {@code DuplicateSuppressor} vs
 *       class-agnostic NMS at the threshold ({@link SuppressionComparison}).
 *   <li>{@code --sequences DIR} (instead of annotations): per-frame state accuracy on labelled
 *       sequences with and without {@code TrafficLightTracker}, on the model's lights and on the
 *       simulated detections ({@link TrackerComparison}).
 * </ul>
 *
 * <p>The detector runs with its output threshold at {@code --min-score} (default 0.05) so that the
 * ranking for AP sees low-scoring lights too; P/R, the strict pass and the two tables use {@code
 * --threshold}.
 */
@Command(
    name = "eval",
    mixinStandardHelpOptions = true,
    description =
        "Evaluate traffic-light detection on COCO-format annotations (AP, joint-state AP, P/R, strict frame"
            + " pass rate), compare duplicate suppression (--suppression) or the tracker (--sequences).")
final class EvalCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--model",
      defaultValue = ModelCatalog.DEFAULT,
      description =
          "real (default: the shipped real-photo detector, femto degrading to atto, with the built-in"
              + " state classifier) | real-atto | builtin (alias synthetic: the synthetic-scene model),"
              + " an ONNX file, or femto | atto | femto-raw | atto-raw (COCO DEIMv2 of the shared models"
              + " directory)")
  String model;

  @Option(
      names = "--annotations",
      description = "COCO JSON (instances_*.json, or the EdgeVision validation set)")
  Path annotations;

  @Option(
      names = "--images",
      description =
          "Directory holding the annotation file names; without --annotations, a"
              + " YOLO folder (images/ + labels/ + data.yaml) as with --yolo")
  Path images;

  @Option(
      names = "--yolo",
      description =
          "YOLO-format folder instead of COCO JSON: DIR/images, DIR/labels, data.yaml in DIR or one level"
              + " up; class names (green, red, yellow, red_left...) become the lights' annotated colours")
  Path yolo;

  @Option(
      names = "--tiles",
      defaultValue = "auto",
      description = "Sliced inference: off, auto (default) or N tiles (see detect)")
  String tiles;

  @Option(
      names = "--tile-size",
      description = "Tile side in frame pixels (default: the model's input size)")
  Integer tileSize;

  @Option(
      names = "--threshold",
      defaultValue = "0.3",
      description =
          "Operating threshold: precision/recall, strict pass, --suppression, --sequences"
              + " (default: ${DEFAULT-VALUE})")
  float threshold;

  @Option(
      names = "--min-score",
      defaultValue = "0.05",
      description =
          "Lowest score the detector returns, for the AP ranking (default: ${DEFAULT-VALUE})")
  float minScore;

  @Option(
      names = "--category",
      description =
          "Annotation category evaluated alone (default: 'traffic light' when present, else joint states)")
  String category;

  @Option(
      names = "--suppression",
      description =
          "Compare raw top-k, DuplicateSuppressor and class-agnostic NMS on the dense images")
  boolean suppression;

  @Option(
      names = "--sequences",
      description =
          "Directory of labelled sequences (index.json): tracker vs no tracker, instead of --annotations")
  Path sequences;

  @Option(
      names = "--mean-phase",
      defaultValue = "2000",
      description =
          "--sequences: the tracker's mean phase in ms (default: ${DEFAULT-VALUE}, the tracker default)")
  long meanPhaseMs;

  @Option(
      names = "--illegal-share",
      defaultValue = "0.02",
      description =
          "--sequences: the tracker's share of colour changes that break the legal order (default:"
              + " ${DEFAULT-VALUE}, the tracker default; 1 = no sequence knowledge)")
  double illegalShare;

  @Option(
      names = "--classifier",
      description =
          "Second-stage state classifier: builtin (shipped in the jar), an ONNX file, or none;"
              + " default: builtin for the real models, none for the others")
  String classifier;

  @Option(
      names = "--models-dir",
      description = "Where model labels are looked up (default: <shared>/models)")
  Path modelsDir;

  @Option(
      names = "--providers",
      split = ",",
      defaultValue = "cpu",
      description = "Provider preference (default: ${DEFAULT-VALUE})")
  List<String> providers;

  @picocli.CommandLine.Mixin ModelPin pin = new ModelPin();

  @Option(names = "--json", description = "One JSON object on stdout")
  boolean json;

  /** Colour accuracy of the matched lights of the last one-category report, null when undefined. */
  private Double colourAccuracy;

  /**
   * Colour accuracy of matched lights: (TP − TP with a wrong or missing colour) / TP at the
   * threshold, defined when every non-crowd ground truth has an annotated colour (YOLO folders,
   * COCO files with states) and something matched; null otherwise.
   */
  static Double colourAccuracy(List<TrafficLightEvaluator.Frame> frames, Report r) {
    boolean allAnnotated =
        frames.stream()
            .flatMap(f -> f.truths().stream())
            .filter(g -> !g.crowd())
            .allMatch(g -> g.state() != Colour.UNKNOWN);
    if (!allAnnotated || r.truePositives() == 0) {
      return null;
    }
    int wrong = r.frames().stream().mapToInt(FrameReport::wrongStates).sum();
    return (double) (r.truePositives() - wrong) / r.truePositives();
  }

  @Override
  public Integer call() throws Exception {
    if (!(threshold >= 0f && threshold <= 1f) || !(minScore >= 0f && minScore <= threshold)) {
      throw new IllegalArgumentException(
          "expected 0 <= --min-score <= --threshold <= 1, got --min-score "
              + minScore
              + ", --threshold "
              + threshold);
    }
    if (yolo == null && annotations == null && images != null && YoloDataset.isYoloFolder(images)) {
      yolo = images;
    }
    if (yolo != null && annotations != null) {
      throw new IllegalArgumentException(
          "--yolo replaces --annotations (a YOLO folder carries its labels)");
    }
    if (sequences == null && yolo == null && (annotations == null || images == null)) {
      throw new IllegalArgumentException(
          "expected --annotations and --images, --yolo DIR (or --sequences DIR)");
    }
    if (sequences != null && (annotations != null || suppression)) {
      throw new IllegalArgumentException(
          "--sequences replaces --annotations/--images and --suppression");
    }
    PrintWriter out = spec.commandLine().getOut();
    Path dir = modelsDir != null ? modelsDir : ModelCatalog.sharedDir().resolve("models");
    try (InferenceSession session =
            ModelCatalog.sessionBuilder(model, dir, pin.value())
                .providers(CliSupport.providers(providers))
                .build();
        InferenceSession cls =
            CliSupport.classifier(classifier, model)
                .map(
                    c ->
                        ModelCatalog.classifierSessionBuilder(c)
                            .providers(CliSupport.providers(providers))
                            .build())
                .orElse(null)) {
      String sha = session.fingerprint().modelSha256();
      if (sequences != null) {
        return trackerTable(out, session, sha);
      }
      CocoDataset coco = yolo != null ? YoloDataset.read(yolo) : CocoDataset.read(annotations);
      if (yolo != null) {
        images = YoloDataset.imagesDir(yolo);
      }
      if (suppression) {
        return suppressionTable(out, session, coco, sha);
      }
      TrafficLightDetector.Builder b =
          TrafficLightDetector.builder(session)
              .scoreThreshold(minScore)
              .candidateThreshold(minScore)
              .slicing(DetectCommand.slicing(tiles, tileSize));
      if (cls != null) {
        b.stateClassifier(StateClassifier.builder(cls).build());
      }
      TrafficLightDetector detector = b.build();
      String cat = category;
      if (cat == null) {
        Optional<LabelSchema> schema = detector.labelSchema(InferenceSession.PRIMARY);
        if (coco.categoryId("traffic light").isEmpty()
            && schema.isPresent()
            && CocoEvaluation.isJointStateDataset(coco, schema.get())) {
          JointStateEvaluation e =
              CocoEvaluation.evaluateJointStates(detector, coco, images, threshold);
          if (json) {
            out.println(CliSupport.JSON.writeValueAsString(toJson(e, sha)));
          } else {
            printTable(out, e, sha);
          }
          return 0;
        }
        cat = "traffic light";
      }
      String wanted = cat;
      int categoryId =
          coco.categoryId(wanted)
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "no category '"
                              + wanted
                              + "' in "
                              + annotations
                              + ", have "
                              + coco.categories().values()));
      List<TrafficLightEvaluator.Frame> frames =
          CocoEvaluation.frames(detector, coco, images, categoryId);
      Report report = TrafficLightEvaluator.evaluate(frames, threshold);
      colourAccuracy = colourAccuracy(frames, report);
      if (json) {
        out.println(CliSupport.JSON.writeValueAsString(toJson(report, sha, wanted)));
      } else {
        printTable(out, report, sha, wanted);
      }
      return 0;
    }
  }

  private Map<String, Object> toJson(Report r, String sha, String cat) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("model", model);
    o.put("model_sha256", sha);
    o.put("annotations", String.valueOf(yolo != null ? yolo : annotations));
    o.put("category", cat);
    o.put("tiles", tiles);
    o.put("frames", r.frames().size());
    o.put("ground_truths", r.groundTruths());
    o.put("ap50", num(r.ap50()));
    o.put("ap50_95", num(r.ap5095()));
    o.put("threshold", r.threshold());
    o.put("min_score", minScore);
    o.put("true_positives", r.truePositives());
    o.put("false_positives", r.falsePositives());
    o.put("false_negatives", r.falseNegatives());
    o.put("precision", num(r.precision()));
    o.put("recall", num(r.recall()));
    o.put("colour_accuracy", colourAccuracy == null ? null : num(colourAccuracy));
    o.put("frames_passed", r.passed());
    o.put("strict_pass_rate", num(r.passRate()));
    o.put("per_frame", perFrame(r));
    return o;
  }

  private static List<Object> perFrame(Report r) {
    List<Object> frames = new ArrayList<>();
    for (FrameReport f : r.frames()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("file", f.name());
      m.put("ground_truths", f.groundTruths());
      m.put("true_positives", f.truePositives());
      m.put("false_positives", f.falsePositives());
      m.put("false_negatives", f.falseNegatives());
      m.put("wrong_states", f.wrongStates());
      m.put("passed", f.passed());
      frames.add(m);
    }
    return frames;
  }

  /** NaN (undefined) becomes JSON null. */
  private static Object num(double v) {
    return Double.isNaN(v) ? null : Math.round(v * 1e4) / 1e4;
  }

  private void printTable(PrintWriter out, Report r, String sha, String cat) {
    out.printf(Locale.ROOT, "model %s (sha256 %s...)%n", model, sha.substring(0, 12));
    out.printf(
        Locale.ROOT,
        "%d frames, %d '%s' annotations (crowd regions ignored)%n",
        r.frames().size(),
        r.groundTruths(),
        cat);
    out.printf(Locale.ROOT, "AP@0.5          %s%n", fmt(r.ap50()));
    out.printf(
        Locale.ROOT,
        "AP@[0.5:0.95]   %s   (COCO-style, 101 recall points, max %d per frame)%n",
        fmt(r.ap5095()),
        TrafficLightEvaluator.MAX_DETECTIONS);
    out.printf(
        Locale.ROOT,
        "at score >= %.2f: precision %s, recall %s (TP %d, FP %d, FN %d)%n",
        r.threshold(),
        fmt(r.precision()),
        fmt(r.recall()),
        r.truePositives(),
        r.falsePositives(),
        r.falseNegatives());
    if (colourAccuracy != null) {
      int wrong = r.frames().stream().mapToInt(FrameReport::wrongStates).sum();
      out.printf(
          Locale.ROOT,
          "colour accuracy of matched lights %s (%d/%d; a light without a state counts wrong)%n",
          fmt(colourAccuracy),
          r.truePositives() - wrong,
          r.truePositives());
    }
    out.printf(
        Locale.ROOT,
        "strict frame pass rate %d/%d = %s%n",
        r.passed(),
        r.frames().size(),
        fmt(r.passRate()));
    printFrames(out, r);
  }

  private static void printFrames(PrintWriter out, Report r) {
    out.printf(
        Locale.ROOT,
        "%-20s %4s %4s %4s %4s %6s %s%n",
        "frame",
        "GT",
        "TP",
        "FP",
        "FN",
        "state",
        "pass");
    for (FrameReport f : r.frames()) {
      out.printf(
          Locale.ROOT,
          "%-20s %4d %4d %4d %4d %6d %s%n",
          f.name(),
          f.groundTruths(),
          f.truePositives(),
          f.falsePositives(),
          f.falseNegatives(),
          f.wrongStates(),
          f.passed() ? "yes" : "no");
    }
  }

  // ---------------------------------------------------------------------------------------------------------
  // Joint states

  private Map<String, Object> toJson(JointStateEvaluation e, String sha) {
    Report r = e.report();
    JointStateAp j = e.jointState();
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("model", model);
    o.put("model_sha256", sha);
    o.put("annotations", String.valueOf(annotations));
    o.put("mode", "joint_states");
    o.put("frames", r.frames().size());
    o.put("ground_truths", r.groundTruths());
    o.put("ap50", num(r.ap50()));
    o.put("ap50_95", num(r.ap5095()));
    o.put("joint_state_ap50", num(j.ap50()));
    o.put("joint_state_ap50_topk", num(j.ap50TopK()));
    List<Object> states = new ArrayList<>();
    for (CategoryAp c : j.categories()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("state", e.categoryNames().get(c.category()));
      m.put("ground_truths", c.groundTruths());
      m.put("ap50", num(c.ap50()));
      m.put("ap50_topk", num(c.ap50TopK()));
      states.add(m);
    }
    o.put("per_state", states);
    o.put("threshold", r.threshold());
    o.put("min_score", minScore);
    o.put("true_positives", r.truePositives());
    o.put("false_positives", r.falsePositives());
    o.put("false_negatives", r.falseNegatives());
    o.put("wrong_states", r.frames().stream().mapToInt(FrameReport::wrongStates).sum());
    o.put("precision", num(r.precision()));
    o.put("recall", num(r.recall()));
    o.put("frames_passed", r.passed());
    o.put("strict_pass_rate", num(r.passRate()));
    o.put("per_frame", perFrame(r));
    return o;
  }

  private void printTable(PrintWriter out, JointStateEvaluation e, String sha) {
    Report r = e.report();
    JointStateAp j = e.jointState();
    out.printf(Locale.ROOT, "model %s (sha256 %s...)%n", model, sha.substring(0, 12));
    out.printf(
        Locale.ROOT,
        "%d frames, %d lights, joint states %s%n",
        r.frames().size(),
        r.groundTruths(),
        e.categoryNames());
    out.printf(
        Locale.ROOT,
        "class-agnostic AP@0.5        %s   (AP@[0.5:0.95] %s)%n",
        fmt(r.ap50()),
        fmt(r.ap5095()));
    out.printf(
        Locale.ROOT,
        "joint-state AP@0.5           %s   (mean over states, one label per light)%n",
        fmt(j.ap50()));
    out.printf(
        Locale.ROOT,
        "joint-state AP@0.5, top-k    %s   (alternative labels counted)%n",
        fmt(j.ap50TopK()));
    out.printf(Locale.ROOT, "%-12s %4s %8s %8s%n", "state", "GT", "AP@0.5", "top-k");
    for (CategoryAp c : j.categories()) {
      out.printf(
          Locale.ROOT,
          "%-12s %4d %8s %8s%n",
          e.categoryNames().get(c.category()),
          c.groundTruths(),
          fmt(c.ap50()),
          fmt(c.ap50TopK()));
    }
    int wrong = r.frames().stream().mapToInt(FrameReport::wrongStates).sum();
    out.printf(
        Locale.ROOT,
        "at score >= %.2f: precision %s, recall %s (TP %d, FP %d, FN %d; %d TP with a wrong"
            + " state)%n",
        r.threshold(),
        fmt(r.precision()),
        fmt(r.recall()),
        r.truePositives(),
        r.falsePositives(),
        r.falseNegatives(),
        wrong);
    out.printf(
        Locale.ROOT,
        "strict frame pass rate with states %d/%d = %s%n",
        r.passed(),
        r.frames().size(),
        fmt(r.passRate()));
    printFrames(out, r);
  }

  // ---------------------------------------------------------------------------------------------------------
  // --suppression

  private int suppressionTable(
      PrintWriter out, InferenceSession session, CocoDataset coco, String sha) throws Exception {
    List<SuppressionComparison.Row> rows =
        SuppressionComparison.compare(
            session,
            coco,
            images,
            threshold,
            Math.min(threshold, DetrDetector.DEFAULT_CANDIDATE_THRESHOLD));
    if (json) {
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("model", model);
      o.put("model_sha256", sha);
      o.put("mode", "suppression");
      o.put("threshold", threshold);
      o.put("nms_iou", SuppressionComparison.NMS_IOU);
      List<Object> list = new ArrayList<>();
      for (SuppressionComparison.Row r : rows) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("method", r.method().name().toLowerCase(Locale.ROOT));
        m.put("images", r.images());
        m.put("ground_truths", r.groundTruths());
        m.put("predictions", r.predictions());
        m.put("true_positives", r.truePositives());
        m.put("false_positives", r.falsePositives());
        m.put("false_negatives", r.falseNegatives());
        m.put("precision", num(r.precision()));
        m.put("recall", num(r.recall()));
        m.put("duplicates", r.duplicates());
        m.put("joint_state_true_positives", r.jointStateTruePositives());
        m.put("row_lights", r.rowLights());
        m.put("row_lights_found", r.rowLightsFound());
        m.put("neighbour_pairs", r.neighbourPairs());
        m.put("neighbour_pairs_found", r.neighbourPairsFound());
        list.add(m);
      }
      o.put("methods", list);
      out.println(CliSupport.JSON.writeValueAsString(o));
      return 0;
    }
    SuppressionComparison.Row first = rows.get(0);
    out.printf(
        Locale.ROOT,
        "model %s (sha256 %s...), %d dense images, %d lights (%d in rows, %d adjacent pairs),"
            + " threshold %.2f%n",
        model,
        sha.substring(0, 12),
        first.images(),
        first.groundTruths(),
        first.rowLights(),
        first.neighbourPairs(),
        threshold);
    out.printf(
        Locale.ROOT,
        "| %-22s | %6s | %9s | %6s | %4s | %4s | %4s | %4s | %8s | %-11s | %-14s |%n",
        "method",
        "lights",
        "precision",
        "recall",
        "TP",
        "FP",
        "FN",
        "dups",
        "state TP",
        "row lights",
        "adjacent pairs");
    out.println("|---|---|---|---|---|---|---|---|---|---|---|");
    for (SuppressionComparison.Row r : rows) {
      out.printf(
          Locale.ROOT,
          "| %-22s | %6d | %9s | %6s | %4d | %4d | %4d | %4d | %8d | %-11s | %-14s |%n",
          r.method().name().toLowerCase(Locale.ROOT),
          r.predictions(),
          fmt(r.precision()),
          fmt(r.recall()),
          r.truePositives(),
          r.falsePositives(),
          r.falseNegatives(),
          r.duplicates(),
          r.jointStateTruePositives(),
          r.rowLightsFound() + " / " + r.rowLights(),
          r.neighbourPairsFound() + " / " + r.neighbourPairs());
    }
    return 0;
  }

  // ---------------------------------------------------------------------------------------------------------
  // --sequences

  private int trackerTable(PrintWriter out, InferenceSession session, String sha) throws Exception {
    TrafficLightDetector detector =
        TrafficLightDetector.builder(session)
            .scoreThreshold(threshold)
            .candidateThreshold(Math.min(threshold, DetrDetector.DEFAULT_CANDIDATE_THRESHOLD))
            .build();
    LabelSchema schema =
        detector
            .labelSchema(InferenceSession.PRIMARY)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "--sequences needs a model with a label schema, got " + model));
    List<TrackerComparison.Row> rows = new ArrayList<>();
    for (TrackerComparison.Source source : TrackerComparison.Source.values()) {
      List<TrackerComparison.Row> part = new ArrayList<>();
      for (LightSequence seq : LightSequence.readAll(sequences)) {
        List<List<TrafficLight>> lights =
            source == TrackerComparison.Source.MODEL
                ? TrackerComparison.modelLights(detector, seq)
                : TrackerComparison.simulatedLights(schema, seq);
        TrafficLightTracker tracker =
            TrafficLightTracker.builder()
                .meanPhase(Duration.ofMillis(meanPhaseMs))
                .illegalShare(illegalShare)
                .states(schema)
                .build();
        part.add(TrackerComparison.evaluate(seq, source, lights, schema, tracker));
      }
      rows.addAll(part);
      rows.add(TrackerComparison.Row.total("all", part));
    }
    if (json) {
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("model", model);
      o.put("model_sha256", sha);
      o.put("mode", "sequences");
      o.put("threshold", threshold);
      o.put("mean_phase_ms", meanPhaseMs);
      o.put("illegal_share", illegalShare);
      List<Object> list = new ArrayList<>();
      for (TrackerComparison.Row r : rows) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("sequence", r.sequence());
        m.put("source", r.source().name().toLowerCase(Locale.ROOT));
        m.put("objects", r.objects());
        m.put("colour_accuracy", ratio(r.colourCorrect(), r.objects()));
        m.put("joint_state_accuracy", ratio(r.jointCorrect(), r.objects()));
        m.put("tracked_colour_accuracy", ratio(r.trackedCorrect(), r.objects()));
        m.put("tracked_joint_state_accuracy", ratio(r.trackedJointCorrect(), r.objects()));
        m.put("event_objects", r.eventObjects());
        m.put("event_colour_accuracy", ratio(r.eventColourCorrect(), r.eventObjects()));
        m.put("event_tracked_colour_accuracy", ratio(r.eventTrackedCorrect(), r.eventObjects()));
        m.put("flashing_objects", r.flashingObjects());
        m.put("flashing_flagged", r.flashingFlagged());
        list.add(m);
      }
      o.put("sequences", list);
      out.println(CliSupport.JSON.writeValueAsString(o));
      return 0;
    }
    out.printf(
        Locale.ROOT,
        "model %s (sha256 %s...), threshold %.2f, tracker mean phase %d ms, illegal share %s;"
            + " accuracy per (frame, true light)%n",
        model,
        sha.substring(0, 12),
        threshold,
        meanPhaseMs,
        illegalShare);
    out.printf(
        Locale.ROOT,
        "| %-22s | %-9s | %5s | %-17s | %-17s | %-17s | %-17s | %-15s | %-15s | %-9s |%n",
        "sequence",
        "lights",
        "pairs",
        "colour, no tracker",
        "joint, no tracker",
        "colour, tracker",
        "joint, tracker",
        "events, no trk",
        "events, tracker",
        "flashing");
    out.println("|---|---|---|---|---|---|---|---|---|---|");
    for (TrackerComparison.Row r : rows) {
      out.printf(
          Locale.ROOT,
          "| %-22s | %-9s | %5d | %-17s | %-17s | %-17s | %-17s | %-15s | %-15s | %-9s |%n",
          r.sequence(),
          r.source().name().toLowerCase(Locale.ROOT),
          r.objects(),
          pct(r.colourCorrect(), r.objects()),
          pct(r.jointCorrect(), r.objects()),
          pct(r.trackedCorrect(), r.objects()),
          pct(r.trackedJointCorrect(), r.objects()),
          pct(r.eventColourCorrect(), r.eventObjects()),
          pct(r.eventTrackedCorrect(), r.eventObjects()),
          r.flashingObjects() == 0 ? "-" : r.flashingFlagged() + " / " + r.flashingObjects());
    }
    return 0;
  }

  private static Object ratio(int n, int d) {
    return d == 0 ? null : Math.round((double) n / d * 1e4) / 1e4;
  }

  private static String pct(int n, int d) {
    return d == 0 ? "-" : String.format(Locale.ROOT, "%.3f (%d/%d)", (double) n / d, n, d);
  }

  private static String fmt(double v) {
    return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.4f", v);
  }
}
