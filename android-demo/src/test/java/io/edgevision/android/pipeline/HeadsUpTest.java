package io.edgevision.android.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgevision.core.ExecutionProvider;
import io.edgevision.core.Outcome;
import io.edgevision.core.ProviderDecision;
import io.edgevision.core.SessionStats;
import io.edgevision.core.Stage;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class HeadsUpTest {
  private static SessionStats stats(boolean withInference) {
    Map<Stage, SessionStats.Percentiles> stages = new EnumMap<>(Stage.class);
    stages.put(
        Stage.PREPROCESS,
        new SessionStats.Percentiles(10, 2_000_000, 3_500_000, 4_000_000, 5_000_000, 2.1e6));
    if (withInference) {
      stages.put(
          Stage.INFERENCE,
          new SessionStats.Percentiles(10, 14_250_000, 18_000_000, 19_000_000, 20_000_000, 1.4e7));
    }
    Map<Outcome, Long> outcomes = new EnumMap<>(Outcome.class);
    return new SessionStats(10, outcomes, stages, new SessionStats.Percentiles(10, 1, 1, 1, 1, 1));
  }

  static Stream<Arguments> cases() {
    ProviderDecision nnapi =
        new ProviderDecision(
            ExecutionProvider.NNAPI,
            ProviderDecision.Status.FAILED_TO_INITIALISE,
            "no accelerator");
    ProviderDecision xnn =
        new ProviderDecision(ExecutionProvider.XNNPACK, ProviderDecision.Status.SELECTED, "");
    ProviderDecision cpu =
        new ProviderDecision(ExecutionProvider.CPU, ProviderDecision.Status.NOT_TRIED, "");
    return Stream.of(
        // phone-like: NNAPI failed, XNNPACK selected, CPU not tried
        Arguments.of(
            "COMPLETED",
            18_400_000L,
            50L,
            stats(true),
            List.of(nnapi, xnn, cpu),
            "COMPLETED 18.4 ms (budget 50 ms) | pre 2.0/3.5 inf 14.3/18.0 post - ms p50/p95 | XNNPACK; "
                + "NNAPI: failed_to_initialise (no accelerator); CPU: not_tried"),
        // admission rejected the call before inference ever ran; no budget
        Arguments.of(
            "REJECTED",
            0L,
            0L,
            stats(false),
            List.of(xnn),
            "REJECTED 0.0 ms (budget none) | pre 2.0/3.5 inf - post - ms p50/p95 | XNNPACK"));
  }

  @ParameterizedTest
  @MethodSource("cases")
  void formatsOutcomeStagesAndProviders(
      String outcome,
      long took,
      long budget,
      SessionStats s,
      List<ProviderDecision> d,
      String expected) {
    assertThat(HeadsUp.line(outcome, took, budget, s, d)).isEqualTo(expected);
  }
}
