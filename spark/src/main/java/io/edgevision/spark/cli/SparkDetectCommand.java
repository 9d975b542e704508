package io.edgevision.spark.cli;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.edgevision.detectors.traffic.ModelCatalog;
import io.edgevision.spark.DetectorSpec;
import io.edgevision.spark.FrameInputs;
import io.edgevision.spark.FrameRows;
import io.edgevision.spark.TrafficLightJob;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code edgevision spark detect --input DIR|PARQUET --output PARQUET [--master local[2]]
 * [--track]}: traffic lights of every frame, written as Parquet ({@link FrameRows} columns; with
 * {@code --track}, also the tracker's lights per drive, {@link TrafficLightJob#detectAndTrack}).
 */
@Command(
    name = "detect",
    mixinStandardHelpOptions = true,
    description =
        "Detect traffic lights in every frame of a directory of images or a Parquet table; write Parquet.")
final class SparkDetectCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--input",
      required = true,
      description =
          "A directory of images (read recursively) or a Parquet table with a 'path' column (and"
              + " optionally 'content', 'drive_id', 'timestamp')")
  String input;

  @Option(names = "--output", required = true, description = "Parquet output (must not exist)")
  String output;

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
      description = "Lowest score of a light (default: ${DEFAULT-VALUE})")
  float threshold;

  @Option(
      names = "--max-concurrent-calls",
      defaultValue = "" + DetectorSpec.DEFAULT_MAX_CONCURRENT_CALLS,
      description = "Detector calls at once per executor JVM (default: ${DEFAULT-VALUE})")
  int maxCalls;

  @Option(
      names = "--intra-op-threads",
      defaultValue = "0",
      description = "ONNX Runtime threads per session (default: 0 = its default)")
  int intraOpThreads;

  @Option(names = "--partitions", description = "Repartition the input into N partitions first")
  Integer partitions;

  @Option(names = "--track", description = "Also run the tracker per drive_id in timestamp order")
  boolean track;

  @Override
  public Integer call() {
    if (partitions != null && partitions < 1) {
      throw new IllegalArgumentException("--partitions must be >= 1, got " + partitions);
    }
    DetectorSpec ds =
        DetectorSpec.of(model)
            .withModelsDir(modelsDir)
            .withScoreThreshold(threshold)
            .withIntraOpThreads(intraOpThreads)
            .withMaxConcurrentCalls(maxCalls);
    SparkSession spark = SparkCli.session("edgevision-spark-detect", master);
    long t0 = System.nanoTime();
    Dataset<Row> frames = FrameInputs.read(spark, input);
    if (partitions != null) {
      frames = frames.repartition(partitions);
    }
    TrafficLightJob job = TrafficLightJob.of(ds);
    Dataset<Row> rows = track ? job.detectAndTrack(frames) : job.detect(frames);
    rows.write().parquet(output);
    double seconds = (System.nanoTime() - t0) / 1e9;
    Row s =
        spark
            .read()
            .parquet(output)
            .agg(
                org.apache.spark.sql.functions.count(col("path")),
                sum(when(col("outcome").equalTo(FrameRows.ERROR), 1).otherwise(0)),
                sum(when(size(col("lights")).gt(0), 1).otherwise(0)),
                sum(size(col("lights"))))
            .first();
    PrintWriter out = spec.commandLine().getOut();
    long n = s.getLong(0);
    out.printf(
        Locale.ROOT,
        "%d frames (%d errors), %d with lights, %d lights; written to %s%n",
        n,
        n == 0 ? 0 : s.getLong(1),
        n == 0 ? 0 : s.getLong(2),
        n == 0 ? 0 : s.getLong(3),
        output);
    out.printf(
        Locale.ROOT,
        "%.1f s, %.1f frames/s (master %s)%n",
        seconds,
        n / seconds,
        spark.sparkContext().master());
    return 0;
  }
}
