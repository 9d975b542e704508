package io.edgevision.spark;

import io.edgevision.core.EdgeVisionException;
import io.edgevision.core.Fingerprint;
import io.edgevision.core.Timings;
import io.edgevision.detectors.traffic.DetectionTimings;
import io.edgevision.detectors.traffic.TrafficLight;
import io.edgevision.detectors.traffic.TrafficLightResult;
import io.edgevision.postprocess.Box;
import io.edgevision.postprocess.Colour;
import io.edgevision.postprocess.LightState;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.jspecify.annotations.Nullable;

/**
 * The columns of a detection job's output, and the conversion of one {@link TrafficLightResult}
 * into them.
 *
 * <h2>Columns</h2>
 *
 * <ul>
 *   <li>{@code path} string, {@code drive_id} string (null when the input had none), {@code
 *       timestamp_ms} long (null when none), {@code width}, {@code height} int (0 for an error
 *       row);
 *   <li>{@code lights} array of {@link #LIGHT}: {@code x1, y1, x2, y2} (pixels of the frame),
 *       {@code score}, {@code class_id}, {@code label}, {@code colour} (lower case; {@code unknown}
 *       without a state), {@code state} (joint state name, null without), {@code state_confidence},
 *       {@code query} (DETR query, -1 unknown);
 *   <li>{@code suppressed} int: duplicates folded into the lights;
 *   <li>{@code outcome} string: the SDK's {@link io.edgevision.core.Outcome} name, or {@value
 *       #ERROR} for a frame that failed; {@code variant}, {@code message} string, {@code
 *       deadline_missed} boolean;
 *   <li>{@code timings} struct of nanoseconds: {@code preprocess, inference, postprocess, decode,
 *       suppress, classifier, total};
 *   <li>{@code fingerprint} struct: {@code model_sha256, variant, provider, onnxruntime_version,
 *       sdk_version, descriptor_hash} (null for an error row);
 *   <li>{@code error} string: {@code [ERROR_CODE] message} (or {@code ExceptionClass: message})
 *       when the frame failed, else null.
 * </ul>
 *
 * <p>Threading: stateless.
 */
public final class FrameRows {
  /** The {@code outcome} of a frame that could not be processed (its {@code error} says why). */
  public static final String ERROR = "ERROR";

  /** One light. */
  public static final StructType LIGHT =
      new StructType(
          new StructField[] {
            DataTypes.createStructField("x1", DataTypes.FloatType, false),
            DataTypes.createStructField("y1", DataTypes.FloatType, false),
            DataTypes.createStructField("x2", DataTypes.FloatType, false),
            DataTypes.createStructField("y2", DataTypes.FloatType, false),
            DataTypes.createStructField("score", DataTypes.FloatType, false),
            DataTypes.createStructField("class_id", DataTypes.IntegerType, false),
            DataTypes.createStructField("label", DataTypes.StringType, false),
            DataTypes.createStructField("colour", DataTypes.StringType, false),
            DataTypes.createStructField("state", DataTypes.StringType, true),
            DataTypes.createStructField("state_confidence", DataTypes.FloatType, true),
            DataTypes.createStructField("query", DataTypes.IntegerType, false)
          });

  /** Per-stage nanoseconds. */
  public static final StructType TIMINGS =
      new StructType(
          new StructField[] {
            DataTypes.createStructField("preprocess", DataTypes.LongType, false),
            DataTypes.createStructField("inference", DataTypes.LongType, false),
            DataTypes.createStructField("postprocess", DataTypes.LongType, false),
            DataTypes.createStructField("decode", DataTypes.LongType, false),
            DataTypes.createStructField("suppress", DataTypes.LongType, false),
            DataTypes.createStructField("classifier", DataTypes.LongType, false),
            DataTypes.createStructField("total", DataTypes.LongType, false)
          });

  /** What ran. */
  public static final StructType FINGERPRINT =
      new StructType(
          new StructField[] {
            DataTypes.createStructField("model_sha256", DataTypes.StringType, false),
            DataTypes.createStructField("variant", DataTypes.StringType, false),
            DataTypes.createStructField("provider", DataTypes.StringType, false),
            DataTypes.createStructField("onnxruntime_version", DataTypes.StringType, false),
            DataTypes.createStructField("sdk_version", DataTypes.StringType, false),
            DataTypes.createStructField("descriptor_hash", DataTypes.StringType, false)
          });

