package io.edgevision.jni;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgevision.core.EdgeVisionException;
import io.edgevision.core.ErrorCode;
import io.edgevision.core.InferenceSession;
import io.edgevision.core.ModelDescriptor;
import io.edgevision.core.ModelInfo;
import io.edgevision.core.ModelSource;
import io.edgevision.core.testing.SharedResources;
import io.edgevision.core.testing.TestModels;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Profile shapes derived from real model IO read by ONNX Runtime (fixtures and the shared DEIMv2
 * models).
 */
class ProfileShapesTest {
  private static ModelInfo io(Path model, ModelDescriptor fallback) {
    try (InferenceSession s =
        InferenceSession.builder(ModelSource.of(model)).descriptor(fallback).build()) {
      return s.model();
    }
  }

  private static ModelDescriptor none() {
    return ModelDescriptor.builder().build();
  }

  static Stream<Arguments> cases() {
    TrtBuildOptions one = TrtBuildOptions.builder().build();
    TrtBuildOptions batch = TrtBuildOptions.builder().batch(2, 4).build();
    return Stream.of(
        // dynamic batch N, static 3x64x64: batch 1..1 by default
        Arguments.of("tiny_detr_raw.onnx", none(), one, "images:1x3x64x64/1x3x64x64/1x3x64x64"),
        // the same with batch opt 2, max 4
        Arguments.of("tiny_detr_raw.onnx", none(), batch, "images:1x3x64x64/2x3x64x64/4x3x64x64"),
        // fully static input: one shape whatever the batch options
        Arguments.of("static_echo.onnx", none(), batch, "images:1x3x32x32/1x3x32x32/1x3x32x32"),
        // dynamic H and W fixed by the descriptor's input size 48x40 (W x H)
        Arguments.of(
            "echo.onnx",
            ModelDescriptor.builder().inputSize(48, 40).build(),
            one,
            "images:1x3x40x48/1x3x40x48/1x3x40x48"),
        // dynamic H and W with pad_to_multiple: the range comes from the options (W x H given, H x
        // W stored)
        Arguments.of(
            "echo.onnx",
            ModelDescriptor.builder().resize(ModelDescriptor.ResizeMode.PAD_TO_MULTIPLE).build(),
            TrtBuildOptions.builder().dynamicSize(32, 32, 64, 64, 128, 96).build(),
            "images:1x3x32x32/1x3x64x64/1x3x96x128"));
  }

  @ParameterizedTest(name = "{0} {3}")
  @MethodSource("cases")
  void derivesFromFixtureIo(String fixture, ModelDescriptor d, TrtBuildOptions o, String expected) {
    ProfileShapes p = ProfileShapes.derive(io(TestModels.path(fixture), d), o);
    assertThat(p.canonical()).isEqualTo(expected);
  }

  @Test
  void dynamicSizeWithoutARangeIsRefusedNamingTheDimension() {
    ModelInfo echo =
        io(
            TestModels.path("echo.onnx"),
            ModelDescriptor.builder().resize(ModelDescriptor.ResizeMode.PAD_TO_MULTIPLE).build());
    assertThatThrownBy(() -> ProfileShapes.derive(echo, TrtBuildOptions.builder().build()))
        .isInstanceOfSatisfying(
            EdgeVisionException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.MODEL_DESCRIPTOR_MISMATCH))
        .hasMessageContaining("dynamic dimension 2 of input images")
        .hasMessageContaining("dynamicSize");
  }

  @Test
  void sharedDeimv2RawModel() {
    // images float32 [N,3,320,320] (MANIFEST.md): batch from the options, the rest static
    ModelInfo raw = io(SharedResources.model("deimv2_hgnetv2_atto_coco_raw.onnx"), none());
    ProfileShapes p = ProfileShapes.derive(raw, TrtBuildOptions.builder().batch(2, 8).build());
    assertThat(p.canonical()).isEqualTo("images:1x3x320x320/2x3x320x320/8x3x320x320");
    assertThat(p.isStatic()).isFalse();
    assertThat(ProfileShapes.derive(raw, TrtBuildOptions.builder().build()).isStatic()).isTrue();
  }

  @Test
  void sharedDeimv2BakedModelSizeInputFollowsTheBatch() {
    // images [N,3,320,320] plus orig_target_sizes int64 [N,2]
    ModelInfo baked = io(SharedResources.model("deimv2_hgnetv2_atto_coco.onnx"), none());
    ProfileShapes p = ProfileShapes.derive(baked, TrtBuildOptions.builder().batch(1, 3).build());
    assertThat(p.canonical())
        .isEqualTo("images:1x3x320x320/1x3x320x320/3x3x320x320;orig_target_sizes:1x2/1x2/3x2");
  }

  @Test
  void inputRangeIsValidated() {
    assertThatThrownBy(
            () -> new ProfileShapes.Input("x", new long[] {2}, new long[] {1}, new long[] {3}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1 <= min <= opt <= max");
    assertThatThrownBy(
            () -> new ProfileShapes.Input("x", new long[] {1}, new long[] {1, 1}, new long[] {1}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("one rank");
  }
}
