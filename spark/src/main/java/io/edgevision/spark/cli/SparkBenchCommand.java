package io.edgevision.spark.cli;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.sum;

import io.edgevision.core.ImageFrames;
import io.edgevision.detectors.traffic.ModelCatalog;
import io.edgevision.spark.DetectorSpec;
import io.edgevision.spark.ExecutorDetectors;
import io.edgevision.spark.FrameInputs;
import io.edgevision.spark.TrafficLightJob;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code edgevision spark bench --input DIR [--frames N] [--rounds R]}: a paired throughput
 * harness, all in one JVM and one run, on the same images and the same detector instance (one ONNX
 * Runtime intra-op thread): the single-machine loop (read, decode, detect, one frame after another)
 * against the Spark job with one task at a time (1 partition) and with two at once (2 partitions on
 * {@code local[2]}). The three are interleaved per round in rotating order; each round reports
 * frames/s and the medians are printed with the ratios.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description =
        "Throughput: single-machine loop vs Spark with 1 and 2 executor threads, interleaved.")
final class SparkBenchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--input", required = true, description = "Directory of images")
  Path input;

  @Option(
      names = "--frames",
      defaultValue = "64",
      description = "Images used (default: ${DEFAULT-VALUE})")
  int frames;

  @Option(
      names = "--rounds",
      defaultValue = "5",
      description = "Interleaved rounds (default: ${DEFAULT-VALUE})")
  int rounds;

  @Option(
      names = "--model",
      defaultValue = ModelCatalog.BUILTIN,
      description = "Model (default: ${DEFAULT-VALUE})")
  String model;

  @Override
  public Integer call() throws IOException {
    if (frames < 1 || rounds < 1) {
      throw new IllegalArgumentException(
          "expected --frames >= 1 and --rounds >= 1, got " + frames + ", " + rounds);
    }
    List<Path> files;
    try (Stream<Path> s = Files.list(input)) {
      files =
          s.filter(p -> p.getFileName().toString().matches("(?i).*\\.(jpe?g|png)"))
              .sorted()
              .limit(frames)
              .toList();
    }
    if (files.isEmpty()) {
      throw new IllegalArgumentException("no images in " + input);
    }
    DetectorSpec ds = DetectorSpec.of(model).withIntraOpThreads(1).withMaxConcurrentCalls(2);
    SparkSession spark = SparkCli.session("edgevision-spark-bench", "local[2]");
    Dataset<Row> images =
        FrameInputs.imageFiles(spark, files.stream().map(Path::toString).toList());
    TrafficLightJob job = TrafficLightJob.of(ds);
    PrintWriter out = spec.commandLine().getOut();
    ExecutorDetectors.Entry detector = ExecutorDetectors.get(ds);
    // Warm-up: each path once (model load, code generation, JIT).
    single(files, detector);
    spark(job, images, 1);
    spark(job, images, 2);
    double[][] fps = new double[3][rounds];
    String[] names = {
      "single-machine loop", "Spark, 1 executor thread", "Spark, 2 executor threads"
    };
    for (int r = 0; r < rounds; r++) {
      int[] order = r % 2 == 0 ? new int[] {0, 1, 2} : new int[] {2, 1, 0};
      for (int which : order) {
        long t0 = System.nanoTime();
        long lights = which == 0 ? single(files, detector) : spark(job, images, which);
        double s = (System.nanoTime() - t0) / 1e9;
        fps[which][r] = files.size() / s;
        out.printf(
            Locale.ROOT,
            "round %d  %-26s %7.2f frames/s  (%d lights)%n",
            r + 1,
            names[which],
            fps[which][r],
            lights);
      }
    }
    double single = median(fps[0]);
    double one = median(fps[1]);
    double two = median(fps[2]);
    out.printf(
        Locale.ROOT,
        "%d frames, %d rounds, medians: single %.2f, Spark 1 thread %.2f, Spark 2 threads %.2f"
            + " frames/s%n",
        files.size(),
        rounds,
        single,
        one,
        two);
    out.printf(
        Locale.ROOT,
        "Spark 2 threads / 1 thread: %.2fx; Spark (1 thread) overhead per frame: %+.2f ms"
            + " (%+.1f%% of the single-machine frame time)%n",
        two / one,
        1000 / one - 1000 / single,
        100 * (single / one - 1));
    return 0;
  }

  /** The single-machine loop: read, decode, detect. */
  private static long single(List<Path> files, ExecutorDetectors.Entry detector)
      throws IOException {
    long lights = 0;
    for (Path f : files) {
      lights +=
          detector.detect(ImageFrames.decode(Files.readAllBytes(f), f.toString())).lights().size();
    }
    return lights;
  }

  private static long spark(TrafficLightJob job, Dataset<Row> images, int partitions) {
    Row r = job.detect(images.repartition(partitions)).agg(sum(size(col("lights")))).first();
    return r.isNullAt(0) ? 0 : r.getLong(0);
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }
}
