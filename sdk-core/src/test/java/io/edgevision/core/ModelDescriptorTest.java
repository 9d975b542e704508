package io.edgevision.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ModelDescriptorTest {
  static Stream<Arguments> badValues() {
    return Stream.of(
        // size needs WxH
        Arguments.of(
            "edgevision.input_size",
            "640",
            "must be WIDTHxHEIGHT with positive integers, e.g. 640x480, got '640'"),
        // unknown resize mode lists the valid ones
        Arguments.of(
            "edgevision.resize",
            "crop",
            "edgevision.resize must be one of [stretch, letterbox, pad_to_multiple], got 'crop'"),
        // mean needs one value per channel (or one for all)
        Arguments.of(
            "edgevision.mean", "0.1,0.2", "edgevision.mean needs 3 values for RGB input, got 2"),
        // std must be positive
        Arguments.of("edgevision.std", "0,1,1", "edgevision.std values must be positive"),
        // scale must be a number
        Arguments.of("edgevision.scale", "abc", "edgevision.scale must be a number, got 'abc'"),
        // labels as broken JSON
        Arguments.of("edgevision.labels", "[\"a\",", "edgevision.labels is not a valid JSON array"),
        // pad value is in pixel units
        Arguments.of(
            "edgevision.pad_value", "300", "edgevision.pad_value must be in [0, 255], got 300"));
  }

  @ParameterizedTest
  @MethodSource("badValues")
  void badValuesFailAtBuildNamingTheKey(String key, String value, String message) {
    assertThatThrownBy(() -> ModelDescriptor.fromProperties(Map.of(key, value)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }

  @Test
  void defaultsAreDocumentedValues() {
    ModelDescriptor d = ModelDescriptor.builder().build();
    assertThat(d.resize()).isEqualTo(ModelDescriptor.ResizeMode.STRETCH);
    assertThat(d.color()).isEqualTo(ModelDescriptor.ColorOrder.RGB);
    assertThat(d.scale()).isEqualTo(1f / 255f);
    assertThat(d.mean()).containsExactly(0f, 0f, 0f);
    assertThat(d.std()).containsExactly(1f, 1f, 1f);
    assertThat(d.layout()).isEqualTo(ModelDescriptor.Layout.NCHW);
    assertThat(d.padMultiple()).isEqualTo(32);
    assertThat(d.inputSize()).isEmpty();
    assertThat(d.labels()).isEmpty();
  }

  @Test
  void parsesEveryKeyAndKeepsExtras() {
    ModelDescriptor d =
        ModelDescriptor.fromProperties(
            Map.of(
                "edgevision.input_size",
                "320x240",
                "edgevision.resize",
                "letterbox",
                "edgevision.color",
                "bgr",
                "edgevision.scale",
                "0.0078125",
                "edgevision.mean",
                "[127.5, 127.5, 127.5]",
                "edgevision.std",
                "1",
                "edgevision.labels",
                "[\"red\", \"green\"]",
                "edgevision.label_schema",
                "{\"x\":1}",
                "other.key",
                "ignored"));
    assertThat(d.inputSize()).hasValueSatisfying(s -> assertThat(s).containsExactly(320, 240));
    assertThat(d.resize()).isEqualTo(ModelDescriptor.ResizeMode.LETTERBOX);
    assertThat(d.color()).isEqualTo(ModelDescriptor.ColorOrder.BGR);
    assertThat(d.mean()).containsExactly(127.5f, 127.5f, 127.5f);
    assertThat(d.std()).containsExactly(1f, 1f, 1f);
    assertThat(d.labels()).containsExactly("red", "green");
    assertThat(d.extras()).containsOnlyKeys("edgevision.label_schema");
  }

  @Test
  void builderWritesTheSameKeysAsMetadataAndRoundTrips() {
    ModelDescriptor d =
        ModelDescriptor.builder()
            .inputSize(96, 96)
            .resize(ModelDescriptor.ResizeMode.LETTERBOX)
            .padValue(114)
            .color(ModelDescriptor.ColorOrder.RGB)
            .scale(1 / 255.0)
            .mean(0.485f, 0.456f, 0.406f)
            .std(0.229f, 0.224f, 0.225f)
            .labels(List.of("a", "b"))
            .build();
    ModelDescriptor again = ModelDescriptor.fromProperties(d.asProperties());
    assertThat(again).isEqualTo(d);
    assertThat(again.hash()).isEqualTo(d.hash()).hasSize(64);
    assertThat(d.toBuilder().inputSize(97, 96).build().hash()).isNotEqualTo(d.hash());
  }

  @Test
  void fallbackFillsOnlyMissingKeys() {
    ModelDescriptor metadata = ModelDescriptor.builder().inputSize(64, 64).build();
    ModelDescriptor sidecar =
        ModelDescriptor.builder().inputSize(32, 32).color(ModelDescriptor.ColorOrder.BGR).build();
    ModelDescriptor merged = metadata.withFallback(sidecar);
    assertThat(merged.inputSize().orElseThrow()).containsExactly(64, 64);
    assertThat(merged.color()).isEqualTo(ModelDescriptor.ColorOrder.BGR);
  }
}
