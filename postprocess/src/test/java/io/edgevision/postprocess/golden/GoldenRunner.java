package io.edgevision.postprocess.golden;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgevision.postprocess.BoxTransform;
import io.edgevision.postprocess.Detection;
import io.edgevision.postprocess.DetrDecoding;
import io.edgevision.postprocess.DetrPostprocessor;
import io.edgevision.postprocess.DetrResult;
import io.edgevision.postprocess.Nms;
import io.edgevision.postprocess.NmsOptions;
import io.edgevision.postprocess.NmsResult;
import io.edgevision.postprocess.SimilarityTransform;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;

/**
 * Reads golden files ({@code ../shared/golden/README.md} format) and checks each against this
 * module.
 *
 * <p>Directory resolution, first match wins: system property {@code edgevision.golden.dir},
 * environment variable {@code EDGEVISION_GOLDEN_DIR}, {@code ${edgevision.shared.dir}/golden} (set
 * by the parent pom's surefire configuration), then {@code ../../shared/golden} relative to the
 * module directory.
 */
public final class GoldenRunner {
  /** System property naming the golden directory. */
  public static final String DIR_PROPERTY = "edgevision.golden.dir";

  /** Environment variable naming the golden directory. */
  public static final String DIR_ENV = "EDGEVISION_GOLDEN_DIR";

  /** Kinds this runner checks; any other kind fails. */
  public static final List<String> KINDS =
      List.of("nms", "batched_nms", "diou_nms", "soft_nms", "detr_decode", "similarity_transform");

  static final double RELATIVE_TOLERANCE = 1e-5;
  static final double BOX_TOLERANCE_PX = 1e-3;

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private GoldenRunner() {}

  /**
   * @return the configured golden directory, the first candidate that is set (it may not exist)
   */
  public static Path resolveDirectory() {
    String property = System.getProperty(DIR_PROPERTY);
    if (property != null && !property.isBlank()) {
      return Paths.get(property);
    }
    String env = System.getenv(DIR_ENV);
    if (env != null && !env.isBlank()) {
      return Paths.get(env);
    }
    String shared = System.getProperty("edgevision.shared.dir");
    if (shared != null && !shared.isBlank()) {
      return Paths.get(shared, "golden");
    }
    return Paths.get("..", "..", "shared", "golden");
  }

  /**
   * @return whether an absent golden directory must fail the build (CI) instead of skipping
   */
  public static boolean requireShared() {
    return Boolean.parseBoolean(System.getProperty("edgevision.require.shared"))
        || Boolean.parseBoolean(
            Optional.ofNullable(System.getenv("EDGEVISION_REQUIRE_SHARED")).orElse(""));
  }