  /** The output rows of a detection job. */
  public static final StructType SCHEMA =
      new StructType(
          new StructField[] {
            DataTypes.createStructField("path", DataTypes.StringType, false),
            DataTypes.createStructField("drive_id", DataTypes.StringType, true),
            DataTypes.createStructField("timestamp_ms", DataTypes.LongType, true),
            DataTypes.createStructField("width", DataTypes.IntegerType, false),
            DataTypes.createStructField("height", DataTypes.IntegerType, false),
            DataTypes.createStructField("lights", DataTypes.createArrayType(LIGHT, false), false),
            DataTypes.createStructField("suppressed", DataTypes.IntegerType, false),
            DataTypes.createStructField("outcome", DataTypes.StringType, false),
            DataTypes.createStructField("variant", DataTypes.StringType, true),
            DataTypes.createStructField("message", DataTypes.StringType, false),
            DataTypes.createStructField("deadline_missed", DataTypes.BooleanType, false),
            DataTypes.createStructField("timings", TIMINGS, false),
            DataTypes.createStructField("fingerprint", FINGERPRINT, true),
            DataTypes.createStructField("error", DataTypes.StringType, true)
          });

  private FrameRows() {}

  /** The input side of a row: where the frame came from. */
  record Source(String path, @Nullable String driveId, @Nullable Long timestampMs) {}

  /**
   * @param src the frame's path and metadata
   * @param width frame width
   * @param height frame height
   * @param r the detector's result
   * @return the output row
   */
  static Row row(Source src, int width, int height, TrafficLightResult r) {
    return RowFactory.create(
        src.path(),
        src.driveId(),
        src.timestampMs(),
        width,
        height,
        seq(lights(r.lights())),
        r.suppressed().size(),
        r.outcome().name(),
        r.variant(),
        r.message(),
        r.deadlineMissed(),
        timings(r.timings()),
        fingerprint(r.fingerprint()),
        null);
  }

  /**
   * @param src the frame's path and metadata
   * @param e why the frame failed
   * @return an error row: no lights, outcome {@value #ERROR}, the error's code and message
   */
  static Row errorRow(Source src, RuntimeException e) {
    return RowFactory.create(
        src.path(),
        src.driveId(),
        src.timestampMs(),
        0,
        0,
        seq(List.of()),
        0,
        ERROR,
        null,
        String.valueOf(e.getMessage()),
        false,
        RowFactory.create(0L, 0L, 0L, 0L, 0L, 0L, 0L),
        null,
        describe(e));
  }

  /**
   * @return the message of an SDK error (it starts with {@code [CODE]}), {@code ExceptionClass:
   *     message} otherwise
   */
  static String describe(RuntimeException e) {
    if (e instanceof EdgeVisionException) {
      return e.getMessage();
    }
    return e.getClass().getSimpleName() + ": " + e.getMessage();
  }

  /**
   * @param lights the detector's lights
   * @return them as {@link #LIGHT} rows, same order
   */
  public static List<Row> lights(List<TrafficLight> lights) {
    List<Row> out = new ArrayList<>(lights.size());
    for (TrafficLight l : lights) {
      Box b = l.box();
      LightState s = l.state().orElse(null);
      out.add(
          RowFactory.create(
              b.x1(),
              b.y1(),
              b.x2(),
              b.y2(),
              l.score(),
              l.classId(),
              l.label(),
              colourName(s == null ? Colour.UNKNOWN : s.colour()),
              s == null ? null : s.name(),
              s == null ? null : s.confidence(),
              l.queryIndex()));
    }
    return out;
  }

  /**
   * @param list a Java list
   * @return it as the Scala sequence an array column of an external {@link Row} must hold
   */
  static <T> scala.collection.immutable.Seq<T> seq(List<T> list) {
    return scala.jdk.javaapi.CollectionConverters.asScala(list).toList();
  }

  /**
   * @return a colour's column value, e.g. {@code red}
   */
  static String colourName(Colour c) {
    return c.name().toLowerCase(Locale.ROOT);
  }

  private static Row timings(DetectionTimings t) {
    Timings d = t.detector();
    return RowFactory.create(
        d.preprocessNanos(),
        d.inferenceNanos(),
        d.postprocessNanos(),
        t.decodeNanos(),
        t.suppressNanos(),
        t.classifier().total().toNanos(),
        t.total().toNanos());
  }

  private static Row fingerprint(Fingerprint f) {
    return RowFactory.create(
        f.modelSha256(),
        f.variant(),
        f.provider().name(),
        f.onnxRuntimeVersion(),
        f.sdkVersion(),
        f.descriptorHash());
  }
}
