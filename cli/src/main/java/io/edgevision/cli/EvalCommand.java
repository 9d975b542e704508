package io.edgevision.cli;

import io.edgevision.core.Budget;
import io.edgevision.core.ImageFrame;
import io.edgevision.core.InferenceSession;
import io.edgevision.core.ModelSource;
import io.edgevision.detectors.traffic.CocoDataset;
import io.edgevision.detectors.traffic.ModelCatalog;
import io.edgevision.detectors.traffic.StateClassifier;
import io.edgevision.detectors.traffic.TrafficLight;
import io.edgevision.detectors.traffic.TrafficLightDetector;
import io.edgevision.detectors.traffic.TrafficLightEvaluator;
import io.edgevision.detectors.traffic.TrafficLightEvaluator.Frame;
import io.edgevision.detectors.traffic.TrafficLightEvaluator.FrameReport;
import io.edgevision.detectors.traffic.TrafficLightEvaluator.GroundTruth;
import io.edgevision.detectors.traffic.TrafficLightEvaluator.Prediction;
import io.edgevision.detectors.traffic.TrafficLightEvaluator.Report;
import io.edgevision.detectors.traffic.TrafficLightResult;
import io.edgevision.postprocess.Colour;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code edgevision eval --model M --annotations COCO.json --images DIR [--threshold T] [--json]}: traffic-light
 * AP@0.5 and AP@[0.5:0.95] (COCO-style, 101-point interpolation), precision/recall at the threshold and the strict
 * frame pass rate; see {@link TrafficLightEvaluator} for the exact definitions.
 *
 * <p>The detector runs with its output threshold at {@code --min-score} (default 0.05) so that the ranking for AP
 * sees low-scoring lights too; P/R and the strict pass use {@code --threshold}.
 */
@Command(name = "eval", mixinStandardHelpOptions = true,
    description = "Evaluate traffic-light detection on COCO-format annotations (AP, P/R, strict frame pass rate).")
