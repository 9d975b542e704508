package io.edgevision.detectors.face;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.edgevision.core.DecodeContext;
import io.edgevision.core.EdgeVisionException;
import io.edgevision.core.ErrorCode;
import io.edgevision.core.ModelDescriptor;
import io.edgevision.core.ModelInfo;
import io.edgevision.core.PreprocessTransform;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Decoding of synthetic YuNet / SCRFD outputs on a 64x64 tensor (strides 8/16/32 → 8x8, 4x4, 2x2
 * cells).
 */
class FaceDecoderTest {
  static final int T = 64;
  static final List<String> YUNET_NAMES =
      List.of(
          "cls_8", "cls_16", "cls_32", "obj_8", "obj_16", "obj_32", "bbox_8", "bbox_16", "bbox_32",
          "kps_8", "kps_16", "kps_32");
  static final List<String> SCRFD_NAMES =
      List.of("s8", "s16", "s32", "b8", "b16", "b32", "k8", "k16", "k32");

  static DecodeContext context(PreprocessTransform t) {
    ModelInfo info =
        new ModelInfo(
            "fake",
            "0".repeat(64),
            1,
            List.of(),
            List.of(),
            Map.of(),
            "p",
            "g",
            ModelDescriptor.builder().build());
    return new DecodeContext(List.of(t), info, "primary");
  }

  static PreprocessTransform identity() {
    return new PreprocessTransform(T, T, T, T, 1, 1, 0, 0);
  }

  /**
   * A YuNet output set with one "hot" cell per entry: {stride, row, col, cls, obj, bx, by, lw, lh}.
   */
  static FakeOutputs yunet(float[]... hot) {
    FakeOutputs o = new FakeOutputs();
    for (int s : FaceDetectorFamily.STRIDES) {
      int cells = (T / s) * (T / s);
      float[] cls = new float[cells];
      float[] obj = new float[cells];
      float[] bbox = new float[cells * 4];
      float[] kps = new float[cells * 10];
      for (float[] h : hot) {
        if ((int) h[0] != s) {
          continue;
        }
        int idx = (int) h[1] * (T / s) + (int) h[2];
        cls[idx] = h[3];
        obj[idx] = h[4];
        bbox[4 * idx] = h[5];
        bbox[4 * idx + 1] = h[6];
        bbox[4 * idx + 2] = h[7];
        bbox[4 * idx + 3] = h[8];
        for (int j = 0; j < 10; j++) {
          kps[10 * idx + j] = 0.1f * j;
        }
      }
      o.put("cls_" + s, new long[] {1, cells, 1}, cls);
      o.put("obj_" + s, new long[] {1, cells, 1}, obj);
      o.put("bbox_" + s, new long[] {1, cells, 4}, bbox);
      o.put("kps_" + s, new long[] {1, cells, 10}, kps);
    }
    return o;
  }

  static FaceDecoder yunetDecoder(float score, float nms, int topK) {
    return new FaceDecoder(FaceDetectorFamily.YUNET, YUNET_NAMES, score, nms, topK);
  }

  @Test
  void yunetCellDecodesToOpenCvFormula() {
    // stride 8, row 2, col 3, cls 0.81 obj 1 → score 0.9; cx = (3+0.5)*8 = 28, cy = (2+0.25)*8 =
    // 18,
    // w = exp(ln 2)*8 = 16, h = exp(0)*8 = 8 → box [20, 14, 36, 22]; landmark j = ((3 + 0.2j)*8, (2
    // + 0.2j+0.1)*8).
    List<Face> faces =
        yunetDecoder(0.5f, 0.3f, 10)
            .decode(
                yunet(new float[] {8, 2, 3, 0.81f, 1f, 0.5f, 0.25f, (float) Math.log(2), 0}),
                context(identity()));
    assertThat(faces).hasSize(1);
    Face f = faces.get(0);
    assertThat(f.score()).isCloseTo(0.9f, within(1e-6f));
    assertThat(new float[] {f.box().x1(), f.box().y1(), f.box().x2(), f.box().y2()})
        .containsExactly(new float[] {20, 14, 36, 22}, within(1e-4f));
    for (int j = 0; j < 5; j++) {
      assertThat(f.landmarks().points().get(j).x()).isCloseTo((3 + 0.2f * j) * 8, within(1e-4f));
      assertThat(f.landmarks().points().get(j).y())
          .isCloseTo((2 + 0.2f * j + 0.1f) * 8, within(1e-4f));
    }
  }

