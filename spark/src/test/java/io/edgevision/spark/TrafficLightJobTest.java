package io.edgevision.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.edgevision.core.AdmissionPolicy;
import io.edgevision.core.Budget;
import io.edgevision.core.ExecutionProvider;
import io.edgevision.core.ImageFrames;
import io.edgevision.core.InferenceSession;
import io.edgevision.core.testing.SharedResources;
import io.edgevision.detectors.traffic.DetrDetector;
import io.edgevision.detectors.traffic.ModelCatalog;
import io.edgevision.detectors.traffic.TrafficLightDetector;
import io.edgevision.detectors.traffic.TrafficLightResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The Spark path against the single-machine loop on the real photos of cinta_v2/valid. */
class TrafficLightJobTest {
  static final String VALID = "traffic_lights/cinta_v2/valid/images";

  static SparkSession spark;
  static Path images;

  @BeforeAll
  static void start() {
    images = SharedResources.data(VALID);
    spark = LocalSpark.get();
  }

  /**
   * The first {@value #FRAMES} images of the set (the machine is shared: a sample, not all 200).
   */
  static final int FRAMES = 24;

  static List<Path> sample() {
    return ImageFiles.list(images).subList(0, FRAMES);
  }

  static Dataset<Row> sampleFrames() {
    return FrameInputs.imageFiles(spark, sample().stream().map(Path::toString).toList());
  }

  /** The sample plus one corrupt frame (bytes that are no image), in 4 partitions. */
  static Dataset<Row> framesWithCorrupt() {
    Dataset<Row> frames = sampleFrames();
    Row corrupt =
        RowFactory.create(
            "file:/nowhere/corrupt.jpg",
            new Timestamp(0),
            12L,
            "not an image".getBytes(StandardCharsets.US_ASCII));
    Dataset<Row> bad = spark.createDataFrame(List.of(corrupt), frames.schema());
    return frames.union(bad).repartition(4);
  }

  @Test
  void rowsEqualTheSingleMachineDetectLoopAndACorruptFrameIsAnErrorRow(@TempDir Path tmp) {
    ExecutorDetectors.closeAll();
    int before = ExecutorDetectors.created();
    Dataset<Row> out = TrafficLightJob.of(DetectorSpec.builtin()).detect(framesWithCorrupt());
    String parquet = tmp.resolve("lights.parquet").toString();
    out.write().parquet(parquet);
    // One detector for the whole job though 4 tasks ran on 2 executor threads.
    assertThat(ExecutorDetectors.created() - before).isEqualTo(1);

    List<Row> rows = FrameInputs.parquet(spark, parquet).collectAsList();
    List<Row> errors =
        rows.stream().filter(r -> r.<String>getAs("outcome").equals(FrameRows.ERROR)).toList();
    assertThat(errors).hasSize(1);
    assertThat(errors.get(0).<String>getAs("path")).endsWith("corrupt.jpg");
    assertThat(errors.get(0).<String>getAs("error"))
        .startsWith("[BAD_INPUT] cannot decode image file:/nowhere/corrupt.jpg");

    Map<String, Row> byFile = new HashMap<>();
    for (Row r : rows) {
      byFile.put(fileName(r.getAs("path")), r);
    }
    List<Path> files = sample();
    assertThat(rows).hasSize(files.size() + 1);
    // The single-machine loop, configured as ./edgevision detect configures it.
    try (InferenceSession session =
        ModelCatalog.sessionBuilder(ModelCatalog.BUILTIN, images)
            .providers(ExecutionProvider.CPU)
            .admission(AdmissionPolicy.DEGRADE)
            .build()) {
      TrafficLightDetector detector =
          TrafficLightDetector.builder(session)
              .scoreThreshold(0.3f)
              .candidateThreshold(Math.min(0.3f, DetrDetector.DEFAULT_CANDIDATE_THRESHOLD))
              .build();
      int withLights = 0;
      for (Path f : files) {
        TrafficLightResult r = detector.detect(ImageFrames.read(f), Budget.unlimited());
        Row row = byFile.get(f.getFileName().toString());
        assertThat(row).as(f.toString()).isNotNull();
        assertThat(row.<String>getAs("outcome")).isEqualTo(r.outcome().name());
        assertThat(row.<Integer>getAs("suppressed")).isEqualTo(r.suppressed().size());
        assertThat(row.getList(row.fieldIndex("lights")))
            .as(f.toString())
            .isEqualTo(FrameRows.lights(r.lights()));
        assertThat(row.getStruct(row.fieldIndex("fingerprint")).<String>getAs("model_sha256"))
            .isEqualTo(r.fingerprint().modelSha256());
        assertThat(row.<String>getAs("error")).isNull();
        withLights += r.lights().isEmpty() ? 0 : 1;
      }
      // The built-in model (synthetic training scenes) finds lights in only a few of these photos
      // at 0.3; the
      // comparison covers those lights and the empty results alike.
      assertThat(withLights)
          .as("frames with lights (the comparison must not be vacuous)")
          .isPositive();
    }
  }

  /** The file name of a path or URI (binaryFile writes {@code file:/...} URIs). */
  static String fileName(String path) {
    return path.substring(path.lastIndexOf('/') + 1);
  }

  @ParameterizedTest
  @ValueSource(
      ints = {
        1, // one call at a time although 2 executor threads run tasks
        2, // the executor's two threads may both be in a call
      })
  void concurrentCallsPerExecutorAreBounded(int bound) {
    DetectorSpec spec = DetectorSpec.builtin().withIntraOpThreads(1).withMaxConcurrentCalls(bound);
    long n = TrafficLightJob.of(spec).detect(sampleFrames().repartition(4)).count();
    assertThat(n).isEqualTo(FRAMES);
    ExecutorDetectors.Entry e = ExecutorDetectors.get(spec);
    assertThat(e.peakConcurrentCalls()).isBetween(1, bound);
  }

  @Test
  void theDetectorIsReusedByALaterJobInTheSameJvm() {
    DetectorSpec spec = DetectorSpec.builtin().withScoreThreshold(0.5f).withIntraOpThreads(1);
    Dataset<Row> frames = sampleFrames().limit(8).repartition(2);
    TrafficLightJob.of(spec).detect(frames).count();
    int after1 = ExecutorDetectors.created();
    TrafficLightJob.of(spec).detect(frames).count();
    assertThat(ExecutorDetectors.created()).isEqualTo(after1);
  }

  @Test
  void framesWithoutPathAreRefusedOnTheDriver() {
    Dataset<Row> noPath = spark.range(3).toDF("id");
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> TrafficLightJob.of(DetectorSpec.builtin()).detect(noPath));
    assertThat(e)
        .hasMessageContaining(
            "expected input frames with a string column 'path', got columns [id]");
  }
}
