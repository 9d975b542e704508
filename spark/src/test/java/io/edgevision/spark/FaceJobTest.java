package io.edgevision.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.edgevision.core.ImageFrames;
import io.edgevision.core.ModelSource;
import io.edgevision.core.testing.SharedResources;
import io.edgevision.detectors.face.FaceRecognizer;
import io.edgevision.detectors.face.RecognizedFace;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Test;

/**
 * Faces as rows with embedding arrays, against the single-machine recognizer, and a similarity join
 * in SQL.
 */
class FaceJobTest {
  @Test
  void embeddingsEqualTheSingleMachineRecognizerAndJoinBySimilarity() {
    Path det = SharedResources.model("det_500m.onnx");
    Path emb = SharedResources.model("mobilefacenet_arcface_128d.onnx");
    Path dir = SharedResources.data("faces/deepface");
    // img1, img2: same person (id00 in identities.csv); img3: someone else
    List<Path> images = Stream.of("img1.jpg", "img2.jpg", "img3.jpg").map(dir::resolve).toList();
    Dataset<Row> frames =
        FrameInputs.imageFiles(LocalSpark.get(), images.stream().map(Path::toString).toList())
            .repartition(2);
    Dataset<Row> rows =
        FaceJob.of(FaceSpec.of(det.toString(), emb.toString())).recognize(frames).cache();
    List<Row> got = rows.orderBy("path").collectAsList();
    assertThat(got).hasSize(3);
    try (FaceRecognizer single =
        FaceRecognizer.builder(ModelSource.of(det), ModelSource.of(emb)).build()) {
      for (int i = 0; i < 3; i++) {
        List<RecognizedFace> want = single.recognize(ImageFrames.read(images.get(i)));
        assertThat(want).isNotEmpty();
        assertThat(got.get(i).getList(got.get(i).fieldIndex("faces")))
            .isEqualTo(FaceJob.faces(want));
      }
      float same = similarity(single, images.get(0), images.get(1));
      float other = similarity(single, images.get(0), images.get(2));
      assertThat(same).isGreaterThan(FaceRecognizer.DEFAULT_VERIFY_THRESHOLD);
      assertThat(other).isLessThan(FaceRecognizer.DEFAULT_VERIFY_THRESHOLD);

      // The similarity join of the docs: cosine = dot product of the unit embeddings, in Spark SQL.
      Dataset<Row> f =
          rows.selectExpr("path", "explode(faces) AS f").selectExpr("path", "f.embedding AS e");
      List<Row> pairs =
          f.as("a")
              .join(f.as("b"), functions.expr("a.path < b.path"))
              .selectExpr(
                  "a.path AS a",
                  "b.path AS b",
                  "aggregate(zip_with(a.e, b.e, (x, y) -> x * y), 0D, (s, v) -> s + v) AS cos")
              .where("cos >= " + FaceRecognizer.DEFAULT_VERIFY_THRESHOLD)
              .collectAsList();
      assertThat(pairs)
          .extracting(
              r ->
                  Path.of(r.<String>getAs("a").replace("file:", "")).getFileName()
                      + "-"
                      + Path.of(r.<String>getAs("b").replace("file:", "")).getFileName())
          .containsExactly("img1.jpg-img2.jpg");
      assertThat(pairs.get(0).<Double>getAs("cos")).isCloseTo(same, within(1e-5));
    }
  }

  private static float similarity(FaceRecognizer r, Path a, Path b) {
    return r.mostProminent(ImageFrames.read(a))
        .orElseThrow()
        .embedding()
        .similarity(r.mostProminent(ImageFrames.read(b)).orElseThrow().embedding());
  }
}
