package io.edgevision.spark;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgevision.core.ExecutionProvider;
import io.edgevision.core.InferenceSession;
import io.edgevision.core.testing.SharedResources;
import io.edgevision.detectors.traffic.ModelCatalog;
import io.edgevision.detectors.traffic.TrafficLightDetector;
import io.edgevision.detectors.traffic.eval.CocoDataset;
import io.edgevision.detectors.traffic.eval.CocoEvaluation;
import io.edgevision.detectors.traffic.eval.TrafficLightEvaluator;
import io.edgevision.detectors.traffic.eval.TrafficLightEvaluator.Report;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Spark eval against ./edgevision eval (CocoEvaluation + TrafficLightEvaluator) on the same real
 * photos.
 */
class EvalJobTest {
  /**
   * ./edgevision eval's defaults: detector down to --min-score 0.05, P/R and strict pass at
   * --threshold 0.3.
   */
  static final float MIN_SCORE = 0.05f;

  static final float THRESHOLD = 0.3f;

  @TempDir Path tmp;

  @ParameterizedTest(name = "{0} with {1}")
  @CsvSource({
    "cinta, builtin", // 24 photos of cinta_v2/valid, YOLO labels written as COCO (coloured states)
    "street, atto", // the 4 COCO street scenes of instances_subset.json with DEIMv2 atto (AP50
    // 0.149)
  })
  void sparkEvalEqualsTheSingleMachineEval(String set, String model) throws Exception {
    Path modelsDir = model.equals(ModelCatalog.BUILTIN) ? tmp : SharedResources.require("models");
    Path annotations;
    Path imagesDir;
    if (set.equals("cinta")) {
      imagesDir = SharedResources.data(TrafficLightJobTest.VALID);
      List<Path> images = ImageFiles.list(imagesDir).subList(0, TrafficLightJobTest.FRAMES);
      annotations =
          YoloToCoco.write(
              images,
              imagesDir.resolveSibling("labels"),
              List.of("green", "red", "yellow"),
              tmp.resolve("cinta.json"));
    } else {
      annotations = SharedResources.data("street/coco/instances_subset.json");
      imagesDir = annotations.getParent();
    }
    CocoDataset coco = CocoDataset.read(annotations);
    int category = coco.categoryId("traffic light").orElseThrow();

    Report single;
    try (InferenceSession session =
        ModelCatalog.sessionBuilder(model, modelsDir).providers(ExecutionProvider.CPU).build()) {
      TrafficLightDetector detector =
          TrafficLightDetector.builder(session)
              .scoreThreshold(MIN_SCORE)
              .candidateThreshold(MIN_SCORE)
              .build();
      single =
          TrafficLightEvaluator.evaluate(
              CocoEvaluation.frames(detector, coco, imagesDir, category), THRESHOLD);
    }

    Dataset<Row> truth =
        EvalJob.groundTruthFromCoco(LocalSpark.get(), coco, imagesDir, "traffic light")
            .repartition(3);
    EvalJob.Summary spark =
        EvalJob.of(
                DetectorSpec.of(model)
                    .withModelsDir(modelsDir.toString())
                    .withScoreThreshold(MIN_SCORE)
                    .withCandidateThreshold(MIN_SCORE))
            .evaluate(truth, THRESHOLD);

    assertThat(spark.errors()).isZero();
    assertThat(spark.frames()).isEqualTo(single.frames().size());
    assertThat(spark.groundTruths()).isEqualTo(single.groundTruths()).isPositive();
    assertThat(spark.ap50()).isEqualTo(single.ap50());
    assertThat(spark.ap5095()).isEqualTo(single.ap5095());
    assertThat(spark.truePositives()).isEqualTo(single.truePositives());
    assertThat(spark.falsePositives()).isEqualTo(single.falsePositives());
    assertThat(spark.falseNegatives()).isEqualTo(single.falseNegatives());
    assertThat(spark.precision()).isEqualTo(single.precision());
    assertThat(spark.recall()).isEqualTo(single.recall());
    assertThat(spark.passed()).isEqualTo(single.passed());
    // Few of these real lights are found (the built-in model is trained on synthetic scenes, atto
    // is a tiny COCO
    // generalist), but some: the ranking the AP comes from mixes true and false positives, so
    // equality means
    // something.
    assertThat(single.ap50()).isPositive();
    assertThat(single.ap5095()).isPositive();
  }
}