  static Stream<Arguments> yunetCases() {
    return Stream.of(
        // two far-apart faces above threshold → both, higher score first
        Arguments.of(
            new float[][] {{8, 1, 1, 1, 0.64f, 0, 0, 0, 0}, {32, 1, 1, 1, 1, 0, 0, 0, 0}},
            0.5f,
            10,
            2,
            1f),
        // score sqrt(0.16) = 0.4 is below 0.5 → dropped
        Arguments.of(new float[][] {{8, 1, 1, 0.16f, 1, 0, 0, 0, 0}}, 0.5f, 10, 0, 0f),
        // two overlapping boxes at adjacent stride-8 cells (IoU 0.6 > 0.3) → NMS keeps the better
        // one
        Arguments.of(
            new float[][] {
              {8, 4, 4, 1, 1, 0, 0, 1.6f, 1.6f}, {8, 4, 5, 0.81f, 1, 0, 0, 1.6f, 1.6f}
            },
            0.5f,
            10,
            1,
            1f),
        // top-k 1 of two separate faces → only the best
        Arguments.of(
            new float[][] {{8, 1, 1, 0.81f, 1, 0, 0, 0, 0}, {32, 1, 1, 1, 1, 0, 0, 0, 0}},
            0.5f,
            1,
            1,
            1f),
        // cls above 1 is clamped like OpenCV: sqrt(1 * 1) = 1
        Arguments.of(new float[][] {{16, 0, 0, 1.7f, 1, 0, 0, 0, 0}}, 0.5f, 10, 1, 1f),
        // no output above threshold → empty result
        Arguments.of(new float[][] {}, 0.5f, 10, 0, 0f));
  }

  @ParameterizedTest
  @MethodSource("yunetCases")
  void yunetThresholdNmsTopK(
      float[][] hot, float score, int topK, int expectedCount, float expectedBest) {
    List<Face> faces = yunetDecoder(score, 0.3f, topK).decode(yunet(hot), context(identity()));
    assertThat(faces).hasSize(expectedCount);
    if (expectedCount > 0) {
      assertThat(faces.get(0).score()).isCloseTo(expectedBest, within(1e-6f));
    }
  }

  @Test
  void boxesAndLandmarksAreMappedBackThroughScaleAndPadding() {
    // tensor = source * 0.5 + pad (4, 2): source x = (tensor x - 4) / 0.5.
    PreprocessTransform t = new PreprocessTransform(100, 100, T, T, 0.5, 0.5, 4, 2);
    List<Face> faces =
        yunetDecoder(0.5f, 0.3f, 10)
            .decode(
                yunet(new float[] {8, 2, 3, 1, 1, 0.5f, 0.25f, (float) Math.log(2), 0}),
                context(t));
    Face f = faces.get(0);
    // tensor box [20, 14, 36, 22] → source [32, 24, 64, 40]
    assertThat(new float[] {f.box().x1(), f.box().y1(), f.box().x2(), f.box().y2()})
        .containsExactly(new float[] {32, 24, 64, 40}, within(1e-3f));
    assertThat(f.landmarks().nose().x()).isCloseTo(((3 + 0.4f) * 8 - 4) / 0.5f, within(1e-3f));
  }

