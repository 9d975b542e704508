package io.edgevision.detectors.traffic.eval;

import io.edgevision.core.Budget;
import io.edgevision.core.InferenceSession;
import io.edgevision.detectors.traffic.DetrDetector;
import io.edgevision.detectors.traffic.TrafficLightDetector;
import io.edgevision.detectors.traffic.eval.TrafficLightEvaluator.Frame;
import io.edgevision.detectors.traffic.eval.TrafficLightEvaluator.GroundTruth;
import io.edgevision.detectors.traffic.eval.TrafficLightEvaluator.Matched;
import io.edgevision.detectors.traffic.eval.TrafficLightEvaluator.Prediction;
import io.edgevision.detectors.traffic.eval.TrafficLightEvaluator.Report;
import io.edgevision.postprocess.Boxes;
import io.edgevision.postprocess.Colour;
import io.edgevision.postprocess.Detection;
import io.edgevision.postprocess.Detections;
import io.edgevision.postprocess.DuplicateSuppressor;
import io.edgevision.postprocess.Nms;
import io.edgevision.postprocess.NmsResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What duplicate suppression buys on a DETR model in dense scenes: the same decoded candidates are
 * post-processed three ways and scored at one operating threshold.
 *
 * <ul>
 *   <li>{@link Method#RAW_TOP_K}: no suppression; every (query, label) pair of the sigmoid top-k
 *       scoring at least the threshold is a light (a query above the threshold under two labels
 *       gives two lights).
 *   <li>{@link Method#DUPLICATE_SUPPRESSOR}: {@link DuplicateSuppressor#defaults()} with the
 *       threshold as its output threshold, fed every candidate down to the candidate threshold (as
 *       {@link DetrDetector} does: lower candidates only become alternatives). This is exactly what
 *       {@link TrafficLightDetector} returns.
 *   <li>{@link Method#CLASS_AGNOSTIC_NMS}: plain class-agnostic hard NMS ({@link Nms#hard}, IoU
 *       {@value #NMS_IOU}, {@code torchvision.ops.nms}) over the raw top-k lights.
 * </ul>
 *
 * <p>Scored class-agnostically (IoU ≥ 0.5, greedy in score order, {@link TrafficLightEvaluator}):
 * precision, recall, duplicates (false positives overlapping an already matched light at IoU ≥
 * 0.5), lights in a row of side-by-side housings ({@code attributes.row}) found, and adjacent pairs
 * in a row (neighbours by box centre along the row) of which both lights are found — the
 * side-by-side neighbours that naive NMS can delete. Joint-state TP counts the matched lights whose
 * label is the annotated joint state.
 *
 * <p>Dense images are those with at least two annotations in the same row. Categories must be the
 * model's joint states ({@link CocoEvaluation#categoryToState}).
 *
 * <p>Threading: stateless static functions; safe from any thread.
 */
public final class SuppressionComparison {
  /** IoU threshold of the plain NMS baseline. */
  public static final float NMS_IOU = 0.5f;

  private SuppressionComparison() {}

  /** How candidates become lights. */
  public enum Method {
    /** No suppression: every top-k (query, label) pair above the threshold. */
    RAW_TOP_K,
    /** {@link DuplicateSuppressor#defaults()} (what the SDK's detectors do). */
    DUPLICATE_SUPPRESSOR,
    /** Class-agnostic hard NMS at IoU {@value #NMS_IOU}. */
    CLASS_AGNOSTIC_NMS
  }

  /**
   * One method's scores over the dense images.
   *
   * @param method the method
   * @param images images scored
   * @param groundTruths ground-truth lights
   * @param predictions lights output at the threshold
   * @param truePositives matched lights (class-agnostic)
   * @param falsePositives unmatched lights
   * @param falseNegatives missed ground truths
   * @param duplicates false positives at IoU ≥ 0.5 with a ground truth another light already
   *     matched
   * @param jointStateTruePositives matched lights whose label is the annotated joint state
   * @param rowLights ground truths in a row
   * @param rowLightsFound of which matched
   * @param neighbourPairs adjacent pairs of ground truths in a row
   * @param neighbourPairsFound of which both lights matched
   */
  public record Row(
      Method method,
      int images,
      int groundTruths,
      int predictions,
      int truePositives,
      int falsePositives,
      int falseNegatives,
      int duplicates,
      int jointStateTruePositives,
      int rowLights,
      int rowLightsFound,
      int neighbourPairs,
      int neighbourPairsFound) {
    /**
     * @return TP / (TP + FP), NaN without predictions
     */
    public double precision() {
      return predictions == 0 ? Double.NaN : (double) truePositives / predictions;
    }

    /**
     * @return TP / ground truths, NaN without ground truth
     */
    public double recall() {
      return groundTruths == 0 ? Double.NaN : (double) truePositives / groundTruths;
    }
  }

  /**
   * Whether an image has a dense row: at least two of its annotations share a row id.
   *
   * @param annotations one image's annotations
   * @return true for a dense image
   */
  public static boolean isDense(List<CocoDataset.Annotation> annotations) {
    Map<Integer, Integer> perRow = new HashMap<>();
    for (CocoDataset.Annotation a : annotations) {
      if (a.row() != CocoDataset.Annotation.NO_ROW && perRow.merge(a.row(), 1, Integer::sum) >= 2) {
        return true;
      }
    }
    return false;
  }

  /**
   * Compares the three methods on the dense images of a dataset.
   *
   * @param session the model (a DETR-family export with a label schema); borrowed, not closed
   * @param coco the annotations, categories named as the model's joint states
   * @param imagesDir where the annotation file names are
   * @param threshold the operating threshold, in {@code (0, 1]}
   * @param candidateThreshold the lowest decoded candidate, in {@code (0, threshold]} (the SDK
   *     default is {@link DetrDetector#DEFAULT_CANDIDATE_THRESHOLD})
   * @return one row per method, {@link Method} order
   * @throws IllegalArgumentException for thresholds out of range, a model without label schema or
   *     categories that are not its states
   * @throws io.edgevision.core.EdgeVisionException when an image cannot be read or the model fails
   */
  public static List<Row> compare(
      InferenceSession session,
      CocoDataset coco,
      Path imagesDir,
      float threshold,
      float candidateThreshold) {
    Objects.requireNonNull(session, "session");
    if (!(threshold > 0f
        && threshold <= 1f
        && candidateThreshold > 0f
        && candidateThreshold <= threshold)) {
      throw new IllegalArgumentException(
          "expected 0 < candidateThreshold <= threshold <= 1, got "
              + candidateThreshold
              + " and "
              + threshold);
    }
    // All candidates, unsuppressed: the decode step of DetrDetector with a suppressor that removes
    // nothing.
    DetrDetector candidates =
        DetrDetector.builder(session)
            .suppressor(DuplicateSuppressor.disabled())
            .scoreThreshold(candidateThreshold)
            .candidateThreshold(candidateThreshold)
            .build();
    TrafficLightDetector forSchema = TrafficLightDetector.builder(session).build();
    Map<Integer, Integer> toState =
        CocoEvaluation.categoryToState(
            coco,
            forSchema
                .labelSchema(InferenceSession.PRIMARY)
                .orElseThrow(
                    () ->
                        new IllegalArgumentException(
                            "expected a model with a label schema, got "
                                + session.model().name())));
    DuplicateSuppressor suppressor =
        DuplicateSuppressor.defaults().toBuilder().scoreThreshold(threshold).build();
    Map<Method, List<Frame>> frames = new EnumMap<>(Method.class);
    for (Method m : Method.values()) {
      frames.put(m, new ArrayList<>());
    }
    List<List<CocoDataset.Annotation>> denseAnnotations = new ArrayList<>();
    for (CocoDataset.Image image : coco.images()) {
      List<CocoDataset.Annotation> anns = coco.annotations(image.id());
      if (!isDense(anns)) {
        continue;
      }
      denseAnnotations.add(anns);
      List<GroundTruth> truths =
          anns.stream()
              .map(
                  a ->
                      new GroundTruth(
                          a.box(), a.crowd(), Colour.UNKNOWN, toState.get(a.categoryId())))
              .toList();
      Detections all =
          candidates.detect(CocoEvaluation.read(imagesDir, image), Budget.unlimited()).detections();
      List<Detection> raw = all.stream().filter(d -> d.score() >= threshold).toList();
      frames.get(Method.RAW_TOP_K).add(new Frame(image.fileName(), truths, predictions(raw)));

      int n = all.size();
      float[] xyxy = new float[4 * n];
      float[] scores = new float[n];
      int[] classes = new int[n];
      int[] queries = new int[n];
      for (int i = 0; i < n; i++) {
        Detection d = all.get(i);
        d.box().toArray(xyxy, i);
        scores[i] = d.score();
        classes[i] = d.classId();
        queries[i] = d.queryIndex();
      }
      frames
          .get(Method.DUPLICATE_SUPPRESSOR)
          .add(
              new Frame(
                  image.fileName(),
                  truths,
                  predictions(
                      suppressor.suppress(xyxy, scores, classes, queries, n).detections())));

      float[] rawXyxy = new float[4 * raw.size()];
      float[] rawScores = new float[raw.size()];
      for (int i = 0; i < raw.size(); i++) {
        raw.get(i).box().toArray(rawXyxy, i);
        rawScores[i] = raw.get(i).score();
      }
      NmsResult kept = Nms.hard(rawXyxy, rawScores, NMS_IOU);
      List<Detection> nms = new ArrayList<>();
      for (int k = 0; k < kept.size(); k++) {
        nms.add(raw.get(kept.index(k)));
      }
      frames
          .get(Method.CLASS_AGNOSTIC_NMS)
          .add(new Frame(image.fileName(), truths, predictions(nms)));
    }
    List<Row> rows = new ArrayList<>();
    for (Method m : Method.values()) {
      rows.add(score(m, frames.get(m), denseAnnotations, threshold));
    }
    return List.copyOf(rows);
  }

  private static List<Prediction> predictions(List<Detection> detections) {
    return detections.stream()
        .map(d -> new Prediction(d.box(), d.score(), Colour.UNKNOWN, d.classId(), List.of()))
        .toList();
  }

  private static Row score(
      Method method,
      List<Frame> frames,
      List<List<CocoDataset.Annotation>> annotations,
      float threshold) {
    Report report = TrafficLightEvaluator.evaluate(frames, threshold);
    int duplicates = 0;
    int jointTp = 0;
    int rowLights = 0;
    int rowFound = 0;
    int pairs = 0;
    int pairsFound = 0;
    int predictions = 0;
    for (int f = 0; f < frames.size(); f++) {
      Frame frame = frames.get(f);
      Matched m = TrafficLightEvaluator.matchAbove(frame, threshold);
      predictions += m.ranked().size();
      for (int i = 0; i < m.ranked().size(); i++) {
        Prediction p = m.ranked().get(i);
        int g = m.truthOf()[i];
        if (g >= 0) {
          jointTp += p.category() == frame.truths().get(g).category() ? 1 : 0;
          continue;
        }
        for (int t = 0; t < frame.truths().size(); t++) {
          if (m.truthMatched()[t]
              && Boxes.iou(p.box(), frame.truths().get(t).box())
                  >= TrafficLightEvaluator.MATCH_IOU) {
            duplicates++;
            break;
          }
        }
      }
      List<CocoDataset.Annotation> anns = annotations.get(f);
      Map<Integer, List<Integer>> rows = new HashMap<>();
      for (int t = 0; t < anns.size(); t++) {
        if (anns.get(t).row() != CocoDataset.Annotation.NO_ROW) {
          rows.computeIfAbsent(anns.get(t).row(), k -> new ArrayList<>()).add(t);
          rowLights++;
          rowFound += m.truthMatched()[t] ? 1 : 0;
        }
      }
      for (List<Integer> row : rows.values()) {
        row.sort(Comparator.comparingDouble(t -> centre(anns.get(t))));
        for (int k = 0; k + 1 < row.size(); k++) {
          pairs++;
          pairsFound += m.truthMatched()[row.get(k)] && m.truthMatched()[row.get(k + 1)] ? 1 : 0;
        }
      }
    }
    return new Row(
        method,
        frames.size(),
        report.groundTruths(),
        predictions,
        report.truePositives(),
        report.falsePositives(),
        report.falseNegatives(),
        duplicates,
        jointTp,
        rowLights,
        rowFound,
        pairs,
        pairsFound);
  }

  /** Centre along the row (rows are horizontal mast arms: x). */
  private static double centre(CocoDataset.Annotation a) {
    return (a.box().x1() + a.box().x2()) / 2.0;
  }
}
