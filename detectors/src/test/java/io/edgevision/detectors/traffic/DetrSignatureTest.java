package io.edgevision.detectors.traffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgevision.core.EdgeVisionException;
import io.edgevision.core.ElementType;
import io.edgevision.core.ErrorCode;
import io.edgevision.core.ModelDescriptor;
import io.edgevision.core.ModelInfo;
import io.edgevision.core.TensorInfo;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Layout detection from IO signatures (synthetic ModelInfo, no model files). */
class DetrSignatureTest {
  static TensorInfo t(String name, ElementType type, long... dims) {
    List<Long> shape = java.util.Arrays.stream(dims).boxed().toList();
    return new TensorInfo(name, type, shape, Collections.nCopies(dims.length, ""));
  }

  static final TensorInfo IMAGES = t("images", ElementType.FLOAT32, -1, 3, 320, 320);
  static final TensorInfo SIZES = t("orig_target_sizes", ElementType.INT64, -1, 2);

  static ModelInfo model(List<TensorInfo> inputs, List<TensorInfo> outputs, String hint) {
    ModelDescriptor d =
        hint.isEmpty()
            ? ModelDescriptor.builder().build()
            : ModelDescriptor.builder().outputLayout(hint).build();
    return new ModelInfo("m.onnx", "0".repeat(64), 1, inputs, outputs, Map.of(), "test", "g", d);
  }

  static Stream<Arguments> resolvable() {
    return Stream.of(
        // DINO-style names
        Arguments.of(
            model(
                List.of(IMAGES),
                List.of(
                    t("pred_logits", ElementType.FLOAT32, -1, 100, 80),
                    t("pred_boxes", ElementType.FLOAT32, -1, 100, 4)),
                ""),
            DetrLayout.AUTO,
            new DetrSignature(DetrLayout.RAW, "pred_logits", "pred_boxes", "", "")),
        // unnamed raw outputs, boxes first: recognised by shape
        Arguments.of(
            model(
                List.of(IMAGES),
                List.of(
                    t("out1", ElementType.FLOAT32, 1, 300, 4),
                    t("out0", ElementType.FLOAT32, 1, 300, 91)),
                ""),
            DetrLayout.AUTO,
            new DetrSignature(DetrLayout.RAW, "out0", "out1", "", "")),
        // DEIM/RT-DETR baked export with its size input
        Arguments.of(
            model(
                List.of(IMAGES, SIZES),
                List.of(
                    t("labels", ElementType.INT64, -1, 300),
                    t("boxes", ElementType.FLOAT32, -1, 300, 4),
                    t("scores", ElementType.FLOAT32, -1, 300)),
                ""),
            DetrLayout.AUTO,
            new DetrSignature(DetrLayout.BAKED, "", "boxes", "labels", "scores")),
        // baked with other names, int32 labels: by shape
        Arguments.of(
            model(
                List.of(IMAGES, SIZES),
                List.of(
                    t("s", ElementType.FLOAT32, 1, 300),
                    t("l", ElementType.INT32, 1, 300),
                    t("b", ElementType.FLOAT32, 1, 300, 4)),
                ""),
            DetrLayout.AUTO,
            new DetrSignature(DetrLayout.BAKED, "", "b", "l", "s")),
        // the descriptor hint decides when both would fit; here it confirms raw
        Arguments.of(
            model(
                List.of(IMAGES),
                List.of(
                    t("pred_logits", ElementType.FLOAT32, -1, 100, 4),
                    t("pred_boxes", ElementType.FLOAT32, -1, 100, 4)),
                "detr_raw"),
            DetrLayout.AUTO,
            new DetrSignature(DetrLayout.RAW, "pred_logits", "pred_boxes", "", "")));
  }

  @ParameterizedTest
  @MethodSource("resolvable")
  void resolves(ModelInfo m, DetrLayout requested, DetrSignature expected) {
    assertThat(DetrSignature.resolve(m, requested)).isEqualTo(expected);
  }

  static Stream<Arguments> unresolvable() {
    return Stream.of(
        // a classifier: one [N, K] output
        Arguments.of(
            model(List.of(IMAGES), List.of(t("logits", ElementType.FLOAT32, -1, 1000)), ""),
            DetrLayout.AUTO,
            "DETR-family layout"),
        // baked outputs without the frame-size input
        Arguments.of(
            model(
                List.of(IMAGES),
                List.of(
                    t("labels", ElementType.INT64, -1, 300),
                    t("boxes", ElementType.FLOAT32, -1, 300, 4),
                    t("scores", ElementType.FLOAT32, -1, 300)),
                ""),
            DetrLayout.AUTO,
            "orig_target_sizes"),
        // raw demanded of a baked model
        Arguments.of(
            model(
                List.of(IMAGES, SIZES),
                List.of(
                    t("labels", ElementType.INT64, -1, 300),
                    t("boxes", ElementType.FLOAT32, -1, 300, 4),
                    t("scores", ElementType.FLOAT32, -1, 300)),
                ""),
            DetrLayout.RAW,
            "raw DETR layout"),
        // boxes with 5 values are not DETR boxes
        Arguments.of(
            model(
                List.of(IMAGES),
                List.of(
                    t("pred_logits", ElementType.FLOAT32, -1, 100, 80),
                    t("pred_boxes", ElementType.FLOAT32, -1, 100, 5)),
                ""),
            DetrLayout.AUTO,
            "DETR-family layout"));
  }

  @ParameterizedTest
  @MethodSource("unresolvable")
  void refuses(ModelInfo m, DetrLayout requested, String mentions) {
    assertThatThrownBy(() -> DetrSignature.resolve(m, requested))
        .isInstanceOf(EdgeVisionException.class)
        .satisfies(
            e ->
                assertThat(((EdgeVisionException) e).code())
                    .isEqualTo(ErrorCode.MODEL_DESCRIPTOR_MISMATCH))
        .hasMessageContaining(mentions);
  }
}
