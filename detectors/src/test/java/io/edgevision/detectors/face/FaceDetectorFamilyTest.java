package io.edgevision.detectors.face;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgevision.core.EdgeVisionException;
import io.edgevision.core.ElementType;
import io.edgevision.core.ErrorCode;
import io.edgevision.core.ModelDescriptor;
import io.edgevision.core.ModelInfo;
import io.edgevision.core.TensorInfo;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class FaceDetectorFamilyTest {
  static TensorInfo out(String name, long... shape) {
    List<Long> s = new ArrayList<>();
    for (long d : shape) {
      s.add(d);
    }
    return new TensorInfo(name, ElementType.FLOAT32, s, Collections.nCopies(s.size(), ""));
  }

  static ModelInfo model(List<TensorInfo> outputs) {
    return new ModelInfo(
        "m.onnx",
        "0".repeat(64),
        1,
        List.of(out("input", 1, 3, -1, -1)),
        outputs,
        Map.of(),
        "p",
        "g",
        ModelDescriptor.builder().build());
  }

  static List<TensorInfo> yunet() {
    List<TensorInfo> o = new ArrayList<>();
    for (String k : new String[] {"cls", "obj", "bbox", "kps"}) {
      for (int s : new int[] {8, 16, 32}) {
        o.add(out(k + "_" + s, 1, -1, k.equals("bbox") ? 4 : k.equals("kps") ? 10 : 1));
      }
    }
    return o;
  }

  static List<TensorInfo> scrfd(long n8) {
    List<TensorInfo> o = new ArrayList<>();
    int[] last = {1, 4, 10};
    int id = 443;
    for (int g = 0; g < 3; g++) {
      for (int s = 0; s < 3; s++) {
        o.add(out(Integer.toString(id++), n8 >> (2 * s), last[g]));
      }
    }
    return o;
  }

  static Stream<Arguments> recognised() {
    return Stream.of(
        // YuNet 2026may: 12 named outputs
        Arguments.of(yunet(), FaceDetectorFamily.YUNET),
        // det_500m: 9 outputs with declared 640x640 counts
        Arguments.of(scrfd(12800), FaceDetectorFamily.SCRFD),
        // det_2.5g: dynamic first dims
        Arguments.of(scrfd(-1), FaceDetectorFamily.SCRFD));
  }

  @ParameterizedTest
  @MethodSource("recognised")
  void recognisesFamilies(List<TensorInfo> outputs, FaceDetectorFamily expected) {
    assertThat(FaceDetectorFamily.of(model(outputs))).isEqualTo(expected);
  }

  static Stream<Arguments> refused() {
    return Stream.of(
        // SCRFD without keypoints: 6 outputs
        Arguments.of(scrfd(12800).subList(0, 6), "without keypoints"),
        // 9 outputs whose last dims are not 1/4/10 (e.g. a classifier)
        Arguments.of(Collections.nCopies(9, out("x", 1, 7)), "expected a YuNet"),
        // a single DETR-like output
        Arguments.of(List.of(out("pred_logits", 1, 100, 80)), "got 1 outputs"),
        // 12 outputs without YuNet names
        Arguments.of(Collections.nCopies(12, out("y", 1, -1, 1)), "expected a YuNet"));
  }

  @ParameterizedTest
  @MethodSource("refused")
  void refusesOtherModels(List<TensorInfo> outputs, String message) {
    assertThatThrownBy(() -> FaceDetectorFamily.of(model(outputs)))
        .isInstanceOf(EdgeVisionException.class)
        .hasMessageContaining(message)
        .satisfies(
            e ->
                assertThat(((EdgeVisionException) e).code())
                    .isEqualTo(ErrorCode.MODEL_DESCRIPTOR_MISMATCH));
  }
}
