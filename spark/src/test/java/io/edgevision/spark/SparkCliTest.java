package io.edgevision.spark;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgevision.core.testing.SharedResources;
import io.edgevision.spark.cli.SparkCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The ./edgevision spark command line, in-process on the tests' local session. */
class SparkCliTest {
  @BeforeAll
  static void start() {
    LocalSpark.get(); // the commands reuse it (getOrCreate)
  }

  record Run(int code, String out, String err) {}

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = SparkCli.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void detectWritesParquetThatReadsBack(@TempDir Path tmp) {
    Path street = SharedResources.data("street/coco");
    String output = tmp.resolve("street.parquet").toString();
    Run r = run("detect", "--input", street.toString(), "--output", output, "--master", "local[2]");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).startsWith("4 frames (0 errors)");
    assertThat(LocalSpark.get().read().parquet(output).count()).isEqualTo(4);
  }

  @Test
  void evalPrintsTheFiguresAsJson() throws Exception {
    Path coco = SharedResources.data("street/coco/instances_subset.json");
    Run r =
        run(
            "eval",
            "--annotations",
            coco.toString(),
            "--images",
            coco.getParent().toString(),
            "--model",
            "atto",
            "--models-dir",
            SharedResources.require("models").toString(),
            "--json");
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode j = new ObjectMapper().readTree(r.out());
    assertThat(j.get("frames").asInt()).isEqualTo(4);
    assertThat(j.get("ground_truths").asInt()).isEqualTo(14); // README: 14 lights in the 4 scenes
    assertThat(j.get("errors").asInt()).isZero();
    assertThat(j.get("ap50").asDouble()).isPositive();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        // a missing required option: picocli's usage error
        "detect --input x | 2 | Missing required option: '--output=<output>'",
        // thresholds out of order
        "eval --annotations a.json --images d --min-score 0.5 --threshold 0.3 | 2 | expected 0 <= --min-score <= --threshold <= 1",
        "detect --input x --output y --partitions 0 | 2 | --partitions must be >= 1, got 0",
      })
  void usageErrorsExitWithTwo(String args, int code, String message) {
    Run r = run(args.split(" "));
    assertThat(r.code()).isEqualTo(code);
    assertThat(r.err()).contains(message);
  }
}
