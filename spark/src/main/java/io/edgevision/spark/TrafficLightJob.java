package io.edgevision.spark;

import io.edgevision.core.ImageFrame;
import io.edgevision.detectors.traffic.TrackedLight;
import io.edgevision.detectors.traffic.TrafficLightResult;
import io.edgevision.detectors.traffic.TrafficLightTracker;
import io.edgevision.postprocess.Box;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * <b>Read me first.</b> Traffic-light detection as a Spark job over {@code Dataset<Row>}: each
 * input frame ({@link FrameInputs}) becomes one output row ({@link FrameRows}) with its lights,
 * outcome, timings and fingerprint; optionally the tracker runs per drive in frame order ({@link
 * #detectAndTrack}).
 *
 * <h2>Example</h2>
 *
 * <pre>{@code
 * SparkSession spark = SparkSession.builder().appName("lights").getOrCreate();
 * Dataset<Row> frames = FrameInputs.images(spark, "hdfs:///drives/2026-11-30/");
 * Dataset<Row> rows = TrafficLightJob.of(DetectorSpec.builtin()).detect(frames);
 * rows.write().parquet("hdfs:///lights/2026-11-30.parquet");
 * rows.where("outcome = 'ERROR'").select("path", "error").show();     // corrupt frames, job still succeeded
 * }</pre>
 *
 * <h2>How it runs</h2>
 *
 * One partition function per task; each executor JVM builds one detector per {@link DetectorSpec}
 * on first use and every task in it reuses it ({@link ExecutorDetectors}), with at most {@link
 * DetectorSpec#maxConcurrentCalls()} detector calls at once. Rows are produced lazily, one frame in
 * memory per task. A frame that cannot be read or decoded, or whose detection throws, gives a row
 * with outcome {@value FrameRows#ERROR} and the error, never a failed task. A model that cannot be
 * loaded fails the job (every row would fail the same way).
 *
 * <h2>Lifecycle and threading</h2>
 *
 * Immutable and serializable: build once on the driver, use for any number of jobs, from any
 * thread.
 */
public final class TrafficLightJob implements Serializable {
  private static final long serialVersionUID = 1L;

  /** One tracked light in {@link #TRACKED_SCHEMA}'s {@code tracks}. */
  public static final StructType TRACK =
      new StructType(
          new StructField[] {
            DataTypes.createStructField("id", DataTypes.LongType, false),
            DataTypes.createStructField("x1", DataTypes.FloatType, false),
            DataTypes.createStructField("y1", DataTypes.FloatType, false),
            DataTypes.createStructField("x2", DataTypes.FloatType, false),
            DataTypes.createStructField("y2", DataTypes.FloatType, false),
            DataTypes.createStructField("colour", DataTypes.StringType, false),
            DataTypes.createStructField("observed", DataTypes.StringType, false),
            DataTypes.createStructField("probability", DataTypes.FloatType, false),
            DataTypes.createStructField("flashing", DataTypes.BooleanType, false),
            DataTypes.createStructField("held", DataTypes.BooleanType, false),
            DataTypes.createStructField("hits", DataTypes.IntegerType, false),
            DataTypes.createStructField("seen", DataTypes.BooleanType, false)
          });

  /**
   * {@link FrameRows#SCHEMA} plus {@code tracks}: the tracker's lights after this frame (array of
   * {@link #TRACK}).
   */
  public static final StructType TRACKED_SCHEMA =
      FrameRows.SCHEMA.add(
          DataTypes.createStructField("tracks", DataTypes.createArrayType(TRACK, false), false));

  private final DetectorSpec spec;

  private TrafficLightJob(DetectorSpec spec) {
    this.spec = spec;
  }

  /**
   * @param spec the detector every executor builds
   * @return the job
   */
  public static TrafficLightJob of(DetectorSpec spec) {
    return new TrafficLightJob(Objects.requireNonNull(spec, "spec"));
  }

  /**
   * @return the detector spec
   */
  public DetectorSpec spec() {
    return spec;
  }

  /**
   * Detects the lights of every frame; one output row per input row, same partitioning.
   *
   * @param frames rows with {@code path} and optionally {@code content}, {@code drive_id}, {@code
   *     timestamp}
   * @return rows of {@link FrameRows#SCHEMA} (lazy: runs when an action runs)
   * @throws IllegalArgumentException when {@code frames} has no string {@code path} column or a
   *     known column has the wrong type
   */
  public Dataset<Row> detect(Dataset<Row> frames) {
    FrameInputs.Columns cols = FrameInputs.Columns.of(frames.schema());
    DetectorSpec s = spec;
    return frames.mapPartitions(
        PerRow.map(
            in -> {
              FrameRows.Source src = cols.source(in);
              Detected d = detectOne(s, cols, in);
              return d.row(src);
            }),
        Encoders.row(FrameRows.SCHEMA));
  }

  /**
   * Detects and tracks: frames are grouped by {@code drive_id} and sorted by {@code timestamp}
   * (both required), and one {@link TrafficLightTracker} (defaults) follows each drive in frame
   * order, so state revision works on recorded video. A drive is processed in one task, streaming
   * (one frame in memory).
   *
   * @param frames rows with {@code path}, {@code drive_id}, {@code timestamp} and optionally {@code
   *     content}
   * @return rows of {@link #TRACKED_SCHEMA}, each drive's frames in timestamp order; an error frame
   *     has no tracks update (its {@code tracks} are empty)
   * @throws IllegalArgumentException when {@code drive_id} or {@code timestamp} is missing
   */
  public Dataset<Row> detectAndTrack(Dataset<Row> frames) {
    FrameInputs.Columns cols = FrameInputs.Columns.of(frames.schema());
    if (cols.driveId() < 0 || cols.timestamp() < 0) {
      throw new IllegalArgumentException(
          "expected 'drive_id' and 'timestamp' columns for tracking, got "
              + String.join(", ", frames.schema().fieldNames()));
    }
    DetectorSpec s = spec;
    Dataset<Row> ordered =
        frames
            .repartition(functions.col("drive_id"))
            .sortWithinPartitions(functions.col("drive_id"), functions.col("timestamp"));
    return ordered.mapPartitions(
        (MapPartitionsFunction<Row, Row>)
            it ->
                new Iterator<>() {
                  private String drive;
                  private TrafficLightTracker tracker;

                  @Override
                  public boolean hasNext() {
                    return it.hasNext();
                  }

                  @Override
                  public Row next() {
                    Row in = it.next();
                    FrameRows.Source src = cols.source(in);
                    if (tracker == null || !Objects.equals(drive, src.driveId())) {
                      drive = src.driveId();
                      tracker = TrafficLightTracker.builder().build();
                    }
                    Detected d = detectOne(s, cols, in);
                    scala.collection.immutable.Seq<Row> tracks = FrameRows.seq(List.of());
                    if (d.result() != null && src.timestampMs() != null) {
                      tracks =
                          FrameRows.seq(
                              tracks(
                                  tracker.update(
                                      src.timestampMs() * 1_000_000L, d.result().lights())));
                    }
                    Row base = d.row(src);
                    Object[] values = new Object[base.size() + 1];
                    for (int i = 0; i < base.size(); i++) {
                      values[i] = base.get(i);
                    }
                    values[base.size()] = tracks;
                    return RowFactory.create(values);
                  }
                },
        Encoders.row(TRACKED_SCHEMA));
  }

  /** A frame's detection, or the error that stopped it. */
  private record Detected(
      int width, int height, TrafficLightResult result, RuntimeException error) {
    Row row(FrameRows.Source src) {
      return result != null
          ? FrameRows.row(src, width, height, result)
          : FrameRows.errorRow(src, error);
    }
  }

  /**
   * Detects one frame; per-frame failures become a {@link Detected} with the error, model failures
   * propagate.
   */
  private static Detected detectOne(DetectorSpec spec, FrameInputs.Columns cols, Row in) {
    ExecutorDetectors.Entry detector = ExecutorDetectors.get(spec);
    try {
      ImageFrame frame = cols.frame(in);
      return new Detected(frame.width(), frame.height(), detector.detect(frame), null);
    } catch (RuntimeException e) {
      return new Detected(0, 0, null, e);
    }
  }

  static List<Row> tracks(List<TrackedLight> tracked) {
    List<Row> out = new ArrayList<>(tracked.size());
    for (TrackedLight t : tracked) {
      Box b = t.box();
      out.add(
          RowFactory.create(
              t.id(),
              b.x1(),
              b.y1(),
              b.x2(),
              b.y2(),
              FrameRows.colourName(t.colour()),
              FrameRows.colourName(t.observed()),
              t.probability(),
              t.flashing(),
              t.held(),
              t.hits(),
              t.seenThisUpdate()));
    }
    return out;
  }
}
