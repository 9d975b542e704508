package io.edgevision.spark;

/**
 * The aggregation half of a distributed AP: fed every frame's {@link FrameMatcher.Ranked}
 * predictions in global order (score descending, then frame order, then the frame's rank, which is
 * the single-machine evaluator's stable order), it computes the COCO 101-point interpolated AP at
 * the ten IoU thresholds in one streaming pass, with memory independent of the number of
 * predictions.
 *
 * <p>Why streaming works: the interpolated precision at recall point {@code r} is the largest
 * precision at any rank whose recall is at least {@code r} (recall never decreases along the
 * ranking), so each rank only raises a prefix of the 101 running maxima.
 *
 * <p>Example: {@code ApAccumulator a = new ApAccumulator(groundTruths); ranked.forEach(a::add);
 * a.ap(0);}
 *
 * <p>Threading: not thread-safe (one pass from one thread).
 */
public final class ApAccumulator {
  /** Recall points of the interpolated AP. */
  public static final int RECALL_POINTS = 101;

  private final int groundTruths;
  private final long[] tp = new long[FrameMatcher.IOUS.length];
  private final long[] fp = new long[FrameMatcher.IOUS.length];
  private final double[][] best = new double[FrameMatcher.IOUS.length][RECALL_POINTS];

  /** Per IoU, how many recall points (a prefix) the current recall has reached. */
  private final int[] reached = new int[FrameMatcher.IOUS.length];

  private static final double[] RECALLS = new double[RECALL_POINTS];

  static {
    for (int r = 0; r < RECALL_POINTS; r++) {
      RECALLS[r] = r == RECALL_POINTS - 1 ? 1.0 : r * 0.01; // np.linspace(0, 1, 101)
    }
  }

  /**
   * @param groundTruths non-crowd ground-truth lights over all frames (&gt;= 0)
   */
  public ApAccumulator(int groundTruths) {
    if (groundTruths < 0) {
      throw new IllegalArgumentException("expected >= 0 ground truths, got " + groundTruths);
    }
    this.groundTruths = groundTruths;
  }

  /**
   * Adds the next prediction of the global order.
   *
   * @param truePositiveMask bit k: a true positive at IoU threshold k
   * @param ignoredMask bit k: ignored at IoU threshold k (matched a crowd region)
   */
  public void add(int truePositiveMask, int ignoredMask) {
    if (groundTruths == 0) {
      return;
    }
    for (int k = 0; k < tp.length; k++) {
      if ((ignoredMask >>> k & 1) != 0) {
        continue;
      }
      if ((truePositiveMask >>> k & 1) != 0) {
        tp[k]++;
      } else {
        fp[k]++;
      }
      double recall = (double) tp[k] / groundTruths;
      double precision = tp[k] / (tp[k] + fp[k] + Math.ulp(1.0));
      int n = reached[k];
      while (n < RECALL_POINTS && recall >= RECALLS[n]) {
        n++;
      }
      reached[k] = n;
      double[] b = best[k];
      for (int r = 0; r < n; r++) {
        if (precision > b[r]) {
          b[r] = precision;
        }
      }
    }
  }

  /**
   * @param k IoU threshold index (0 = IoU 0.5, 9 = 0.95)
   * @return the AP at that threshold so far, NaN without ground truth
   */
  public double ap(int k) {
    if (groundTruths == 0) {
      return Double.NaN;
    }
    double sum = 0;
    for (int r = 0; r < RECALL_POINTS; r++) {
      sum += best[k][r];
    }
    return sum / RECALL_POINTS;
  }

  /**
   * @return AP@0.5
   */
  public double ap50() {
    return ap(0);
  }

  /**
   * @return the mean AP over IoU 0.50:0.05:0.95
   */
  public double ap5095() {
    double sum = 0;
    for (int k = 0; k < tp.length; k++) {
      sum += ap(k);
    }
    return sum / tp.length;
  }
}