  /**
   * One dynamic test per {@code *.json} file of {@code dir}, sorted by name.
   *
   * @param dir an existing directory
   * @return the tests
   */
  public static Stream<DynamicTest> testsFor(Path dir) {
    List<Path> files;
    try (Stream<Path> listing = Files.list(dir)) {
      files =
          listing
              .filter(p -> p.getFileName().toString().endsWith(".json"))
              .sorted()
              .collect(Collectors.toList());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return files.stream()
        .map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), f.toUri(), () -> check(f)));
  }

  /**
   * Checks one golden file.
   *
   * @param file the file
   * @throws IOException when the file cannot be read
   */
  public static void check(Path file) throws IOException {
    JsonNode root = MAPPER.readTree(file.toFile());
    String kind = root.path("kind").asText("<missing>");
    switch (kind) {
      case "nms":
        checkKeep(
            root, Nms.hard(boxes(root.get("boxes_xyxy")), floats(root.get("scores")), thr(root)));
        break;
      case "batched_nms":
        checkKeep(
            root,
            Nms.batched(
                boxes(root.get("boxes_xyxy")),
                floats(root.get("scores")),
                ints(root.get("classes")),
                thr(root)));
        break;
      case "diou_nms":
        checkKeep(
            root, Nms.diou(boxes(root.get("boxes_xyxy")), floats(root.get("scores")), thr(root)));
        break;
      case "soft_nms":
        checkSoftNms(root);
        break;
      case "detr_decode":
        checkDetrDecode(root);
        break;
      case "similarity_transform":
        checkSimilarity(root);
        break;
      default:
        fail(
            "%s: unknown golden kind \"%s\" (this runner checks %s); add support or remove the file",
            file, kind, KINDS);
    }
  }

  private static float thr(JsonNode root) {
    return (float) root.get("iou_threshold").asDouble();
  }

  private static void checkKeep(JsonNode root, NmsResult result) {
    assertThat(result.indices())
        .as("kept indices in order")
        .containsExactly(ints(root.get("expected_keep")));
  }

  private static void checkSoftNms(JsonNode root) {
    float[] xywh = boxes(root.get("boxes_xywh"));
    float[] xyxy = Nms.xywhToXyxy(xywh);
    float[] scores = floats(root.get("scores"));
    float sigma = (float) root.get("sigma").asDouble();
    float iou = thr(root);
    float scoreThreshold = (float) root.get("score_threshold").asDouble();
    String method = root.get("method").asText();
    NmsOptions options;
    if (method.equals("linear")) {
      options = NmsOptions.softLinear(iou, scoreThreshold);
    } else if (method.equals("gaussian")) {
      options = NmsOptions.softGaussian(sigma, scoreThreshold);
    } else {
      throw new AssertionError("unknown soft_nms method " + method);
    }
    NmsResult result = Nms.apply(options, xyxy, scores, null);
    assertThat(result.indices())
        .as("selection order")
        .containsExactly(ints(root.get("expected_keep")));
    assertClose("decayed scores", result.scores(), doubles(root.get("expected_scores")));
  }

  private static void checkDetrDecode(JsonNode root) {
    String activation = root.get("activation").asText();
    JsonNode logitsNode = root.get("pred_logits");
    int queries = logitsNode.size();
    int columns = logitsNode.get(0).size();
    float[] logits = boxesFlat(logitsNode, columns);
    float[] boxes = boxes(root.get("pred_boxes_cxcywh"));
    int height = root.get("image_hw").get(0).asInt();
    int width = root.get("image_hw").get(1).asInt();
    DetrPostprocessor.Builder builder =
        DetrPostprocessor.builder(width, height).scoreThreshold(0f).candidateThreshold(0f);
    DetrDecoding mode;
    int numClasses;
    if (activation.equals("sigmoid_topk")) {
      mode = DetrDecoding.SIGMOID_TOPK;
      numClasses = columns;
      builder.numSelect(root.get("num_select").asInt());
    } else if (activation.equals("softmax_no_object")) {
      mode = DetrDecoding.SOFTMAX_NO_OBJECT;
      numClasses = columns - 1;
    } else {
      throw new AssertionError("unknown detr_decode activation " + activation);
    }
    DetrResult explicit =
        builder.decoding(mode).build().decode(logits, boxes, queries, BoxTransform.IDENTITY);
    DetrResult auto =
        builder
            .decoding(DetrDecoding.AUTO)
            .numClasses(numClasses)
            .build()
            .decode(logits, boxes, queries, BoxTransform.IDENTITY);
    assertThat(auto.decoding()).as("AUTO with numClasses").isEqualTo(mode);
    assertThat(auto.detections()).as("AUTO equals explicit").isEqualTo(explicit.detections());
    List<Detection> d = explicit.detections();
    int[] labels = ints(root.get("expected_labels"));
    assertThat(d).as("detections").hasSize(labels.length);
    assertThat(d.stream().mapToInt(Detection::classId).toArray())
        .as("labels")
        .containsExactly(labels);
    if (root.has("expected_queries")) {
      assertThat(d.stream().mapToInt(Detection::queryIndex).toArray())
          .as("queries")
          .containsExactly(ints(root.get("expected_queries")));
    }
    float[] scores = new float[d.size()];
    float[] got = new float[4 * d.size()];
    for (int i = 0; i < d.size(); i++) {
      scores[i] = d.get(i).score();
      d.get(i).box().toArray(got, i);
    }
    assertClose("scores", scores, doubles(root.get("expected_scores")));
    double[] expectedBoxes = doublesFlat(root.get("expected_boxes_xyxy"));
    for (int i = 0; i < got.length; i++) {
      if (Math.abs(got[i] - expectedBoxes[i]) > BOX_TOLERANCE_PX) {
        fail(
            "box value %d (detection %d): expected %s, got %s", i, i / 4, expectedBoxes[i], got[i]);
      }
    }
  }

  private static void checkSimilarity(JsonNode root) {
    double[] m =
        SimilarityTransform.estimate(
            doublesFlat(root.get("src_points")), doublesFlat(root.get("dst_points")));
    double[] expected = doublesFlat(root.get("expected_matrix_2x3"));
    assertClose("matrix", m, expected);
  }

  static void assertClose(String what, float[] got, double[] expected) {
    double[] g = new double[got.length];
    for (int i = 0; i < got.length; i++) {
      g[i] = got[i];
    }
    assertClose(what, g, expected);
  }

  static void assertClose(String what, double[] got, double[] expected) {
    assertThat(got.length).as(what + " length").isEqualTo(expected.length);
    for (int i = 0; i < got.length; i++) {
      double tolerance = RELATIVE_TOLERANCE * Math.abs(expected[i]) + 1e-9;
      if (!(Math.abs(got[i] - expected[i]) <= tolerance)) {
        fail(
            "%s[%d]: expected %s (relative tolerance %s), got %s",
            what, i, expected[i], RELATIVE_TOLERANCE, got[i]);
      }
    }
  }

  private static float[] boxes(JsonNode rows) {
    return boxesFlat(rows, 4);
  }

  private static float[] boxesFlat(JsonNode rows, int width) {
    float[] out = new float[rows.size() * width];
    for (int i = 0; i < rows.size(); i++) {
      JsonNode row = rows.get(i);
      assertThat(row.size()).as("row %d width", i).isEqualTo(width);
      for (int j = 0; j < width; j++) {
        out[i * width + j] = (float) row.get(j).asDouble();
      }
    }
    return out;
  }

  private static double[] doublesFlat(JsonNode rows) {
    return rows.size() > 0 && rows.get(0).isArray() ? flatten(rows) : doubles(rows);
  }

  private static double[] flatten(JsonNode rows) {
    int width = rows.get(0).size();
    double[] out = new double[rows.size() * width];
    for (int i = 0; i < rows.size(); i++) {
      for (int j = 0; j < width; j++) {
        out[i * width + j] = rows.get(i).get(j).asDouble();
      }
    }
    return out;
  }

  private static float[] floats(JsonNode values) {
    float[] out = new float[values.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) values.get(i).asDouble();
    }
    return out;
  }

  private static double[] doubles(JsonNode values) {
    double[] out = new double[values.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = values.get(i).asDouble();
    }
    return out;
  }

  private static int[] ints(JsonNode values) {
    int[] out = new int[values.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = values.get(i).asInt();
    }
    return out;
  }
}
