package io.edgevision.spark;

import io.edgevision.core.EdgeVisionException;
import io.edgevision.core.ErrorCode;
import io.edgevision.core.ImageFrame;
import io.edgevision.core.ImageFrames;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Input frames of a job: a {@code Dataset<Row>} with a {@code path} string column, and optionally
 * {@code content} (binary: the encoded image, as Spark's {@code binaryFile} source gives it;
 * without it each executor reads {@code path} from its own file system), {@code drive_id} (string)
 * and {@code timestamp} (long milliseconds, or a Spark timestamp). Other columns are ignored.
 *
 * <p>Example: {@code FrameInputs.images(spark, "s3a://drives/2026-11-30/")} or {@code
 * FrameInputs.parquet(spark, "frames.parquet")}.
 *
 * <p>Threading: stateless; {@link Columns} is immutable and serializable (it travels to the
 * executors).
 */
public final class FrameInputs {
  /** Image file name patterns read from a directory. */
  public static final String IMAGE_GLOB = "*.{jpg,jpeg,png,bmp,webp,JPG,JPEG,PNG}";

  private FrameInputs() {}

  /**
   * Every image file under a directory (recursively), with its bytes, via Spark's {@code
   * binaryFile} source.
   *
   * @param spark the session
   * @param dir a directory URI or path
   * @return rows with {@code path}, {@code modificationTime}, {@code length}, {@code content}
   */
  public static Dataset<Row> images(SparkSession spark, String dir) {
    return spark
        .read()
        .format("binaryFile")
        .option("pathGlobFilter", IMAGE_GLOB)
        .option("recursiveFileLookup", "true")
        .load(dir);
  }

  /**
   * Named image files with their bytes, via Spark's {@code binaryFile} source.
   *
   * @param spark the session
   * @param files image files (paths or URIs)
   * @return rows with {@code path}, {@code modificationTime}, {@code length}, {@code content}
   */
  public static Dataset<Row> imageFiles(SparkSession spark, List<String> files) {
    return spark.read().format("binaryFile").load(files.toArray(String[]::new));
  }

  /**
   * @param spark the session
   * @param file a Parquet file or directory with at least a {@code path} column
   * @return its rows
   */
  public static Dataset<Row> parquet(SparkSession spark, String file) {
    return spark.read().parquet(file);
  }

  /**
   * Reads a DIR or a Parquet input, as the CLI's {@code --input} does: a path ending in {@code
   * .parquet}, or a local directory that holds Parquet files, is Parquet; any other directory is
   * images (a remote Parquet table must end in {@code .parquet}).
   *
   * @param spark the session
   * @param input the path or URI
   * @return the frames
   */
  public static Dataset<Row> read(SparkSession spark, String input) {
    boolean parquet = input.toLowerCase(Locale.ROOT).endsWith(".parquet");
    if (!parquet && isLocal(input)) {
      java.io.File[] names = localPath(input).toFile().listFiles((d, n) -> n.endsWith(".parquet"));
      parquet = names != null && names.length > 0;
    }
    return parquet ? parquet(spark, input) : images(spark, input);
  }

  /**
   * @return whether a path has no URI scheme or the {@code file:} scheme
   */
  static boolean isLocal(String path) {
    if (path.startsWith("file:")) {
      return true;
    }
    int colon = path.indexOf(':');
    int slash = path.indexOf('/');
    return !(colon > 1 && (slash < 0 || colon < slash));
  }

  /** Where each input column is, resolved once on the driver. */
  record Columns(
      int path, int content, int driveId, int timestamp, boolean timestampIsSparkTimestamp)
      implements java.io.Serializable {
    static Columns of(StructType schema) {
      int path = index(schema, "path");
      if (path < 0 || !schema.fields()[path].dataType().equals(DataTypes.StringType)) {
        throw new IllegalArgumentException(
            "expected input frames with a string column 'path', got columns "
                + Arrays.toString(schema.fieldNames()));
      }
      int content = index(schema, "content");
      check(schema, content, DataTypes.BinaryType);
      int drive = index(schema, "drive_id");
      check(schema, drive, DataTypes.StringType);
      int ts = index(schema, "timestamp");
      boolean sparkTs = ts >= 0 && schema.fields()[ts].dataType().equals(DataTypes.TimestampType);
      if (ts >= 0 && !sparkTs) {
        check(schema, ts, DataTypes.LongType);
      }
      return new Columns(path, content, drive, ts, sparkTs);
    }

    FrameRows.Source source(Row r) {
      Long ts = null;
      if (timestamp >= 0 && !r.isNullAt(timestamp)) {
        ts =
            timestampIsSparkTimestamp
                ? ((Timestamp) r.get(timestamp)).getTime()
                : r.getLong(timestamp);
      }
      String drive = driveId >= 0 && !r.isNullAt(driveId) ? r.getString(driveId) : null;
      return new FrameRows.Source(r.getString(path), drive, ts);
    }

    /** Decodes the frame: the content column when present, else the file at {@code path}. */
    ImageFrame frame(Row r) {
      String p = r.getString(path);
      if (content >= 0 && !r.isNullAt(content)) {
        return ImageFrames.decode((byte[]) r.get(content), p);
      }
      return ImageFrames.read(localPath(p));
    }

    private static void check(StructType schema, int i, DataType want) {
      if (i >= 0 && !schema.fields()[i].dataType().equals(want)) {
        throw new IllegalArgumentException(
            "expected column '"
                + schema.fields()[i].name()
                + "' of type "
                + want.simpleString()
                + ", got "
                + schema.fields()[i].dataType().simpleString());
      }
    }

    private static int index(StructType schema, String name) {
      String[] names = schema.fieldNames();
      for (int i = 0; i < names.length; i++) {
        if (names[i].equals(name)) {
          return i;
        }
      }
      return -1;
    }
  }

  /**
   * @param path a local path or a {@code file:} URI (as {@code binaryFile} writes paths)
   * @return the local file
   * @throws EdgeVisionException {@link ErrorCode#BAD_INPUT} for a URI of another file system
   *     without content
   */
  static Path localPath(String path) {
    if (path.startsWith("file:")) {
      return Path.of(URI.create(path));
    }
    if (!isLocal(path)) {
      throw new EdgeVisionException(
          ErrorCode.BAD_INPUT,
          "expected a local path or file: URI for a frame without"
              + " a 'content' column, got "
              + path
              + " (read such inputs with the binaryFile source)");
    }
    return Path.of(path);
  }
}
