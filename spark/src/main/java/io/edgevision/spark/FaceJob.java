package io.edgevision.spark;

import io.edgevision.core.ImageFrame;
import io.edgevision.detectors.face.RecognizedFace;
import io.edgevision.postprocess.Box;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Face detection and embedding as a Spark job: each frame becomes a row with its faces, each with
 * its L2-normalised embedding as an {@code array<float>}, so that similarity joins run in Spark SQL
 * (the cosine of two unit vectors is their dot product).
 *
 * <h2>Example</h2>
 *
 * <pre>{@code
 * Dataset<Row> faces = FaceJob.of(FaceSpec.of(det, emb)).recognize(FrameInputs.images(spark, dir))
 *     .selectExpr("path", "explode(faces) AS f").selectExpr("path", "f.embedding AS e");
 * faces.as("a").join(faces.as("b"), expr("a.path < b.path"))
 *     .selectExpr("a.path", "b.path", "aggregate(zip_with(a.e, b.e, (x, y) -> x * y), 0D, (s, v) -> s + v) AS cos")
 *     .where("cos >= 0.45");
 * }</pre>
 *
 * <p>Runs as {@link TrafficLightJob}: one recognizer per executor JVM and spec, bounded calls, a
 * frame that fails gives a row with {@code error} set and no faces. Threading: immutable and
 * serializable.
 */
public final class FaceJob implements Serializable {
  private static final long serialVersionUID = 1L;

  /** One face. */
  public static final StructType FACE =
      new StructType(
          new StructField[] {
            DataTypes.createStructField("x1", DataTypes.FloatType, false),
            DataTypes.createStructField("y1", DataTypes.FloatType, false),
            DataTypes.createStructField("x2", DataTypes.FloatType, false),
            DataTypes.createStructField("y2", DataTypes.FloatType, false),
            DataTypes.createStructField("score", DataTypes.FloatType, false),
            DataTypes.createStructField(
                "embedding", DataTypes.createArrayType(DataTypes.FloatType, false), false)
          });

  /** The output rows. */
  public static final StructType SCHEMA =
      new StructType(
          new StructField[] {
            DataTypes.createStructField("path", DataTypes.StringType, false),
            DataTypes.createStructField("drive_id", DataTypes.StringType, true),
            DataTypes.createStructField("timestamp_ms", DataTypes.LongType, true),
            DataTypes.createStructField("faces", DataTypes.createArrayType(FACE, false), false),
            DataTypes.createStructField("error", DataTypes.StringType, true)
          });

  private final FaceSpec spec;

  private FaceJob(FaceSpec spec) {
    this.spec = spec;
  }

  /**
   * @param spec the recognizer every executor builds
   * @return the job
   */
  public static FaceJob of(FaceSpec spec) {
    return new FaceJob(Objects.requireNonNull(spec, "spec"));
  }

  /**
   * @param frames rows with {@code path} and optionally {@code content}, {@code drive_id}, {@code
   *     timestamp}
   * @return rows of {@link #SCHEMA}, one per frame (lazy)
   */
  public Dataset<Row> recognize(Dataset<Row> frames) {
    FrameInputs.Columns cols = FrameInputs.Columns.of(frames.schema());
    FaceSpec s = spec;
    return frames.mapPartitions(
        PerRow.map(
            in -> {
              FrameRows.Source src = cols.source(in);
              ExecutorDetectors.FaceEntry recognizer = ExecutorDetectors.faces(s);
              List<Row> faces = new ArrayList<>();
              String error = null;
              try {
                ImageFrame frame = cols.frame(in);
                faces = faces(recognizer.recognize(frame));
              } catch (RuntimeException e) {
                error = FrameRows.describe(e);
              }
              return RowFactory.create(
                  src.path(), src.driveId(), src.timestampMs(), FrameRows.seq(faces), error);
            }),
        Encoders.row(SCHEMA));
  }

  /**
   * @param recognized the recognizer's faces
   * @return them as {@link #FACE} rows, same order
   */
  static List<Row> faces(List<RecognizedFace> recognized) {
    List<Row> out = new ArrayList<>(recognized.size());
    for (RecognizedFace f : recognized) {
      Box b = f.face().box();
      float[] v = f.embedding().vector();
      List<Float> e = new ArrayList<>(v.length);
      for (float x : v) {
        e.add(x);
      }
      out.add(
          RowFactory.create(b.x1(), b.y1(), b.x2(), b.y2(), f.face().score(), FrameRows.seq(e)));
    }
    return out;
  }
}