final class EvalCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--model", required = true,
      description = "ONNX file, or femto | atto | femto-raw | atto-raw (DEIMv2 of the shared models directory)")
  String model;

  @Option(names = "--annotations", required = true, description = "COCO JSON (instances_*.json)")
  Path annotations;

  @Option(names = "--images", required = true, description = "Directory holding the annotation file names")
  Path images;

  @Option(names = "--threshold", defaultValue = "0.3",
      description = "Score threshold for precision/recall and the strict pass (default: ${DEFAULT-VALUE})")
  float threshold;

  @Option(names = "--min-score", defaultValue = "0.05",
      description = "Lowest score the detector returns, for the AP ranking (default: ${DEFAULT-VALUE})")
  float minScore;

  @Option(names = "--category", defaultValue = "traffic light",
      description = "Annotation category evaluated (default: ${DEFAULT-VALUE})")
  String category;

  @Option(names = "--classifier", description = "Second-stage state classifier ONNX")
  Path classifier;

  @Option(names = "--models-dir", description = "Where model labels are looked up (default: <shared>/models)")
  Path modelsDir;

  @Option(names = "--providers", split = ",", defaultValue = "cpu",
      description = "Provider preference (default: ${DEFAULT-VALUE})")
  List<String> providers;

  @Option(names = "--json", description = "One JSON object on stdout")
  boolean json;

  @Override
  public Integer call() throws Exception {
    if (!(threshold >= 0f && threshold <= 1f) || !(minScore >= 0f && minScore <= threshold)) {
      throw new IllegalArgumentException("expected 0 <= --min-score <= --threshold <= 1, got --min-score "
          + minScore + ", --threshold " + threshold);
    }
    CocoDataset coco = CocoDataset.read(annotations);
    int categoryId = coco.categoryId(category).orElseThrow(() -> new IllegalArgumentException(
        "no category '" + category + "' in " + annotations + ", have " + coco.categories().values()));
    Path dir = modelsDir != null ? modelsDir : ModelCatalog.sharedDir().resolve("models");
    List<Frame> frames = new ArrayList<>();
    String sha;
    try (InferenceSession session = ModelCatalog.sessionBuilder(model, dir)
            .providers(CliSupport.providers(providers)).build();
        InferenceSession cls = classifier == null ? null
            : InferenceSession.builder(ModelSource.of(classifier)).providers(CliSupport.providers(providers)).build()) {
      TrafficLightDetector.Builder b = TrafficLightDetector.builder(session).scoreThreshold(minScore)
          .candidateThreshold(minScore);
      if (cls != null) {
        b.stateClassifier(StateClassifier.builder(cls).build());
      }
      TrafficLightDetector detector = b.build();
      sha = session.fingerprint().modelSha256();
      for (CocoDataset.Image image : coco.images()) {
        ImageFrame frame = DetectCommand.readImage(images.resolve(image.fileName()));
        TrafficLightResult r = detector.detect(frame, Budget.unlimited());
        List<Prediction> preds = new ArrayList<>();
        for (TrafficLight l : r.lights()) {
          preds.add(new Prediction(l.box(), l.score(), l.state().map(s -> s.colour()).orElse(Colour.UNKNOWN)));
        }
        List<GroundTruth> truths = coco.annotations(image.id(), categoryId).stream()
            .map(a -> new GroundTruth(a.box(), a.crowd(), a.state())).toList();
        frames.add(new Frame(image.fileName(), truths, preds));
      }
    }
    Report report = TrafficLightEvaluator.evaluate(frames, threshold);
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(CliSupport.JSON.writeValueAsString(toJson(report, sha)));
    } else {
      printTable(out, report, sha);
    }
    return 0;
  }

  private Map<String, Object> toJson(Report r, String sha) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("model", model);
    o.put("model_sha256", sha);
    o.put("annotations", annotations.toString());
    o.put("category", category);
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
    o.put("frames_passed", r.passed());
    o.put("strict_pass_rate", num(r.passRate()));
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
    o.put("per_frame", frames);
    return o;
  }

  /** NaN (undefined) becomes JSON null. */
  private static Object num(double v) {
    return Double.isNaN(v) ? null : Math.round(v * 1e4) / 1e4;
  }

  private void printTable(PrintWriter out, Report r, String sha) {
    out.printf(Locale.ROOT, "model %s (sha256 %s...)%n", model, sha.substring(0, 12));
    out.printf(Locale.ROOT, "%d frames, %d '%s' annotations (crowd regions ignored)%n", r.frames().size(),
        r.groundTruths(), category);
    out.printf(Locale.ROOT, "AP@0.5          %s%n", fmt(r.ap50()));
    out.printf(Locale.ROOT, "AP@[0.5:0.95]   %s   (COCO-style, 101 recall points, max %d per frame)%n",
        fmt(r.ap5095()), TrafficLightEvaluator.MAX_DETECTIONS);
    out.printf(Locale.ROOT, "at score >= %.2f: precision %s, recall %s (TP %d, FP %d, FN %d)%n", r.threshold(),
        fmt(r.precision()), fmt(r.recall()), r.truePositives(), r.falsePositives(), r.falseNegatives());
    out.printf(Locale.ROOT, "strict frame pass rate %d/%d = %s%n", r.passed(), r.frames().size(), fmt(r.passRate()));
    out.printf(Locale.ROOT, "%-20s %4s %4s %4s %4s %6s %s%n", "frame", "GT", "TP", "FP", "FN", "state", "pass");
    for (FrameReport f : r.frames()) {
      out.printf(Locale.ROOT, "%-20s %4d %4d %4d %4d %6d %s%n", f.name(), f.groundTruths(), f.truePositives(),
          f.falsePositives(), f.falseNegatives(), f.wrongStates(), f.passed() ? "yes" : "no");
    }
  }

  private static String fmt(double v) {
    return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.4f", v);
  }
}
