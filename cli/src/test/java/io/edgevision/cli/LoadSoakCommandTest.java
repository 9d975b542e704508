package io.edgevision.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The load and soak harnesses run end to end at tiny sizes and report what they measure. */
class LoadSoakCommandTest {
  record Run(int code, String out, String err) {}

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void loadReportsEachConfigurationWithAndWithoutContention() {
    Run r =
        run(
            "load",
            "builtin:bench",
            "--budget",
            "50",
            "--calls",
            "4",
            "--blocks",
            "2",
            "--contend",
            "1",
            "--configs",
            "default,nospin",
            "--full-calls",
            "2",
            "--nodes",
            "2");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("budget 50 ms, RUN_ANYWAY, 1 contending thread(s)")
        .containsPattern("default +none +4 ")
        .containsPattern("default +1 busy +4 ")
        .containsPattern("nospin +none +4 ")
        .containsPattern("nospin +1 busy +4 ")
        .contains("watchdog lateness (idle)")
        .contains("watchdog lateness (contended)")
        // the decomposition table has a row per configuration and contention state
        .contains("after the deadline, ms p50/p99/max")
        .containsPattern("\\nnospin +1 busy +[0-9]+ +(-|[0-9.]+/[0-9.]+/[0-9.]+) ")
        .containsPattern(
            "nodes \\(default, 2 profiled runs, ONNX Runtime profiler\\): [1-9][0-9]* nodes")
        // the bench classifier's three convolutions are among its eight nodes
        .containsPattern("\\n  \\S+ +Conv +[0-9.]+ +[0-9.]+\\n");
  }

  @Test
  void soakReportsRssGrowthAfterWarmUp() {
    Run r = run("soak", "--pipeline", "sessions", "--calls", "4", "--warmup", "2", "--every", "2");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("(baseline after warm-up)")
        .containsPattern(
            "pipeline sessions: 4 calls, RSS .* MB"
                + " after 2 warm-up calls -> .* MB at the end: [+-][0-9.]+ %");
  }

  /** A two-call detector soak (one warm-up call) with {@code extra} options. */
  static Run soakDetector(String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "soak", "--pipeline", "detector", "--calls", "2", "--warmup", "1", "--every", "1"));
    args.addAll(List.of(extra));
    return run(args.toArray(String[]::new));
  }

  @Test
  void soakDetectorRunsTheNamedPipelineOnItsSample() {
    // the synthetic model: no classifier, the shipped scene
    Run b = soakDetector("--model", "builtin");
    assertThat(b.code()).as(b.err()).isZero();
    assertThat(b.err()).contains("detector: model builtin on the shipped synthetic scene");
    assertThat(b.out()).contains("pipeline detector: 2 calls");
    // the default: detect's pipeline, the real detector with the built-in state classifier
    Run r = soakDetector();
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.err()).contains("detector: model real + classifier builtin on ");
  }

  @Test
  void soakRefusesAModelThatDoesNotMatchItsPin() {
    Run r = soakDetector("--model", "builtin", "--sha256", "0".repeat(64));
    assertThat(r.code()).isNotZero();
    assertThat(r.err().strip()).contains("0".repeat(64)).doesNotContain("\n\tat ");
    assertThat(r.out()).doesNotContain("pipeline detector");
  }

  @Test
  void badArgumentsAreOneLineUsageErrors() {
    Run r = run("soak", "--pipeline", "nope", "--calls", "2", "--warmup", "1");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err().strip())
        .startsWith("error: --pipeline: expected detector, faces or sessions, got 'nope'")
        .doesNotContain("\n");
    Run l = run("load", "--configs", "turbo", "--calls", "2", "--blocks", "1", "--contend", "0");
    assertThat(l.code()).isEqualTo(2);
    assertThat(l.err()).contains("--configs: expected default, spin, nospin or t1, got 'turbo'");
  }
}