  /** SCRFD outputs with 2 anchors per cell; hot = {stride, row, col, anchor, score, l, t, r, b}. */
  static FakeOutputs scrfd(int anchors, float[]... hot) {
    FakeOutputs o = new FakeOutputs();
    int si = 0;
    List<float[]> all = new ArrayList<>();
    for (int s : FaceDetectorFamily.STRIDES) {
      int cols = T / s;
      int n = cols * cols * anchors;
      float[] sc = new float[n];
      float[] d = new float[4 * n];
      float[] k = new float[10 * n];
      for (float[] h : hot) {
        if ((int) h[0] != s) {
          continue;
        }
        int i = ((int) h[1] * cols + (int) h[2]) * anchors + (int) h[3];
        sc[i] = h[4];
        System.arraycopy(h, 5, d, 4 * i, 4);
        for (int j = 0; j < 10; j++) {
          k[10 * i + j] = j % 2 == 0 ? -1f : 1f;
        }
      }
      o.put(SCRFD_NAMES.get(si), new long[] {n, 1}, sc);
      all.add(d);
      all.add(k);
      si++;
    }
    for (int i = 0; i < 3; i++) {
      int n = all.get(2 * i).length / 4;
      o.put(SCRFD_NAMES.get(3 + i), new long[] {n, 4}, all.get(2 * i));
    }
    for (int i = 0; i < 3; i++) {
      int n = all.get(2 * i + 1).length / 10;
      o.put(SCRFD_NAMES.get(6 + i), new long[] {n, 10}, all.get(2 * i + 1));
    }
    return o;
  }

  @Test
  void scrfdAnchorCentresAndDistances() {
    // stride 16, row 1, col 2, anchor 1: centre (32, 16); box = centre ∓ (1, 0.5, 2, 1.5)*16 = [16,
    // 8, 64, 40];
    // every landmark = centre + (-1, 1)*16 = (16, 32).
    List<Face> faces =
        new FaceDecoder(FaceDetectorFamily.SCRFD, SCRFD_NAMES, 0.5f, 0.4f, 10)
            .decode(
                scrfd(2, new float[] {16, 1, 2, 1, 0.8f, 1, 0.5f, 2, 1.5f}), context(identity()));
    assertThat(faces).hasSize(1);
    Face f = faces.get(0);
    assertThat(f.score()).isEqualTo(0.8f);
    assertThat(new float[] {f.box().x1(), f.box().y1(), f.box().x2(), f.box().y2()})
        .containsExactly(new float[] {16, 8, 64, 40}, within(1e-4f));
    assertThat(f.landmarks().points())
        .allSatisfy(
            p ->
                assertThat(new float[] {p.x(), p.y()})
                    .containsExactly(new float[] {16, 32}, within(1e-4f)));
  }

  @Test
  void scrfdOneAnchorPerCellIsInferredFromTheOutputSize() {
    // 1 anchor: stride 8 cell (row 3, col 0) → centre (0, 24); box [-8, 16, 8, 32]
    List<Face> faces =
        new FaceDecoder(FaceDetectorFamily.SCRFD, SCRFD_NAMES, 0.5f, 0.4f, 10)
            .decode(scrfd(1, new float[] {8, 3, 0, 0, 0.9f, 1, 1, 1, 1}), context(identity()));
    assertThat(faces.get(0).box().x1()).isCloseTo(-8f, within(1e-4f));
    assertThat(faces.get(0).box().y2()).isCloseTo(32f, within(1e-4f));
  }

  @Test
  void outputsThatDoNotMatchTheTensorSizeAreInvalid() {
    FakeOutputs o = yunet();
    o.put("cls_8", new long[] {1, 3, 1}, new float[3]); // expected 64 cells
    assertThatThrownBy(() -> yunetDecoder(0.5f, 0.3f, 10).decode(o, context(identity())))
        .isInstanceOf(EdgeVisionException.class)
        .satisfies(
            e -> assertThat(((EdgeVisionException) e).code()).isEqualTo(ErrorCode.INVALID_OUTPUT))
        .hasMessageContaining("cls_8");
  }

  @Test
  void nanOutputIsAnError() {
    FakeOutputs o = yunet(new float[] {8, 0, 0, 1, 1, 0, 0, 0, 0});
    float[] bbox = new float[64 * 4];
    bbox[0] = Float.NaN;
    o.put("bbox_8", new long[] {1, 64, 4}, bbox);
    assertThatThrownBy(() -> yunetDecoder(0.5f, 0.3f, 10).decode(o, context(identity())))
        .isInstanceOf(EdgeVisionException.class)
        .hasMessageContaining("NaN");
  }
}
