package io.edgevision.jni;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class EngineCacheKeyTest {
  static final String SHA = "a9e594dd224d6d11e98f9c75ee9afc044fb2b833c50343144408897679c0ff6e";
  static final EngineCacheKey BASE =
      new EngineCacheKey(
          SHA,
          "11.2.0",
          "NVIDIA H200",
          "9.0",
          TrtBuildOptions.builder().precision(TrtPrecision.FP16).build().builderFlags(),
          "images:1x3x320x320/1x3x320x320/1x3x320x320");

  static Stream<Arguments> changes() {
    return Stream.of(
        // another model
        Arguments.of(
            "model",
            (UnaryOperator<EngineCacheKey>)
                k ->
                    new EngineCacheKey(
                        "0".repeat(64),
                        k.tensorRtVersion(),
                        k.gpuName(),
                        k.computeCapability(),
                        k.builderFlags(),
                        k.profile())),
        // a TensorRT update: engines are not portable across versions
        Arguments.of(
            "tensorrt",
            (UnaryOperator<EngineCacheKey>)
                k ->
                    new EngineCacheKey(
                        k.modelSha256(),
                        "11.3.0",
                        k.gpuName(),
                        k.computeCapability(),
                        k.builderFlags(),
                        k.profile())),
        // another GPU of the same compute capability
        Arguments.of(
            "gpu",
            (UnaryOperator<EngineCacheKey>)
                k ->
                    new EngineCacheKey(
                        k.modelSha256(),
                        k.tensorRtVersion(),
                        "NVIDIA H100",
                        k.computeCapability(),
                        k.builderFlags(),
                        k.profile())),
        // another compute capability (Orin is 8.7)
        Arguments.of(
            "cc",
            (UnaryOperator<EngineCacheKey>)
                k ->
                    new EngineCacheKey(
                        k.modelSha256(),
                        k.tensorRtVersion(),
                        k.gpuName(),
                        "8.7",
                        k.builderFlags(),
                        k.profile())),
        // another precision
        Arguments.of(
            "flags",
            (UnaryOperator<EngineCacheKey>)
                k ->
                    new EngineCacheKey(
                        k.modelSha256(),
                        k.tensorRtVersion(),
                        k.gpuName(),
                        k.computeCapability(),
                        TrtBuildOptions.builder()
                            .precision(TrtPrecision.FP32)
                            .build()
                            .builderFlags(),
                        k.profile())),
        // another workspace limit changes the tactics TensorRT may pick
        Arguments.of(
            "flags",
            (UnaryOperator<EngineCacheKey>)
                k ->
                    new EngineCacheKey(
                        k.modelSha256(),
                        k.tensorRtVersion(),
                        k.gpuName(),
                        k.computeCapability(),
                        TrtBuildOptions.builder()
                            .precision(TrtPrecision.FP16)
                            .workspaceBytes(1L << 28)
                            .build()
                            .builderFlags(),
                        k.profile())),
        // a larger batch range
        Arguments.of(
            "profile",
            (UnaryOperator<EngineCacheKey>)
                k ->
                    new EngineCacheKey(
                        k.modelSha256(),
                        k.tensorRtVersion(),
                        k.gpuName(),
                        k.computeCapability(),
                        k.builderFlags(),
                        "images:1x3x320x320/1x3x320x320/4x3x320x320")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("changes")
  void everyFieldInvalidates(String field, UnaryOperator<EngineCacheKey> change) {
    EngineCacheKey other = change.apply(BASE);
    assertThat(other.digest()).isNotEqualTo(BASE.digest());
    assertThat(other.fileName()).isNotEqualTo(BASE.fileName());
    assertThat(BASE.differences(other)).startsWith(field + " (");
  }

  @Test
  void equalKeysShareDigestAndFile() {
    EngineCacheKey same = EngineCacheKey.parse(BASE.canonical());
    assertThat(same).isEqualTo(BASE);
    assertThat(same.digest()).isEqualTo(BASE.digest()).hasSize(64);
    assertThat(BASE.differences(same)).isEmpty();
  }

  @Test
  void fileNameIsReadable() {
    assertThat(BASE.fileName())
        .matches("a9e594dd224d\\.trt11\\.2\\.0\\.sm90\\.fp16\\.[0-9a-f]{16}\\.engine");
  }

  @Test
  void rejectsMalformedFields() {
    assertThatThrownBy(() -> new EngineCacheKey("ABC", "11.2.0", "g", "9.0", "f", "p"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("64 lower-case hex");
    assertThatThrownBy(() -> new EngineCacheKey(SHA, "11.2.0", "two\nlines", "9.0", "f", "p"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("gpuName must be one non-blank line");
    assertThat(EngineCacheKey.parse("model=x\n")).isNull();
  }
}
