package io.edgevision.detectors.traffic;

import java.util.Arrays;

/**
 * The two steps of the tracker's colour filter (a forward hidden-Markov filter over a handful of
 * colours), as pure functions over primitive arrays. Package-private: {@link TrafficLightTracker}
 * documents the model.
 *
 * <p>Threading: stateless; the arrays belong to the caller.
 */
final class ColourFilter {
  /**
   * No colour's probability falls below this, so the filter can always come back from a wrong
   * switch.
   */
  static final double FLOOR = 1e-6;

  private ColourFilter() {}

  /**
   * Prediction: {@code prob ← prob · T} with {@code T[i][i] = 1 − leave}, {@code leave · (1 −
   * illegalShare)} spread evenly over the legal successors of {@code i} and {@code leave ·
   * illegalShare} evenly over the other colours (all of {@code leave} over the other colours when
   * {@code i} has no legal successor).
   *
   * @param prob the probabilities, updated in place (sum 1)
   * @param legal {@code legal[i][j]}: colour j is a legal successor of colour i ({@code i != j})
   * @param leave probability of leaving a colour over the elapsed time, in [0, 1]
   * @param illegalShare share of {@code leave} for the colours that are not legal successors, in
   *     (0, 1]
   * @param scratch work array of the same length
   */
  static void predict(
      double[] prob, boolean[][] legal, double leave, double illegalShare, double[] scratch) {
    int n = prob.length;
    Arrays.fill(scratch, 0, n, 0.0);
    for (int i = 0; i < n; i++) {
      int legalCount = 0;
      for (int j = 0; j < n; j++) {
        if (j != i && legal[i][j]) {
          legalCount++;
        }
      }
      int otherCount = n - 1 - legalCount;
      double toLegal =
          legalCount == 0 ? 0 : leave * (otherCount == 0 ? 1 : 1 - illegalShare) / legalCount;
      double toOther =
          otherCount == 0 ? 0 : leave * (legalCount == 0 ? 1 : illegalShare) / otherCount;
      for (int j = 0; j < n; j++) {
        double t = j == i ? 1 - leave : legal[i][j] ? toLegal : toOther;
        scratch[j] += prob[i] * t;
      }
    }
    normalise(scratch, prob);
  }

  /**
   * Observation: multiplies each colour's probability by the likelihood of the reading and
   * renormalises. The reading is a distribution {@code r} over the colours (the detector's colour
   * marginals; what it leaves unassigned, {@code 1 − Σ r}, says nothing); a colour {@code c} is
   * read as itself with probability {@code 1 − misread} and as each other colour with {@code
   * misread / (n − 1)}, so the likelihood of true colour {@code s} is {@code Σ_c r_c·P(read c | s)
   * + (1 − Σ r)/n}.
   *
   * @param prob the probabilities, updated in place (sum 1)
   * @param reading the reading's probability of each colour, each in [0, 1], sum at most 1
   * @param misread probability that a confident reading shows a wrong colour, in (0, 1)
   */
  static void observe(double[] prob, double[] reading, double misread) {
    int n = prob.length;
    double sum = 0;
    for (double r : reading) {
      sum += r;
    }
    double rest = Math.max(0, 1 - sum) / n;
    for (int s = 0; s < n; s++) {
      double lik = rest;
      for (int c = 0; c < n; c++) {
        lik += reading[c] * (c == s ? 1 - misread : misread / (n - 1));
      }
      prob[s] *= lik;
    }
    normalise(prob, prob);
  }

  private static void normalise(double[] from, double[] to) {
    double sum = 0;
    for (int j = 0; j < from.length; j++) {
      double v = Math.max(from[j], FLOOR);
      to[j] = v;
      sum += v;
    }
    for (int j = 0; j < to.length; j++) {
      to[j] /= sum;
    }
  }
}
