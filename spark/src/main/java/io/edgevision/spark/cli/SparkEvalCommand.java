package io.edgevision.spark.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgevision.detectors.traffic.ModelCatalog;
import io.edgevision.detectors.traffic.eval.CocoDataset;
import io.edgevision.spark.DetectorSpec;
import io.edgevision.spark.EvalJob;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code edgevision spark eval --annotations COCO.json --images DIR [--category C] [--json]}: the
 * one-category evaluation of {@code ./edgevision eval} (AP@0.5, AP@[.5:.95], P/R at the threshold,
 * strict frame pass rate) with detection and per-frame matching in Spark and aggregation by Spark
 * ({@link EvalJob}); same figures.
 */
@Command(
    name = "eval",
    mixinStandardHelpOptions = true,
    description =
        "Evaluate traffic-light detection on COCO annotations as a Spark job (same figures as eval).")
final class SparkEvalCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--annotations", required = true, description = "COCO JSON")
  Path annotations;

  @Option(
      names = "--images",
      required = true,
      description = "Directory holding the annotation file names")
  Path images;

  @Option(
      names = "--category",
      defaultValue = "traffic light",
      description = "Annotation category evaluated (default: ${DEFAULT-VALUE})")
  String category;

  @Option(names = "--master", description = "Spark master (default: spark-submit's, else local[2])")
  String master;

  @Option(
      names = "--model",
      defaultValue = ModelCatalog.BUILTIN,
      description =
          "builtin (default), a shared model label (femto, atto, ...) or an ONNX path on every executor")
  String model;

  @Option(names = "--models-dir", description = "Where model labels are looked up on the executors")
  String modelsDir;

  @Option(
      names = "--threshold",
      defaultValue = "0.3",
      description = "Operating threshold of P/R and the strict pass (default: ${DEFAULT-VALUE})")
  float threshold;

  @Option(
      names = "--min-score",
      defaultValue = "0.05",
      description =
          "Lowest score the detector returns, for the AP ranking (default: ${DEFAULT-VALUE})")
  float minScore;

  @Option(
      names = "--partitions",
      defaultValue = "8",
      description = "Partitions of the frames (default: ${DEFAULT-VALUE})")
  int partitions;

  @Option(names = "--matches", description = "Also write the per-frame matches as Parquet here")
  String matchesOut;

  @Option(names = "--json", description = "One JSON object on stdout")
  boolean json;

  @Override
  public Integer call() throws Exception {
    if (!(threshold >= 0f && threshold <= 1f) || !(minScore >= 0f && minScore <= threshold)) {
      throw new IllegalArgumentException(
          "expected 0 <= --min-score <= --threshold <= 1, got --min-score "
              + minScore
              + ", --threshold "
              + threshold);
    }
    if (partitions < 1) {
      throw new IllegalArgumentException("--partitions must be >= 1, got " + partitions);
    }
    CocoDataset coco = CocoDataset.read(annotations);
    SparkSession spark = SparkCli.session("edgevision-spark-eval", master);
    Dataset<Row> truth =
        EvalJob.groundTruthFromCoco(spark, coco, images.toAbsolutePath(), category)
            .repartition(partitions);
    EvalJob job =
        EvalJob.of(
            DetectorSpec.of(model)
                .withModelsDir(modelsDir)
                .withScoreThreshold(minScore)
                .withCandidateThreshold(minScore));
    Dataset<Row> matches = job.matches(truth, threshold).persist(StorageLevel.MEMORY_AND_DISK());
    EvalJob.Summary s;
    try {
      if (matchesOut != null) {
        matches.write().parquet(matchesOut);
      }
      s = EvalJob.aggregate(matches, threshold);
    } finally {
      matches.unpersist();
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("model", model);
      o.put("annotations", annotations.toString());
      o.put("category", category);
      o.put("frames", s.frames());
      o.put("errors", s.errors());
      o.put("ground_truths", s.groundTruths());
      o.put("ap50", num(s.ap50()));
      o.put("ap50_95", num(s.ap5095()));
      o.put("threshold", s.threshold());
      o.put("min_score", minScore);
      o.put("true_positives", s.truePositives());
      o.put("false_positives", s.falsePositives());
      o.put("false_negatives", s.falseNegatives());
      o.put("precision", num(s.precision()));
      o.put("recall", num(s.recall()));
      o.put("passed", s.passed());
      o.put("pass_rate", num(s.passRate()));
      out.println(new ObjectMapper().writeValueAsString(o));
    } else {
      out.printf(
          Locale.ROOT,
          "model %s, %s (category '%s'), %d frames, %d ground-truth lights%n",
          model,
          annotations,
          category,
          s.frames(),
          s.groundTruths());
      if (s.errors() > 0) {
        out.printf(
            Locale.ROOT,
            "WARNING: %d frames failed (evaluated without predictions); see --matches%n",
            s.errors());
      }
      out.printf(Locale.ROOT, "AP@0.5 %.4f  AP@[.5:.95] %.4f%n", s.ap50(), s.ap5095());
      out.printf(
          Locale.ROOT,
          "at threshold %.2f: TP %d FP %d FN %d, precision %.4f, recall %.4f%n",
          s.threshold(),
          s.truePositives(),
          s.falsePositives(),
          s.falseNegatives(),
          s.precision(),
          s.recall());
      out.printf(Locale.ROOT, "strict frame pass rate %d/%d%n", s.passed(), s.frames());
    }
    return 0;
  }

  private static Object num(double v) {
    return Double.isNaN(v) ? null : Math.round(v * 1e4) / 1e4;
  }
}
