package io.edgevision.spark;

import io.edgevision.postprocess.Box;
import io.edgevision.postprocess.Colour;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The per-frame half of a distributed traffic-light evaluation: matches one frame's predictions to
 * its ground truth exactly as the single-machine evaluator of {@code ./edgevision eval} does
 * (pycocotools rules), and keeps only what the aggregation needs: per ranked prediction its score
 * and whether it is a true positive (or ignored) at each of the ten IoU thresholds, and the frame's
 * counts at the operating threshold. {@link ApAccumulator} turns the predictions of all frames, in
 * global score order, into AP.
 *
 * <h2>Rules</h2>
 *
 * <ul>
 *   <li>The frame's {@value #MAX_DETECTIONS} best predictions, score descending, ties in input
 *       order (stable).
 *   <li>At each IoU threshold {@code 0.50, 0.55, …, 0.95}: each prediction in that order takes the
 *       unmatched non-crowd ground truth of highest IoU ≥ the threshold, else a crowd region it
 *       overlaps enough (crowd IoU = intersection over the prediction's area; a crowd region
 *       absorbs any number). A prediction on a crowd region is <b>ignored</b> (neither TP nor FP).
 *   <li>At the operating threshold: the same matching at IoU 0.5 over predictions scoring at least
 *       the threshold; TP = matched non-crowd, FP = unmatched, FN = non-crowd ground truth left; a
 *       TP is a <b>wrong state</b> when the ground truth has a colour and the prediction's differs;
 *       the frame <b>passes</b> when every non-crowd light is found, nothing is a FP and no state
 *       is wrong.
 * </ul>
 *
 * <p>Example: {@code FrameMatch m = FrameMatcher.match(truths, predictions, 0.3f);
 * m.ranked().get(0).truePositive(0)}.
 *
 * <p>Threading: stateless static functions; the records are immutable.
 */
public final class FrameMatcher {
  /** Predictions kept per frame (COCO maxDets). */
  public static final int MAX_DETECTIONS = 100;

  /** The IoU thresholds of AP@[0.5:0.95]; index 0 is AP@0.5 and the IoU of P/R. */
  static final double[] IOUS = new double[10];

  static {
    for (int k = 0; k < IOUS.length; k++) {
      IOUS[k] = k == 9 ? 0.95 : 0.5 + k * ((0.95 - 0.5) / 9); // np.linspace(.5, .95, 10)
    }
  }

  private FrameMatcher() {}

  /**
   * A ground-truth light.
   *
   * @param box pixels
   * @param crowd a crowd region (ignored)
   * @param colour the annotated colour, {@link Colour#UNKNOWN} when not annotated
   */
  public record Truth(Box box, boolean crowd, Colour colour) implements Serializable {
    /** Validates. */
    public Truth {
      Objects.requireNonNull(box, "box");
      Objects.requireNonNull(colour, "colour");
    }
  }

  /**
   * A predicted light.
   *
   * @param box pixels
   * @param score the detector's score (finite)
   * @param colour the predicted colour, {@link Colour#UNKNOWN} without a state
   */
  public record Predicted(Box box, float score, Colour colour) implements Serializable {
    /** Validates. */
    public Predicted {
      Objects.requireNonNull(box, "box");
      Objects.requireNonNull(colour, "colour");
      if (!Float.isFinite(score)) {
        throw new IllegalArgumentException("expected a finite score, got " + score);
      }
    }
  }

  /**
   * One of a frame's best predictions.
   *
   * @param score its score
   * @param rank its position in the frame's score order (0 = best), the tie-breaker after the
   *     frame's order
   * @param truePositiveMask bit k set: matched a non-crowd ground truth at IoU threshold k
   * @param ignoredMask bit k set: matched a crowd region at IoU threshold k (left out of AP at k)
   */
  public record Ranked(float score, int rank, int truePositiveMask, int ignoredMask)
      implements Serializable {
    /**
     * @param k IoU threshold index @return whether a true positive there
     */
    public boolean truePositive(int k) {
      return (truePositiveMask >>> k & 1) != 0;
    }

    /**
     * @param k IoU threshold index @return whether ignored there
     */
    public boolean ignored(int k) {
      return (ignoredMask >>> k & 1) != 0;
    }
  }

  /**
   * A frame, matched.
   *
   * @param groundTruths non-crowd ground-truth lights
   * @param truePositives TP at the operating threshold
   * @param falsePositives FP at the operating threshold
   * @param wrongStates TPs whose colour contradicts the annotated one
   * @param passed the strict frame rule
   * @param ranked the best {@value #MAX_DETECTIONS} predictions, score order
   */
  public record FrameMatch(
      int groundTruths,
      int truePositives,
      int falsePositives,
      int wrongStates,
      boolean passed,
      List<Ranked> ranked)
      implements Serializable {
    /** Copies. */
    public FrameMatch {
      ranked = List.copyOf(ranked);
    }

    /**
     * @return ground truths not found at the operating threshold
     */
    public int falseNegatives() {
      return groundTruths - truePositives;
    }
  }

