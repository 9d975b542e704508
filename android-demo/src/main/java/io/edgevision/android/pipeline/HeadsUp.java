package io.edgevision.android.pipeline;

import io.edgevision.core.ProviderDecision;
import io.edgevision.core.SessionStats;
import io.edgevision.core.Stage;
import java.util.List;
import java.util.Locale;

/**
 * The heads-up line over the preview: outcome and time against the budget, p50/p95 of each stage,
 * and the execution provider with the reasons the preferred ones were skipped. Stateless,
 * thread-safe.
 *
 * <p>Example: {@code COMPLETED 18.4 ms (budget 50 ms) | pre 2.1/3.0 inf 14.2/16.8 post 1.1/1.4 ms
 * p50/p95 | XNNPACK; NNAPI: not in this build}
 */
public final class HeadsUp {
  private HeadsUp() {}

  /**
   * @param outcome the call's outcome, e.g. {@code COMPLETED}, {@code REJECTED}
   * @param tookNanos the call's total time
   * @param budgetMillis the user's budget in milliseconds, 0 for none
   * @param stats the session's percentiles so far
   * @param decisions the provider decisions in preference order
   * @return one line
   */
  public static String line(
      String outcome,
      long tookNanos,
      long budgetMillis,
      SessionStats stats,
      List<ProviderDecision> decisions) {
    StringBuilder b = new StringBuilder();
    b.append(outcome)
        .append(' ')
        .append(ms(tookNanos))
        .append(" ms (budget ")
        .append(budgetMillis <= 0 ? "none" : budgetMillis + " ms")
        .append(")");
    b.append(" | pre ")
        .append(p(stats, Stage.PREPROCESS))
        .append(" inf ")
        .append(p(stats, Stage.INFERENCE))
        .append(" post ")
        .append(p(stats, Stage.POSTPROCESS))
        .append(" ms p50/p95 | ");
    b.append(providers(decisions));
    return b.toString();
  }

  /**
   * @param decisions the provider decisions in preference order
   * @return the selected provider, then each skipped one with its reason
   */
  public static String providers(List<ProviderDecision> decisions) {
    StringBuilder b = new StringBuilder();
    String selected = "none";
    StringBuilder why = new StringBuilder();
    for (ProviderDecision d : decisions) {
      if (d.status() == ProviderDecision.Status.SELECTED) {
        selected = d.provider().name();
      } else {
        why.append("; ")
            .append(d.provider().name())
            .append(": ")
            .append(d.status().name().toLowerCase(Locale.ROOT))
            .append(d.reason().isEmpty() ? "" : " (" + d.reason() + ")");
      }
    }
    return b.append(selected).append(why).toString();
  }

  private static String p(SessionStats stats, Stage stage) {
    SessionStats.Percentiles q = stats.stages().get(stage);
    if (q == null || q.count() == 0) {
      return "-";
    }
    return ms(q.p50()) + "/" + ms(q.p95());
  }

  private static String ms(long nanos) {
    return String.format(Locale.ROOT, "%.1f", nanos / 1e6);
  }
}
