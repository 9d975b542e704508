package io.edgevision.detectors.face;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Verification quality of a score set against ground truth: ROC AUC, the best accuracy and the
 * threshold that reaches it, and the true-accept rate at fixed false-accept rates. Used by {@code
 * faces eval}.
 *
 * <p>Conventions: a pair is accepted when {@code score >= threshold}. AUC is the Mann–Whitney
 * statistic (a tie between a positive and a negative counts one half). The best threshold is the
 * centre of the score interval that gives the best accuracy (for separable data: halfway between
 * the highest negative and the lowest positive), the highest such interval when several tie. TAR at
 * FAR {@code f}: at most {@code floor(f · N)} negatives may be accepted, so the threshold sits just
 * above the next-highest negative; with few negatives a small {@code f} therefore means "no false
 * accept" (e.g. FAR 1e-3 with 261 negatives).
 *
 * <p>Threading: immutable.
 *
 * @param positives number of same-identity pairs
 * @param negatives number of different-identity pairs
 * @param auc ROC AUC in [0, 1]
 * @param bestAccuracy best accuracy over all thresholds
 * @param bestThreshold a threshold reaching it
 * @param tarAtFar one entry per requested FAR, in request order
 */
public record VerificationMetrics(
    int positives,
    int negatives,
    double auc,
    double bestAccuracy,
    double bestThreshold,
    List<TarAtFar> tarAtFar) {
  /** FARs {@code faces eval} reports. */
  public static final double[] DEFAULT_FARS = {1e-2, 1e-3};

  /**
   * @param far requested false-accept rate
   * @param tar true-accept rate reached with at most {@code floor(far · negatives)} false accepts
   * @param threshold the threshold that gives it (accept when {@code score >= threshold})
   * @param falseAccepts negatives accepted at that threshold
   */
  public record TarAtFar(double far, double tar, double threshold, int falseAccepts) {}

  public VerificationMetrics {
    tarAtFar = List.copyOf(tarAtFar);
    if (positives < 1 || negatives < 1) {
      throw new IllegalArgumentException(
          "expected at least one positive and one negative, got " + positives + " / " + negatives);
    }
  }

  /**
   * @param scores one similarity per pair
   * @param same ground truth per pair
   * @param fars false-accept rates for {@link #tarAtFar}, each in (0, 1]
   * @return the metrics
   * @throws IllegalArgumentException when lengths differ, a score is not finite, or a class is
   *     empty
   */
  public static VerificationMetrics compute(double[] scores, boolean[] same, double... fars) {
    Objects.requireNonNull(scores, "scores");
    Objects.requireNonNull(same, "same");
    if (scores.length != same.length) {
      throw new IllegalArgumentException(
          "expected one label per score (" + scores.length + "), got " + same.length);
    }
    int n = scores.length;
    int p = 0;
    for (int i = 0; i < n; i++) {
      if (!Double.isFinite(scores[i])) {
        throw new IllegalArgumentException(
            "expected finite scores, got " + scores[i] + " at index " + i);
      }
      p += same[i] ? 1 : 0;
    }
    int neg = n - p;
    if (p == 0 || neg == 0) {
      throw new IllegalArgumentException(
          "expected at least one positive and one negative pair, got " + p + " / " + neg);
    }
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Double.compare(scores[b], scores[a])); // descending
    // AUC by average ranks (ascending ranks, ties averaged).
    double rankSumPos = 0;
    for (int i = 0; i < n; ) {
      int j = i;
      while (j + 1 < n && scores[order[j + 1]] == scores[order[i]]) {
        j++;
      }
      double ascRank =
          n - (i + j) / 2.0; // position i..j descending -> ascending rank n-i..n-j (1-based)
      for (int k = i; k <= j; k++) {
        if (same[order[k]]) {
          rankSumPos += ascRank;
        }
      }
      i = j + 1;
    }
    double auc = (rankSumPos - p * (p + 1) / 2.0) / ((double) p * neg);
    // Best accuracy: sweep thresholds at each distinct score (accept the prefix of the descending
    // order).
    int tp = 0;
    int fp = 0;
    double bestAcc = neg / (double) n; // threshold above every score: accept nothing
    double bestThr = scores[order[0]] + 1e-6;
    for (int i = 0; i < n; ) {
      int j = i;
      while (j + 1 < n && scores[order[j + 1]] == scores[order[i]]) {
        j++;
      }
      for (int k = i; k <= j; k++) {
        if (same[order[k]]) {
          tp++;
        } else {
          fp++;
        }
      }
      double acc = (tp + (neg - fp)) / (double) n;
      if (acc > bestAcc) {
        bestAcc = acc;
        double here = scores[order[i]];
        bestThr = j + 1 < n ? (here + scores[order[j + 1]]) / 2 : here;
      }
      i = j + 1;
    }
    List<TarAtFar> tars = new ArrayList<>();
    double[] negScores = new double[neg];
    double[] posScores = new double[p];
    for (int i = 0, a = 0, b = 0; i < n; i++) {
      if (same[i]) {
        posScores[a++] = scores[i];
      } else {
        negScores[b++] = scores[i];
      }
    }
    Arrays.sort(negScores);
    for (double far : fars) {
      if (!(far > 0 && far <= 1)) {
        throw new IllegalArgumentException("expected FAR in (0, 1], got " + far);
      }
      int allowed = (int) Math.floor(far * neg + 1e-9);
      double thr;
      if (allowed >= neg) {
        thr = negScores[0];
      } else {
        // Just above the (allowed+1)-th highest negative.
        thr = Math.nextUp(negScores[neg - 1 - allowed]);
      }
      int accepted = 0;
      for (double s : posScores) {
        accepted += s >= thr ? 1 : 0;
      }
      int fa = 0;
      for (double s : negScores) {
        fa += s >= thr ? 1 : 0;
      }
      tars.add(new TarAtFar(far, accepted / (double) p, thr, fa));
    }
    return new VerificationMetrics(p, neg, auc, bestAcc, bestThr, tars);
  }
}