  /**
   * Matches one frame.
   *
   * @param truths its ground truth
   * @param predictions its predictions, any order
   * @param threshold the operating score threshold, in {@code [0, 1]}
   * @return the match
   */
  public static FrameMatch match(List<Truth> truths, List<Predicted> predictions, float threshold) {
    if (!(threshold >= 0f && threshold <= 1f)) {
      throw new IllegalArgumentException("expected a threshold in [0, 1], got " + threshold);
    }
    List<Predicted> top = new ArrayList<>(predictions);
    top.sort(Comparator.comparingDouble((Predicted p) -> p.score()).reversed());
    if (top.size() > MAX_DETECTIONS) {
      top = top.subList(0, MAX_DETECTIONS);
    }
    int[] tp = new int[top.size()];
    int[] ignored = new int[top.size()];
    for (int k = 0; k < IOUS.length; k++) {
      int[] m = assign(truths, top, IOUS[k]);
      for (int d = 0; d < top.size(); d++) {
        if (m[d] >= 0) {
          if (truths.get(m[d]).crowd()) {
            ignored[d] |= 1 << k;
          } else {
            tp[d] |= 1 << k;
          }
        }
      }
    }
    List<Ranked> ranked = new ArrayList<>(top.size());
    for (int d = 0; d < top.size(); d++) {
      ranked.add(new Ranked(top.get(d).score(), d, tp[d], ignored[d]));
    }
    List<Predicted> above = top.stream().filter(p -> p.score() >= threshold).toList();
    int[] m = assign(truths, above, IOUS[0]);
    int n = (int) truths.stream().filter(g -> !g.crowd()).count();
    int t = 0;
    int fp = 0;
    int wrong = 0;
    for (int d = 0; d < above.size(); d++) {
      if (m[d] < 0) {
        fp++;
      } else if (!truths.get(m[d]).crowd()) {
        t++;
        Colour want = truths.get(m[d]).colour();
        if (want != Colour.UNKNOWN && above.get(d).colour() != want) {
          wrong++;
        }
      }
    }
    return new FrameMatch(n, t, fp, wrong, t == n && fp == 0 && wrong == 0, ranked);
  }

  /** pycocotools evaluateImg: which truth each prediction (score order) takes, -1 for none. */
  private static int[] assign(
      List<Truth> truths, List<Predicted> predictions, double iouThreshold) {
    List<Integer> order = new ArrayList<>(truths.size());
    for (int pass = 0; pass < 2; pass++) {
      for (int g = 0; g < truths.size(); g++) {
        if (truths.get(g).crowd() == (pass == 1)) {
          order.add(g); // non-crowd first: pycocotools sorts ignored ground truth last
        }
      }
    }
    boolean[] taken = new boolean[truths.size()];
    int[] out = new int[predictions.size()];
    for (int d = 0; d < predictions.size(); d++) {
      Box p = predictions.get(d).box();
      double best = Math.min(iouThreshold, 1 - 1e-10);
      int bestTruth = -1;
      for (int g : order) {
        Truth gt = truths.get(g);
        if (taken[g] && !gt.crowd()) {
          continue;
        }
        if (bestTruth > -1 && !truths.get(bestTruth).crowd() && gt.crowd()) {
          break;
        }
        double iou = gt.crowd() ? crowdIou(p, gt.box()) : iou(p, gt.box());
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
    return out;
  }

  /** IoU, COCO convention (continuous coordinates). */
  static double iou(Box a, Box b) {
    double iw = Math.min(a.x2(), b.x2()) - Math.max(a.x1(), b.x1());
    double ih = Math.min(a.y2(), b.y2()) - Math.max(a.y1(), b.y1());
    if (iw <= 0 || ih <= 0) {
      return 0;
    }
    double inter = iw * ih;
    double union = (double) a.width() * a.height() + (double) b.width() * b.height() - inter;
    return union <= 0 ? 0 : inter / union;
  }

  /** COCO's IoU against a crowd region: intersection over the prediction's area. */
  static double crowdIou(Box p, Box crowd) {
    double iw = Math.min(p.x2(), crowd.x2()) - Math.max(p.x1(), crowd.x1());
    double ih = Math.min(p.y2(), crowd.y2()) - Math.max(p.y1(), crowd.y1());
    double area = (double) p.width() * p.height();
    return iw <= 0 || ih <= 0 || area <= 0 ? 0 : iw * ih / area;
  }
}
