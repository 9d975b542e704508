package io.edgevision.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.edgevision.core.ImageFrame;
import io.edgevision.detectors.traffic.TrafficLight;
import io.edgevision.detectors.traffic.TrafficLightResult;
import io.edgevision.detectors.traffic.eval.CocoDataset;
import io.edgevision.postprocess.Box;
import io.edgevision.postprocess.Colour;
import io.edgevision.postprocess.LightState;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * Traffic-light evaluation at scale: detection and per-frame matching against ground truth run in
 * the Spark job ({@link FrameMatcher}), AP, precision/recall and the strict frame pass rate are
 * aggregated with Spark (sums, and one global sort streamed through {@link ApAccumulator}), so a
 * dataset that does not fit one machine can be evaluated. The figures equal those of {@code
 * ./edgevision eval} (one-category mode) on the same set (tested).
 *
 * <h2>Example</h2>
 *
 * <pre>{@code
 * Dataset<Row> truth = EvalJob.groundTruthFromCoco(spark, CocoDataset.read(json), imagesDir, "traffic light");
 * EvalJob.Summary s = EvalJob.of(DetectorSpec.builtin().withScoreThreshold(0.05f)).evaluate(truth, 0.3f);
 * s.ap50(); s.precision(); s.passRate(); s.errors();
 * }</pre>
 *
 * <h2>Ground truth</h2>
 *
 * A {@code Dataset<Row>} of {@link #TRUTH_SCHEMA}: {@code path} of the image (optionally with its
 * {@code content}), {@code frame_index} (the frame order that breaks ties of equal scores, as the
 * single-machine evaluator's file order does) and {@code truths}. {@link #groundTruthFromCoco}
 * builds it from a COCO file; at fleet scale, build it from the label store directly.
 *
 * <p>A frame whose image fails is evaluated as a frame without predictions (its lights count as
 * missed) and counted in {@link Summary#errors()}; the job does not fail.
 *
 * <p>Threading: immutable and serializable.
 */
public final class EvalJob implements Serializable {
  private static final long serialVersionUID = 1L;

  /** One ground-truth light. */
  public static final StructType TRUTH =
      new StructType(
          new StructField[] {
            DataTypes.createStructField("x1", DataTypes.FloatType, false),
            DataTypes.createStructField("y1", DataTypes.FloatType, false),
            DataTypes.createStructField("x2", DataTypes.FloatType, false),
            DataTypes.createStructField("y2", DataTypes.FloatType, false),
            DataTypes.createStructField("crowd", DataTypes.BooleanType, false),
            DataTypes.createStructField("colour", DataTypes.StringType, false)
          });

  /** The ground-truth table. */
  public static final StructType TRUTH_SCHEMA =
      new StructType(
          new StructField[] {
            DataTypes.createStructField("path", DataTypes.StringType, false),
            DataTypes.createStructField("frame_index", DataTypes.LongType, false),
            DataTypes.createStructField("truths", DataTypes.createArrayType(TRUTH, false), false)
          });

  /** One ranked prediction of a frame ({@link FrameMatcher.Ranked}). */
  public static final StructType RANKED =
      new StructType(
          new StructField[] {
            DataTypes.createStructField("score", DataTypes.FloatType, false),
            DataTypes.createStructField("rank", DataTypes.IntegerType, false),
            DataTypes.createStructField("tp_mask", DataTypes.IntegerType, false),
            DataTypes.createStructField("ignored_mask", DataTypes.IntegerType, false)
          });

  /** The per-frame matches the job computes ({@link #matches}). */
  public static final StructType MATCH_SCHEMA =
      new StructType(
          new StructField[] {
            DataTypes.createStructField("path", DataTypes.StringType, false),
            DataTypes.createStructField("frame_index", DataTypes.LongType, false),
            DataTypes.createStructField("ground_truths", DataTypes.IntegerType, false),
            DataTypes.createStructField("true_positives", DataTypes.IntegerType, false),
            DataTypes.createStructField("false_positives", DataTypes.IntegerType, false),
            DataTypes.createStructField("wrong_states", DataTypes.IntegerType, false),
            DataTypes.createStructField("passed", DataTypes.BooleanType, false),
            DataTypes.createStructField("error", DataTypes.StringType, true),
            DataTypes.createStructField("ranked", DataTypes.createArrayType(RANKED, false), false)
          });

  private final DetectorSpec spec;

  private EvalJob(DetectorSpec spec) {
    this.spec = spec;
  }

  /**
   * @param spec the detector; its score threshold is the lowest score ranked for AP (0.05 in {@code
   *     ./edgevision eval}), not the operating threshold
   * @return the job
   */
  public static EvalJob of(DetectorSpec spec) {
    return new EvalJob(Objects.requireNonNull(spec, "spec"));
  }

  /**
   * The aggregated evaluation.
   *
   * @param frames frames evaluated
   * @param errors frames whose image or detection failed (evaluated without predictions)
   * @param threshold the operating threshold
   * @param groundTruths non-crowd ground-truth lights
   * @param ap50 AP@0.5 (NaN without ground truth)
   * @param ap5095 AP@[0.5:0.95]
   * @param truePositives TP at the threshold
   * @param falsePositives FP at the threshold
   * @param falseNegatives FN at the threshold
   * @param precision TP / (TP + FP), NaN when nothing was predicted above the threshold
   * @param recall TP / ground truths, NaN without ground truth
   * @param passed frames passing the strict rule
   */
  public record Summary(
      long frames,
      long errors,
      float threshold,
      int groundTruths,
      double ap50,
      double ap5095,
      long truePositives,
      long falsePositives,
      long falseNegatives,
      double precision,
      double recall,
      long passed)
      implements Serializable {
    /**
     * @return passed / frames (NaN without frames)
     */
    public double passRate() {
      return frames == 0 ? Double.NaN : (double) passed / frames;
    }
  }

  /**
   * Builds the ground-truth table of one category of a COCO file (read on the driver).
   *
   * @param spark the session
   * @param coco the annotations
   * @param imagesDir where the file names are, as the executors see it
   * @param category the category evaluated, e.g. {@code "traffic light"}
   * @return rows of {@link #TRUTH_SCHEMA}, one per image, file order
   * @throws IllegalArgumentException when the category is not in the file
   */
  public static Dataset<Row> groundTruthFromCoco(
      SparkSession spark, CocoDataset coco, Path imagesDir, String category) {
    int id =
        coco.categoryId(category)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "expected category '"
                            + category
                            + "' in the annotations, got "
                            + coco.categories().values()));
    List<Row> rows = new ArrayList<>();
    long index = 0;
    for (CocoDataset.Image image : coco.images()) {
      List<Row> truths = new ArrayList<>();
      for (CocoDataset.Annotation a : coco.annotations(image.id(), id)) {
        Box b = a.box();
        truths.add(
            RowFactory.create(
                b.x1(), b.y1(), b.x2(), b.y2(), a.crowd(), FrameRows.colourName(a.state())));
      }
      rows.add(
          RowFactory.create(
              imagesDir.resolve(image.fileName()).toString(), index++, FrameRows.seq(truths)));
    }
    return spark.createDataFrame(rows, TRUTH_SCHEMA);
  }

  /**
   * Detects and matches every frame (lazy).
   *
   * @param truth rows of {@link #TRUTH_SCHEMA} (extra columns such as {@code content} allowed)
   * @param threshold the operating threshold, in {@code [0, 1]}
   * @return rows of {@link #MATCH_SCHEMA}
   */
  public Dataset<Row> matches(Dataset<Row> truth, float threshold) {
    if (!(threshold >= 0f && threshold <= 1f)) {
      throw new IllegalArgumentException("expected a threshold in [0, 1], got " + threshold);
    }
    FrameInputs.Columns cols = FrameInputs.Columns.of(truth.schema());
    int truthsAt = truth.schema().getFieldIndex("truths").getOrElse(() -> -1);
    int indexAt = truth.schema().getFieldIndex("frame_index").getOrElse(() -> -1);
    if (truthsAt < 0 || indexAt < 0) {
      throw new IllegalArgumentException(
          "expected ground truth with 'frame_index' and 'truths' columns, got "
              + String.join(", ", truth.schema().fieldNames()));
    }
    DetectorSpec s = spec;
    return truth.mapPartitions(
        PerRow.map(
            in -> {
              List<FrameMatcher.Truth> truths = new ArrayList<>();
              for (Row t : in.<Row>getList(truthsAt)) {
                truths.add(
                    new FrameMatcher.Truth(
                        new Box(t.getFloat(0), t.getFloat(1), t.getFloat(2), t.getFloat(3)),
                        t.getBoolean(4),
                        Colour.parse(t.getString(5))));
              }
              List<FrameMatcher.Predicted> predicted = new ArrayList<>();
              String error = null;
              ExecutorDetectors.Entry detector = ExecutorDetectors.get(s);
              try {
                ImageFrame frame = cols.frame(in);
                TrafficLightResult r = detector.detect(frame);
                for (TrafficLight l : r.lights()) {
                  predicted.add(
                      new FrameMatcher.Predicted(
                          l.box(),
                          l.score(),
                          l.state().map(LightState::colour).orElse(Colour.UNKNOWN)));
                }
              } catch (RuntimeException e) {
                error = FrameRows.describe(e);
              }
              FrameMatcher.FrameMatch m = FrameMatcher.match(truths, predicted, threshold);
              List<Row> ranked = new ArrayList<>(m.ranked().size());
              for (FrameMatcher.Ranked p : m.ranked()) {
                ranked.add(
                    RowFactory.create(p.score(), p.rank(), p.truePositiveMask(), p.ignoredMask()));
              }
              return RowFactory.create(
                  in.getString(cols.path()),
                  in.getLong(indexAt),
                  m.groundTruths(),
                  m.truePositives(),
                  m.falsePositives(),
                  m.wrongStates(),
                  m.passed(),
                  error,
                  FrameRows.seq(ranked));
            }),
        Encoders.row(MATCH_SCHEMA));
  }

  /**
   * Evaluates: {@link #matches}, then the aggregation (the matches are persisted for its two
   * passes).
   *
   * @param truth rows of {@link #TRUTH_SCHEMA}
   * @param threshold the operating threshold of P/R and the strict pass
   * @return the summary
   */
  public Summary evaluate(Dataset<Row> truth, float threshold) {
    Dataset<Row> m = matches(truth, threshold).persist(StorageLevel.MEMORY_AND_DISK());
    try {
      return aggregate(m, threshold);
    } finally {
      m.unpersist();
    }
  }

  /**
   * Aggregates per-frame matches (e.g. read back from Parquet).
   *
   * @param matches rows of {@link #MATCH_SCHEMA}
   * @param threshold the operating threshold they were matched at
   * @return the summary
   */
  public static Summary aggregate(Dataset<Row> matches, float threshold) {
    Row t =
        matches
            .agg(
                count(lit(1)),
                sum("ground_truths"),
                sum("true_positives"),
                sum("false_positives"),
                sum(when(col("passed"), 1).otherwise(0)),
                sum(when(col("error").isNotNull(), 1).otherwise(0)))
            .first();
    long frames = t.getLong(0);
    int gts = frames == 0 ? 0 : Math.toIntExact(t.getLong(1));
    long tp = frames == 0 ? 0 : t.getLong(2);
    long fp = frames == 0 ? 0 : t.getLong(3);
    long passed = frames == 0 ? 0 : t.getLong(4);
    long errors = frames == 0 ? 0 : t.getLong(5);
    ApAccumulator acc = new ApAccumulator(gts);
    Iterator<Row> ranked =
        matches
            .select(col("frame_index"), explode(col("ranked")).as("p"))
            .select(
                col("p.score").as("score"),
                col("frame_index"),
                col("p.rank").as("rank"),
                col("p.tp_mask").as("tp_mask"),
                col("p.ignored_mask").as("ignored_mask"))
            .orderBy(col("score").desc(), col("frame_index"), col("rank"))
            .toLocalIterator();
    while (ranked.hasNext()) {
      Row r = ranked.next();
      acc.add(r.getInt(3), r.getInt(4));
    }
    double precision = tp + fp == 0 ? Double.NaN : (double) tp / (tp + fp);
    double recall = gts == 0 ? Double.NaN : (double) tp / gts;
    return new Summary(
        frames,
        errors,
        threshold,
        gts,
        acc.ap50(),
        acc.ap5095(),
        tp,
        fp,
        gts - tp,
        precision,
        recall,
        passed);
  }
}
