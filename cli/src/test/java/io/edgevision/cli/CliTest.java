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
    assertThat(j.get("schema").asText()).isEqualTo("edgevision.bench");
    assertThat(j.get("schema_version").asInt()).isEqualTo(2);
    JsonNode c = j.get("cells").get(0);
    assertThat(c.get("runs").asInt()).isEqualTo(5);
    for (String o : new String[] {"completed", "degraded", "rejected", "cancelled", "skipped"}) {
      assertThat(c.get("outcomes").has(o)).as(o).isTrue();
    }
    assertThat(c.get("outcomes").get("completed").asInt()).isEqualTo(5);
    assertThat(c.get("stages").get("inference").get("count").asInt()).isEqualTo(5);
    assertThat(c.get("stages").get("inference").get("p99_ms").asDouble())
        .isGreaterThanOrEqualTo(c.get("stages").get("inference").get("p95_ms").asDouble());
    assertThat(c.get("stages").get("inference").get("p95_ms").asDouble())
        .isGreaterThanOrEqualTo(c.get("stages").get("inference").get("p50_ms").asDouble());
    assertThat(c.get("fingerprint").get("model_sha256").asText()).hasSize(64);
    assertThat(c.get("fingerprint").get("provider").asText()).isEqualTo("CPU");
    assertThat(c.get("selected_provider").asText()).isEqualTo("CPU");
    assertThat(c.get("cell").get("provider").asText()).isEqualTo("cpu");
    // stages in pipeline order, so two reports diff line by line
    assertThat(c.get("stages").fieldNames())
        .toIterable()
        .containsExactly("waiting", "preprocess", "inference", "postprocess");
    assertThat(c.get("budget_miss_rate").isNull()).isTrue(); // no budget
    assertThat(c.get("peak_heap_bytes").asLong()).isPositive();
    assertThat(r.err()).contains("[1/1] model=builtin:bench"); // progress on stderr
  }

  @Test
  void benchProvidersIsOneFallbackChainAsInTheOtherCommands() throws Exception {
    Run r = run("bench", "--runs", "2", "--warmup", "0", "--providers", "cuda,cpu", "--json");
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode c = new ObjectMapper().readTree(r.out()).get("cells");
    assertThat(c).hasSize(1);
    assertThat(c.get(0).get("cell").get("provider").asText()).isEqualTo("cuda+cpu");
    assertThat(c.get(0).get("selected_provider").asText())
        .isIn("CUDA", "CPU"); // CPU where CUDA is unavailable
  }

  @Test
  void benchWithATightBudgetReportsCancellations() throws Exception {
    Run r =
        run(
            "bench",
            TestModels.path("slow.onnx").toString(),
            "--runs",
            "3",
            "--warmup",
            "0",
            "--budget",
            "20",
            "--json");
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode c = new ObjectMapper().readTree(r.out()).get("cells").get(0);
    assertThat(c.get("outcomes").get("cancelled").asInt()).isEqualTo(3);
    assertThat(c.get("budget_miss_rate").asDouble()).isEqualTo(1.0);
    assertThat(c.get("budget_p99_ms").asDouble())
        .isGreaterThanOrEqualTo(20.0); // cancelled at, not before, the deadline
  }

  @Test
  void benchRejectPolicyRejectsOnceTheEstimateIsKnown() throws Exception {
    Run r =
        run(
            "bench",
            TestModels.path("slow.onnx").toString(),
            "--runs",
            "4",
            "--warmup",
            "1",
            "--budget",
            "20",
            "--policy",
            "reject",
            "--json");
    JsonNode c = new ObjectMapper().readTree(r.out()).get("cells").get(0);
    assertThat(c.get("outcomes").get("rejected").asInt()).isEqualTo(4);
  }

  @Test
  void benchRunsEveryCellOfTheMatrixAndWritesJsonAndHtml(@TempDir Path dir) throws Exception {
    Path json = dir.resolve("r.json");
    Path html = dir.resolve("r.html");
    Run r =
        run(
            "bench",
            "--runs",
            "3",
            "--warmup",
            "1",
            "--threads",
            "1,2",
            "--size",
            "native,64x48",
            "--batch",
            "1,2",
            "--contend",
            "0,1",
            "--out",
            json.toString(),
            "--html",
            html.toString());
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode j = new ObjectMapper().readTree(json.toFile());
    assertThat(j.get("cells")).hasSize(16);
    JsonNode last = j.get("cells").get(15).get("cell");
    assertThat(last.get("threads").asInt()).isEqualTo(2);
    assertThat(last.get("frame_size").asText()).isEqualTo("64x48");
    assertThat(last.get("batch").asInt()).isEqualTo(2);
    assertThat(last.get("contend").asInt()).isEqualTo(1);
    assertThat(j.get("cells").get(15).get("throughput_fps").asDouble()).isPositive();
    assertThat(Files.readString(html))
        .contains("<svg class=\"chart cdf\"")
        .contains("<svg class=\"chart stages\"");
    assertThat(r.out()).contains("16. model=builtin:bench");
  }

  @Test
  void benchTilesRunTheDetectorPipelineFullFrameAndSliced() throws Exception {
    // the shipped synthetic model (320 px) on the bundled scene stretched to 1280x720: AUTO slices
    Run r =
        run(
            "bench",
            "builtin",
            "--tiles",
            "off,auto",
            "--size",
            "1280x720",
            "--runs",
            "2",
            "--warmup",
            "1",
            "--json");
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode cells = new ObjectMapper().readTree(r.out()).get("cells");
    assertThat(cells).hasSize(2);
    JsonNode off = cells.get(0);
    JsonNode auto = cells.get(1);
    assertThat(off.get("cell").get("tiles").asText()).isEqualTo("off");
    assertThat(auto.get("cell").get("tiles").asText()).isEqualTo("auto");
    // the detector's stages, in pipeline order
    assertThat(auto.get("stages").fieldNames())
        .toIterable()
        .containsExactly(
            "waiting",
            "preprocess",
            "inference",
            "postprocess",
            "decode",
            "suppress",
            "crop",
            "classifier");
    assertThat(auto.get("stages").get("inference").get("count").asInt()).isEqualTo(2);
    assertThat(auto.get("stages").get("classifier").get("count").asInt()).isZero(); // none
    assertThat(off.get("detector").get("sliced_calls").asInt()).isZero();
    assertThat(off.get("detector").get("tiles_max").asInt()).isZero();
    assertThat(auto.get("detector").get("sliced_calls").asInt()).isEqualTo(2);
    assertThat(auto.get("detector").get("tiles_max").asInt()).isGreaterThan(1);
    assertThat(auto.get("detector").get("full_frame").asBoolean()).isTrue();
    assertThat(auto.get("fingerprint").get("model_sha256").asText()).hasSize(64);
    // the sliced call runs several images where the full frame runs one
    assertThat(auto.get("stages").get("preprocess").get("p50_ms").asDouble())
        .isGreaterThan(off.get("stages").get("preprocess").get("p50_ms").asDouble());
    assertThat(r.err()).contains("[2/2] model=builtin").contains("tiles=auto");
  }

  @Test
  void benchInterleaveRunsEveryCellInTheSameRounds() throws Exception {
    Run r =
        run("bench", "--threads", "1,2", "--interleave", "--runs", "4", "--warmup", "1", "--json");
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode j = new ObjectMapper().readTree(r.out());
    assertThat(j.get("settings").get("interleaved").asBoolean()).isTrue();
    assertThat(j.get("cells")).hasSize(2);
    for (JsonNode c : j.get("cells")) {
      assertThat(c.get("runs").asInt()).isEqualTo(4);
      assertThat(c.get("outcomes").get("completed").asInt()).isEqualTo(4);
      assertThat(c.get("throughput_fps").asDouble()).isPositive();
    }
    assertThat(r.err()).contains("2 cells interleaved, 4 rounds").contains("[2/2] model=");
    // per-round paired ratios against cell 1 and the model's first cell (here the same cell)
    JsonNode first = j.get("cells").get(0);
    JsonNode second = j.get("cells").get(1);
    assertThat(first.get("paired_ratio_to_first").isNull()).isTrue();
    assertThat(first.get("paired_ratio_to_model_first").isNull()).isTrue();
    assertThat(second.get("paired_ratio_to_first")).hasSize(3);
    assertThat(second.get("paired_ratio_to_first").get(0).asDouble()).isPositive();
    assertThat(second.get("paired_ratio_to_model_first"))
        .isEqualTo(second.get("paired_ratio_to_first"));
    // background load and a duration belong to one cell at a time
    Run contend = run("bench", "--interleave", "--contend", "0,1");
    assertThat(contend.code()).isEqualTo(2);
    assertThat(contend.err()).contains("--contend must be 0 and --duration off");
  }

  @Test
  void benchTilesOnAModelThatIsNotATrafficLightDetectorIsAUsageError() {
    // the default model, the bundled image classifier: refused before any cell runs
    Run named = run("bench", "--tiles", "auto");
    assertThat(named.code()).isEqualTo(2);
    assertThat(named.err())
        .contains("--tiles applies to traffic-light detectors")
        .contains("'builtin:bench' (an image classifier)");
    // a file: refused when the detector cannot read its outputs as DETR's
    Run file = run("bench", TestModels.path("slow.onnx").toString(), "--tiles", "off");
    assertThat(file.code()).as(file.err()).isEqualTo(2);
    assertThat(file.err()).contains("is not one");
    // a tile size without a sliced setting
    Run size = run("bench", "builtin", "--tile-size", "256");
    assertThat(size.code()).isEqualTo(2);
    assertThat(size.err()).contains("--tile-size needs --tiles auto or N, got no --tiles");
  }

  @Test
  void benchCompareExitsNonZeroOnARegressionOnly(@TempDir Path dir) throws Exception {
    Path fast = dir.resolve("fast.json");
    Path slow = dir.resolve("slow.json");
    assertThat(run("bench", "--runs", "20", "--warmup", "2", "--out", fast.toString()).code())
        .isZero();
    // the same cell key with a much slower model: rewrite the model name of a slow run to match
    Run slowRun =
        run(
            "bench",
            TestModels.path("slow.onnx").toString(),
            "--runs",
            "5",
            "--warmup",
            "0",
            "--json");
    Files.writeString(
        slow, slowRun.out().replace(TestModels.path("slow.onnx").toString(), "builtin:bench"));
    Run same = run("bench", "compare", fast.toString(), fast.toString());
    assertThat(same.code()).as(same.err()).isZero();
    assertThat(same.out()).contains("within_noise").doesNotContain("regression ");
    Run worse = run("bench", "compare", fast.toString(), slow.toString());
    assertThat(worse.code()).as(worse.out() + worse.err()).isEqualTo(3);
    assertThat(worse.out()).contains("regression").contains("p50_ms");
    Run better = run("bench", "compare", slow.toString(), fast.toString());
    assertThat(better.code()).isZero();
    assertThat(better.out()).contains("improvement");
    // --baseline: the same comparison inside a bench run, shown in the HTML; the slow baseline
    // makes it an improvement
    Path html = dir.resolve("b.html");
    Run withBaseline =
        run(
            "bench",
            "--runs",
            "20",
            "--warmup",
            "2",
            "--baseline",
            slow.toString(),
            "--html",
            html.toString());
    assertThat(withBaseline.code()).as(withBaseline.err()).isZero();
    assertThat(withBaseline.err()).contains("improvement");
    assertThat(Files.readString(html)).contains("<table id=\"comparison\">");
    Files.writeString(dir.resolve("bad.json"), "{}");
    Run bad = run("bench", "compare", fast.toString(), dir.resolve("bad.json").toString());
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).contains("is not an EdgeVision bench report");
  }

  @Test
  void inspectShowsSignatureDescriptorAndProviderReasons() throws Exception {
    Run r =
        run("inspect", TestModels.path("tiny_detr_raw.onnx").toString(), "--providers", "cuda,cpu");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("images float32 [N, 3, 64, 64]")
        .contains("pred_logits float32 [N, 10, 4]")
        .contains("edgevision.input_size = 64x64")
        .contains("CUDA: ")
        .contains("CPU: SELECTED");
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
    Run both = run("bench", "--provider", "cpu", "--providers", "cuda,cpu");
    assertThat(both.code()).isEqualTo(2);
    assertThat(both.err())
        .contains("--provider (one cell each) or --providers (one chain), not both");
    assertThat(run("nope").code()).isEqualTo(2);
  }
}
