package io.edgevision.detectors.traffic;

import java.util.Arrays;

/**
 * The two steps of the tracker's colour filter (a forward hidden-Markov filter over a handful of colours), as pure
 * functions over primitive arrays. Package-private: {@link TrafficLightTracker} documents the model.
 *
 * <p>Threading: stateless; the arrays belong to the caller.
 */
final class ColourFilter {
  /** No colour's probability falls below this, so the filter can always come back from a wrong switch. */
  static final double FLOOR = 1e-6;

  private ColourFilter() {}

  /**
   * Prediction: {@code prob ← prob · T} with {@code T[i][i] = 1 − leave}, {@code leave · (1 − illegalShare)}
   * spread evenly over the legal successors of {@code i} and {@code leave · illegalShare} evenly over the other
   * colours (all of {@code leave} over the other colours when {@code i} has no legal successor).
   *
   * @param prob the probabilities, updated in place (sum 1)
   * @param legal {@code legal[i][j]}: colour j is a legal successor of colour i ({@code i != j})
   * @param leave probability of leaving a colour over the elapsed time, in [0, 1]
   * @param illegalShare share of {@code leave} for the colours that are not legal successors, in (0, 1]
   * @param scratch work array of the same length
   */
  static void predict(double[] prob, boolean[][] legal, double leave, double illegalShare, double[] scratch) {
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
      double toLegal = legalCount == 0 ? 0 : leave * (otherCount == 0 ? 1 : 1 - illegalShare) / legalCount;
      double toOther = otherCount == 0 ? 0 : leave * (legalCount == 0 ? 1 : illegalShare) / otherCount;
      for (int j = 0; j < n; j++) {
        double t = j == i ? 1 - leave : legal[i][j] ? toLegal : toOther;
        scratch[j] += prob[i] * t;
      }
    }
    normalise(scratch, prob);
  }

  /**
   * Observation: multiplies each colour's probability by the likelihood of reading colour {@code observed} with
   * weight {@code p}: {@code p·(1 − misread) + (1 − p)/n} for the observed colour, {@code p·misread/(n − 1) +
   * (1 − p)/n} for the others; then renormalises.
   *
   * @param prob the probabilities, updated in place (sum 1)
   * @param observed index of the colour read
   * @param p the reading's weight (its probability), in [0, 1]
   * @param misread probability that a confident reading shows a wrong colour, in (0, 1)
   */
  static void observe(double[] prob, int observed, double p, double misread) {
    int n = prob.length;
    double hit = p * (1 - misread) + (1 - p) / n;
    double miss = p * misread / (n - 1) + (1 - p) / n;
    for (int j = 0; j < n; j++) {
      prob[j] *= j == observed ? hit : miss;
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
