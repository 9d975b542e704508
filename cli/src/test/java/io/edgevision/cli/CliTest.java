package io.edgevision.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgevision.core.testing.TestModels;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliTest {
  record Run(int code, String out, String err) {}

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void benchJsonHasOutcomesPercentilesAndFingerprint() throws Exception {
    Run r = run("bench", "--runs", "5", "--warmup", "1", "--json");
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode j = new ObjectMapper().readTree(r.out());
    assertThat(j.get("runs").asInt()).isEqualTo(5);
    for (String o : new String[] {"completed", "degraded", "rejected", "cancelled", "skipped"}) {
      assertThat(j.get("outcomes").has(o)).as(o).isTrue();
    }
    assertThat(j.get("outcomes").get("completed").asInt()).isEqualTo(5);
    assertThat(j.get("stages").get("inference").get("count").asInt()).isEqualTo(5);
    assertThat(j.get("stages").get("inference").get("p99_ms").asDouble())
        .isGreaterThanOrEqualTo(j.get("stages").get("inference").get("p50_ms").asDouble());
    assertThat(j.get("fingerprint").get("model_sha256").asText()).hasSize(64);
    assertThat(j.get("fingerprint").get("provider").asText()).isEqualTo("CPU");
  }

  @Test
  void benchWithATightBudgetReportsCancellations() throws Exception {
    Run r = run("bench", TestModels.path("slow.onnx").toString(), "--runs", "3", "--warmup", "0", "--budget", "20", "--json");
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode j = new ObjectMapper().readTree(r.out());
    assertThat(j.get("outcomes").get("cancelled").asInt()).isEqualTo(3);
  }

  @Test
  void benchRejectPolicyRejectsOnceTheEstimateIsKnown() throws Exception {
    Run r = run("bench", TestModels.path("slow.onnx").toString(), "--runs", "4", "--warmup", "1", "--budget", "20",
        "--policy", "reject", "--json");
    JsonNode j = new ObjectMapper().readTree(r.out());
    assertThat(j.get("outcomes").get("rejected").asInt()).isEqualTo(4);
  }

  @Test
  void inspectShowsSignatureDescriptorAndProviderReasons() throws Exception {
    Run r = run("inspect", TestModels.path("tiny_detr_raw.onnx").toString(), "--providers", "cuda,cpu");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("images float32 [N, 3, 64, 64]").contains("pred_logits float32 [N, 10, 4]")
        .contains("edgevision.input_size = 64x64").contains("CUDA: ").contains("CPU: SELECTED");
    JsonNode j = new ObjectMapper().readTree(run("inspect", "builtin:bench", "--json").out());
    assertThat(j.get("inputs").get(0).get("name").asText()).isEqualTo("images");
    assertThat(j.get("descriptor").get("edgevision.resize").asText()).isEqualTo("letterbox");
  }

  @Test
  void errorsAreMessagesWithExitCodesNotStackTraces(@TempDir Path dir) throws Exception {
    Path bad = dir.resolve("bad.onnx");
    Files.writeString(bad, "garbage");
    Run r = run("inspect", bad.toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).startsWith("error: [MODEL_INVALID]").doesNotContain("\tat ");
    Run usage = run("bench", "--runs", "0");
    assertThat(usage.code()).isEqualTo(2);
    assertThat(run("nope").code()).isEqualTo(2);
  }
}
