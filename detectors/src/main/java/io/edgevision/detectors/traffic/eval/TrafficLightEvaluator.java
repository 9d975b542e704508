package io.edgevision.detectors.traffic.eval;

import io.edgevision.postprocess.Box;
import io.edgevision.postprocess.Boxes;
import io.edgevision.postprocess.Colour;
import io.edgevision.postprocess.LabelScore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Scores traffic-light detections against ground truth: COCO-style average precision
 * (class-agnostic, and per joint state), precision and recall at a score threshold, and the strict
 * frame pass rate.
 *
 * <h2>Measures</h2>
 *
 * <ul>
 *   <li><b>AP@0.5</b> and <b>AP@[0.5:0.95]</b> (mean over IoU 0.50, 0.55, …, 0.95) for the one
 *       class, computed as pycocotools does: per frame the {@value #MAX_DETECTIONS} best
 *       predictions, highest score first, are each matched greedily to the unmatched ground truth
 *       of highest IoU ≥ the threshold (crowd regions can absorb any number of predictions and are
 *       ignored: neither needed nor false positives; crowd IoU is intersection over the
 *       prediction's area); all frames' predictions are then ranked by score (stable), precision is
 *       made monotone (each value replaced by the maximum to its right) and sampled at the <b>101
 *       recall points</b> 0, 0.01, …, 1 (the first rank reaching each recall; 0 beyond the last
 *       recall reached); AP is the mean of the 101 samples. With no ground truth AP is undefined
 *       ({@code NaN}). Categories are ignored here: this is the <b>class-agnostic</b> AP.
 *   <li><b>Joint-state AP@0.5</b> ({@link #jointStateAp}), for frames whose ground truth and
 *       predictions carry a category (a joint state such as {@code red_left}): the same AP@0.5
 *       computed per category on that category's ground truth and predictions only (pycocotools per
 *       category: best {@value #MAX_DETECTIONS} per frame and category), averaged over the
 *       categories that have ground truth (COCO mAP). Two ways to count predictions: <b>one label
 *       per prediction</b> (the prediction's category with its score: what the detector reports,
 *       the headline figure) and <b>top-k labels</b> (each of the prediction's {@link
 *       Prediction#alternatives() alternative labels} is also a prediction of its category, same
 *       box, its own score: DETR's usual top-k over queries × classes, where a query's second-best
 *       label can still match).
 *   <li><b>Precision and recall at the threshold</b>: the same matching at IoU 0.5 over predictions
 *       scoring at least the threshold. TP = matched, FP = unmatched (not on a crowd region), FN =
 *       unmatched ground truth.
 *   <li><b>Strict frame pass rate</b> (the seed system's measure): a frame passes only when every
 *       (non-crowd) ground-truth light is matched at IoU ≥ 0.5 by a prediction above the threshold
 *       whose colour equals the annotated state where a state is annotated <b>and whose category
 *       equals the annotated category where one is given</b> (the joint state, with states), and no
 *       prediction above the threshold is a false positive. Matching is the class-agnostic matching
 *       above; the state is checked on the matched pair. A frame without lights passes when nothing
 *       is predicted above the threshold.
 * </ul>
 *
 * <p>Example: {@code Report r = TrafficLightEvaluator.evaluate(frames, 0.3f); r.ap50();
 * r.passRate();}
 *
 * <p>Threading: stateless static functions; safe everywhere.
 */
public final class TrafficLightEvaluator {
  /** Default score threshold for precision, recall and the strict pass rate. */
  public static final float DEFAULT_THRESHOLD = 0.3f;

  /** The IoU at which a prediction matches a ground-truth light for P/R and the strict pass. */
  public static final double MATCH_IOU = 0.5;

  /** Predictions kept per frame (COCO maxDets). */
  public static final int MAX_DETECTIONS = 100;

  /** Number of recall points of the interpolated AP. */
  public static final int RECALL_POINTS = 101;

  /** The category of a ground truth or prediction without one. */
  public static final int NO_CATEGORY = -1;

  private TrafficLightEvaluator() {}

  /**
   * A ground-truth light.
   *
   * @param box the box, pixels
   * @param crowd a crowd region (ignored)
   * @param state the annotated colour, {@link Colour#UNKNOWN} when not annotated
   * @param category the annotated joint-state category (0-based, e.g. a label-schema index), {@link
   *     #NO_CATEGORY} when not annotated
   */
  public record GroundTruth(Box box, boolean crowd, Colour state, int category) {
    /** Validates the entry. */
    public GroundTruth {
      Objects.requireNonNull(box, "box");
      Objects.requireNonNull(state, "state");
      if (category < NO_CATEGORY) {
        throw new IllegalArgumentException(
            "expected a category >= 0 or NO_CATEGORY, got " + category);
      }
    }

    /**
     * A ground truth without category.
     *
     * @param box the box, pixels
     * @param crowd a crowd region (ignored)
     * @param state the annotated colour, {@link Colour#UNKNOWN} when not annotated
     */
    public GroundTruth(Box box, boolean crowd, Colour state) {
      this(box, crowd, state, NO_CATEGORY);
    }
  }

  /**
   * A predicted light.
   *
   * @param box the box, pixels
   * @param score the detector's score
   * @param colour the predicted colour, {@link Colour#UNKNOWN} when the detector gives no state
   * @param category the predicted joint-state category (the detector's label), {@link #NO_CATEGORY}
   *     when none
   * @param alternatives other categories the detector also scored for this box (the top-k labels of
   *     the joint-state AP); ignored everywhere else
   */
  public record Prediction(
      Box box, float score, Colour colour, int category, List<LabelScore> alternatives) {
    /** Validates and copies. */
    public Prediction {
      Objects.requireNonNull(box, "box");
      Objects.requireNonNull(colour, "colour");
      alternatives = List.copyOf(alternatives);
      if (!Float.isFinite(score)) {
        throw new IllegalArgumentException("expected a finite score, got " + score);
      }
      if (category < NO_CATEGORY) {
        throw new IllegalArgumentException(
            "expected a category >= 0 or NO_CATEGORY, got " + category);
      }
    }

    /**
     * A prediction without category.
     *
     * @param box the box, pixels
     * @param score the detector's score
     * @param colour the predicted colour, {@link Colour#UNKNOWN} when the detector gives no state
     */
    public Prediction(Box box, float score, Colour colour) {
      this(box, score, colour, NO_CATEGORY, List.of());
    }
  }

  /**
   * One evaluated frame.
   *
   * @param name a name for reports (e.g. the file name)
   * @param truths its ground-truth lights
   * @param predictions its predicted lights, any order
   */
  public record Frame(String name, List<GroundTruth> truths, List<Prediction> predictions) {
    /** Validates and copies. */
    public Frame {
      Objects.requireNonNull(name, "name");
      truths = List.copyOf(truths);
      predictions = List.copyOf(predictions);
    }
  }

  /**
   * Per-frame counts at the threshold.
   *
   * @param name the frame's name
   * @param groundTruths non-crowd ground-truth lights
   * @param truePositives matched at IoU ≥ 0.5 above the threshold
   * @param falsePositives predictions above the threshold matching nothing
   * @param falseNegatives ground-truth lights not matched
   * @param wrongStates matched lights whose annotated state (colour, category) the prediction
   *     contradicts
   * @param passed whether the frame passes the strict rule
   */
  public record FrameReport(
      String name,
      int groundTruths,
      int truePositives,
      int falsePositives,
      int falseNegatives,
      int wrongStates,
      boolean passed) {}

  /**
   * The evaluation.
   *
   * @param threshold the score threshold of P/R and the strict pass
   * @param groundTruths non-crowd ground-truth lights over all frames
   * @param ap50 AP at IoU 0.5 (NaN without ground truth)
   * @param ap5095 mean AP over IoU 0.50:0.05:0.95 (NaN without ground truth)
   * @param truePositives TP at the threshold
   * @param falsePositives FP at the threshold
   * @param falseNegatives FN at the threshold
   * @param precision TP / (TP + FP), NaN when nothing is predicted above the threshold
   * @param recall TP / ground truths, NaN without ground truth
   * @param passed frames passing the strict rule
   * @param frames per-frame reports, input order
   */
  public record Report(
      float threshold,
      int groundTruths,
      double ap50,
      double ap5095,
      int truePositives,
      int falsePositives,
      int falseNegatives,
      double precision,
      double recall,
      int passed,
      List<FrameReport> frames) {
    /** Copies. */
    public Report {
      frames = List.copyOf(frames);
    }

    /**
     * @return passed / frames (NaN without frames)
     */
    public double passRate() {
      return frames.isEmpty() ? Double.NaN : (double) passed / frames.size();
    }
  }

  /**
   * AP@0.5 of one joint-state category.
   *
   * @param category the category
   * @param groundTruths its non-crowd ground truths over all frames
   * @param ap50 AP@0.5, one label per prediction (NaN without ground truth)
   * @param ap50TopK AP@0.5 with the alternatives counted as predictions (NaN without ground truth)
   */
  public record CategoryAp(int category, int groundTruths, double ap50, double ap50TopK) {}

  /**
   * Joint-state AP@0.5 (COCO mAP over the categories that have ground truth).
   *
   * @param ap50 mean over the categories with ground truth, one label per prediction (NaN when none
   *     has any)
   * @param ap50TopK the same with the alternatives counted as predictions
   * @param categories per category {@code 0 … categories - 1}, with or without ground truth
   */
  public record JointStateAp(double ap50, double ap50TopK, List<CategoryAp> categories) {
    /** Copies. */
    public JointStateAp {
      categories = List.copyOf(categories);
    }
  }

  /**
   * Joint-state AP@0.5 per category and its mean (definitions in the class Javadoc).
   *
   * @param frames the frames; ground truth and predictions without category take part in no
   *     category
   * @param categories the number of categories (e.g. the label schema's size), at least 1
   * @return the per-category APs and their means
   * @throws IllegalArgumentException when {@code categories < 1} or a category is {@code >=
   *     categories}
   */
  public static JointStateAp jointStateAp(List<Frame> frames, int categories) {
    if (categories < 1) {
      throw new IllegalArgumentException("expected at least 1 category, got " + categories);
    }
    List<Frame> topK = new ArrayList<>(frames.size());
    for (Frame f : frames) {
      for (GroundTruth g : f.truths()) {
        checkCategory(g.category(), categories);
      }
      List<Prediction> expanded = new ArrayList<>();
      for (Prediction p : f.predictions()) {
        checkCategory(p.category(), categories);
        expanded.add(p);
        if (p.category() == NO_CATEGORY) {
          continue;
        }
        float[] best =
            new float[categories]; // one prediction per other category: its best alternative score
        Arrays.fill(best, -1f);
        for (LabelScore a : p.alternatives()) {
          checkCategory(a.classId(), categories);
          if (a.classId() != p.category()) {
            best[a.classId()] = Math.max(best[a.classId()], a.score());
          }
        }
        for (int c = 0; c < categories; c++) {
          if (best[c] >= 0f) {
            expanded.add(new Prediction(p.box(), best[c], p.colour(), c, List.of()));
          }
        }
      }
      topK.add(new Frame(f.name(), f.truths(), expanded));
    }
    List<CategoryAp> per = new ArrayList<>(categories);
    double sum = 0;
    double sumTopK = 0;
    int withTruth = 0;
    for (int c = 0; c < categories; c++) {
      List<Frame> one = ofCategory(frames, c);
      int n = 0;
      for (Frame f : one) {
        n += (int) f.truths().stream().filter(g -> !g.crowd()).count();
      }
      double ap = averagePrecision(one, MATCH_IOU);
      double apTopK = averagePrecision(ofCategory(topK, c), MATCH_IOU);
      per.add(new CategoryAp(c, n, ap, apTopK));
      if (n > 0) {
        sum += ap;
        sumTopK += apTopK;
        withTruth++;
      }
    }
    return withTruth == 0
        ? new JointStateAp(Double.NaN, Double.NaN, per)
        : new JointStateAp(sum / withTruth, sumTopK / withTruth, per);
  }

  private static void checkCategory(int category, int categories) {
    if (category >= categories) {
      throw new IllegalArgumentException(
          "expected categories below " + categories + ", got " + category);
    }
  }

  /** The frames restricted to one category's ground truth and predictions. */
  private static List<Frame> ofCategory(List<Frame> frames, int category) {
    List<Frame> out = new ArrayList<>(frames.size());
    for (Frame f : frames) {
      out.add(
          new Frame(
              f.name(),
              f.truths().stream().filter(g -> g.category() == category).toList(),
              f.predictions().stream().filter(p -> p.category() == category).toList()));
    }
    return out;
  }

  /**
   * Which ground truths of one frame are matched at IoU ≥ {@value #MATCH_IOU} by a prediction
   * scoring at least {@code threshold} (the class-agnostic matching of P/R).
   *
   * @param frame the frame
   * @param threshold the score threshold
   * @return one flag per ground truth, the frame's order (crowd regions: whether anything fell on
   *     them)
   */
  static boolean[] matchedTruths(Frame frame, float threshold) {
    return matchAbove(frame, threshold).truthMatched();
  }

  /**
   * The class-agnostic matching of one frame at the threshold.
   *
   * @param ranked the frame's best {@value #MAX_DETECTIONS} predictions scoring at least the
   *     threshold, score order
   * @param truthOf per ranked prediction, the index of the ground truth it matched, -1 for none
   * @param truthMatched per ground truth, whether a prediction matched it
   */
  record Matched(List<Prediction> ranked, int[] truthOf, boolean[] truthMatched) {}

  static Matched matchAbove(Frame frame, float threshold) {
    List<Prediction> above =
        top(frame.predictions()).stream().filter(p -> p.score() >= threshold).toList();
    Matching m = match(frame.truths(), above, MATCH_IOU);
    boolean[] out = new boolean[frame.truths().size()];
    for (int g : m.predictionToTruth) {
      if (g >= 0) {
        out[g] = true;
      }
    }
    return new Matched(above, m.predictionToTruth, out);
  }

  /**
   * Evaluates frames.
   *
   * @param frames the frames with their ground truth and predictions
   * @param threshold the score threshold of P/R and the strict pass, in {@code [0, 1]}
   * @return the report
   */
  public static Report evaluate(List<Frame> frames, float threshold) {
    if (!(threshold >= 0f && threshold <= 1f)) {
      throw new IllegalArgumentException("expected a threshold in [0, 1], got " + threshold);
    }
    double[] aps = new double[10];
    for (int k = 0; k < 10; k++) {
      aps[k] =
          averagePrecision(
              frames, k == 9 ? 0.95 : 0.5 + k * ((0.95 - 0.5) / 9)); // np.linspace(.5, .95, 10)
    }
    double sum = 0;
    for (double ap : aps) {
      sum += ap;
    }
    int gts = 0;
    int tp = 0;
    int fp = 0;
    int fn = 0;
    int passed = 0;
    List<FrameReport> reports = new ArrayList<>();
    for (Frame f : frames) {
      List<Prediction> above =
          top(f.predictions()).stream().filter(p -> p.score() >= threshold).toList();
      Matching m = match(f.truths(), above, MATCH_IOU);
      int n = (int) f.truths().stream().filter(g -> !g.crowd()).count();
      int t = 0;
      int wrong = 0;
      int falsePos = 0;
      for (int i = 0; i < above.size(); i++) {
        int g = m.predictionToTruth[i];
        if (g < 0) {
          falsePos++;
        } else if (!f.truths().get(g).crowd()) {
          t++;
          GroundTruth truth = f.truths().get(g);
          Colour want = truth.state();
          Prediction p = above.get(i);
          if ((want != Colour.UNKNOWN && p.colour() != want)
              || (truth.category() != NO_CATEGORY && p.category() != truth.category())) {
            wrong++;
          }
        }
      }
      boolean pass = t == n && falsePos == 0 && wrong == 0;
      reports.add(new FrameReport(f.name(), n, t, falsePos, n - t, wrong, pass));
      gts += n;
      tp += t;
      fp += falsePos;
      fn += n - t;
      passed += pass ? 1 : 0;
    }
    double precision = tp + fp == 0 ? Double.NaN : (double) tp / (tp + fp);
    double recall = gts == 0 ? Double.NaN : (double) tp / gts;
    return new Report(
        threshold, gts, aps[0], sum / 10, tp, fp, fn, precision, recall, passed, reports);
  }

  /** The {@value #MAX_DETECTIONS} best predictions, score descending, ties in input order. */
  private static List<Prediction> top(List<Prediction> predictions) {
    List<Prediction> sorted = new ArrayList<>(predictions);
    sorted.sort(Comparator.comparingDouble((Prediction p) -> p.score()).reversed());
    return sorted.size() > MAX_DETECTIONS ? sorted.subList(0, MAX_DETECTIONS) : sorted;
  }

  /** Which truth each prediction matched (-1: none); predictions must be in score order. */
  private record Matching(int[] predictionToTruth) {}

  /** pycocotools evaluateImg matching for one frame at one IoU threshold. */
  private static Matching match(
      List<GroundTruth> truths, List<Prediction> predictions, double iouThreshold) {
    // Non-crowd truths first (pycocotools sorts ignored ground truth last).
    List<Integer> order = new ArrayList<>();
    for (int g = 0; g < truths.size(); g++) {
      if (!truths.get(g).crowd()) {
        order.add(g);
      }
    }
    for (int g = 0; g < truths.size(); g++) {
      if (truths.get(g).crowd()) {
        order.add(g);
      }
    }
    boolean[] taken = new boolean[truths.size()];
    int[] out = new int[predictions.size()];
    for (int d = 0; d < predictions.size(); d++) {
      Box p = predictions.get(d).box();
      double best = Math.min(iouThreshold, 1 - 1e-10);
      int bestTruth = -1;
      for (int g : order) {
        GroundTruth gt = truths.get(g);
        if (taken[g] && !gt.crowd()) {
          continue;
        }
        if (bestTruth > -1 && !truths.get(bestTruth).crowd() && gt.crowd()) {
          break;
        }
        double iou = gt.crowd() ? crowdIou(p, gt.box()) : Boxes.iou(p, gt.box());
        if (iou < best) {
          continue;
        }
        best = iou;
        bestTruth = g;
      }
      out[d] = bestTruth;
      if (bestTruth >= 0) {
        taken[bestTruth] = true;
      }
    }
    return new Matching(out);
  }

  /** COCO's IoU against a crowd region: intersection over the prediction's area. */
  private static double crowdIou(Box p, Box crowd) {
    double iw = Math.min(p.x2(), crowd.x2()) - Math.max(p.x1(), crowd.x1());
    double ih = Math.min(p.y2(), crowd.y2()) - Math.max(p.y1(), crowd.y1());
    double area = (double) p.width() * p.height();
    return iw <= 0 || ih <= 0 || area <= 0 ? 0 : iw * ih / area;
  }

  /** 101-point interpolated AP at one IoU threshold over all frames. */
  static double averagePrecision(List<Frame> frames, double iouThreshold) {
    int npig = 0;
    List<float[]> ranked = new ArrayList<>(); // {score, isTp}, frame order then score order
    for (Frame f : frames) {
      npig += (int) f.truths().stream().filter(g -> !g.crowd()).count();
      List<Prediction> preds = top(f.predictions());
      Matching m = match(f.truths(), preds, iouThreshold);
      for (int d = 0; d < preds.size(); d++) {
        int g = m.predictionToTruth[d];
        if (g >= 0 && f.truths().get(g).crowd()) {
          continue; // matched a crowd region: ignored
        }
        ranked.add(new float[] {preds.get(d).score(), g >= 0 ? 1f : 0f});
      }
    }
    if (npig == 0) {
      return Double.NaN;
    }
    ranked.sort((a, b) -> Float.compare(b[0], a[0])); // stable, like numpy mergesort
    int n = ranked.size();
    double[] recall = new double[n];
    double[] precision = new double[n];
    int tp = 0;
    int fp = 0;
    for (int i = 0; i < n; i++) {
      if (ranked.get(i)[1] > 0) {
        tp++;
      } else {
        fp++;
      }
      recall[i] = (double) tp / npig;
      precision[i] = tp / (tp + fp + Math.ulp(1.0));
    }
    for (int i = n - 1; i > 0; i--) {
      precision[i - 1] = Math.max(precision[i - 1], precision[i]);
    }
    double sum = 0;
    int p = 0;
    for (int r = 0; r < RECALL_POINTS; r++) {
      double threshold = r == RECALL_POINTS - 1 ? 1.0 : r * 0.01; // np.linspace(0, 1, 101)
      while (p < n && recall[p] < threshold) {
        p++;
      }
      sum += p < n ? precision[p] : 0;
    }
    return sum / RECALL_POINTS;
  }
}
