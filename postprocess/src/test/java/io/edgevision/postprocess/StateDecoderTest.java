package io.edgevision.postprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class StateDecoderTest {
  static final String SCHEMA_JSON =
      "{\"name\": \"tl-6\", \"classes\": ["
          + "{\"name\": \"red\", \"colour\": \"red\", \"arrows\": [\"none\"]},"
          + "{\"name\": \"red_left\", \"colour\": \"red\", \"arrows\": [\"left\"]},"
          + "{\"name\": \"yellow\", \"colour\": \"yellow\"},"
          + "{\"name\": \"green\", \"color\": \"green\"},"
          + "{\"name\": \"green_left_straight\", \"colour\": \"GREEN\", \"arrows\": [\"left\", \"straight\"]},"
          + "{\"name\": \"off\", \"colour\": \"off\", \"index\": 5}]}";

  static LabelSchema schema() {
    return LabelSchema.parse(SCHEMA_JSON);
  }

  private static final StateDecoder DECODER =
      StateDecoder.builder(schema()).confidenceFloor(0.5f).build();

  @Test
  void schemaParsesColoursArrowsAndDefaults() {
    LabelSchema s = schema();
    assertThat(s.name()).isEqualTo("tl-6");
    assertThat(s.size()).isEqualTo(6);
    assertThat(s.hasFlashing()).isFalse();
    assertThat(s.stateClass(2))
        .isEqualTo(new StateClass(2, "yellow", Colour.YELLOW, Set.of(Arrow.NONE), false));
    assertThat(s.stateClass(4).arrows()).containsExactly(Arrow.LEFT, Arrow.STRAIGHT);
    assertThat(s.find(Colour.GREEN, Set.of(Arrow.STRAIGHT, Arrow.LEFT), false)).hasValue(4);
    assertThat(s.find(Colour.GREEN, Set.of(Arrow.RIGHT), false)).isEmpty();
  }

  static Stream<Arguments> badSchemas() {
    return Stream.of(
        // Not JSON.
        Arguments.of("{\"classes\": [", "malformed JSON at offset 13"),
        // Unknown colour.
        Arguments.of(
            "{\"classes\": [{\"name\": \"a\", \"colour\": \"blue\"}]}", "expected a colour"),
        // NONE combined with an arrow.
        Arguments.of(
            "{\"classes\": [{\"name\": \"a\", \"colour\": \"red\", \"arrows\": [\"none\", \"left\"]}]}",
            "expected NONE alone"),
        // Duplicate combination.
        Arguments.of(
            "{\"classes\": [{\"name\": \"a\", \"colour\": \"red\"}, {\"name\": \"b\", \"colour\": \"red\"}]}",
            "expected unique (colour, arrows, flashing) combinations"),
        // Index out of order.
        Arguments.of(
            "{\"classes\": [{\"name\": \"a\", \"colour\": \"red\", \"index\": 1}]}",
            "classes[0].index: expected 0, got 1"),
        // Typo in a key.
        Arguments.of("{\"classes\": [{\"name\": \"a\", \"colur\": \"red\"}]}", "got \"colur\""),
        // No classes.
        Arguments.of("{\"classes\": []}", "expected at least one class"),
        // Duplicate JSON key.
        Arguments.of("{\"classes\": [], \"classes\": []}", "duplicate \"classes\""));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("badSchemas")
  void badSchemasAreRejected(String json, String message) {
    assertThatThrownBy(() -> LabelSchema.parse(json))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }

  static Stream<Arguments> decodes() {
    return Stream.of(
        // Probabilities: red_left clearly wins.
        Arguments.of(
            new float[] {0.1f, 0.7f, 0.05f, 0.05f, 0.05f, 0.05f},
            ScoreKind.PROBABILITIES,
            "red_left",
            0.7f,
            0.8f),
        // Probabilities below the floor: unknown, but marginals still reported (red 0.45 + 0.0).
        Arguments.of(
            new float[] {0.45f, 0.0f, 0.4f, 0.05f, 0.05f, 0.05f},
            ScoreKind.PROBABILITIES,
            "unknown",
            0.45f,
            0.45f),
        // Logits: softmax; class 4 (green left+straight) at logit 4 vs zeros.
        Arguments.of(
            new float[] {0, 0, 0, 0, 4, 0},
            ScoreKind.LOGITS,
            "green_left_straight",
            (float) (Math.exp(4) / (Math.exp(4) + 5)),
            (float) (2 / (Math.exp(4) + 5))));
  }

  @ParameterizedTest(name = "{2}")
  @MethodSource("decodes")
  void decodesStateConfidenceAndMarginals(
      float[] values, ScoreKind kind, String name, float confidence, float pRed) {
    LightState s = DECODER.decode(values, kind);
    assertThat(s.name()).isEqualTo(name);
    assertThat(s.confidence()).isCloseTo(confidence, within(1e-6f));
    assertThat(s.colourProbability(Colour.RED)).isCloseTo(pRed, within(1e-6f));
    float total = 0;
    for (Colour c : Colour.values()) {
      total += s.colourProbability(c);
    }
    assertThat(total).isCloseTo(1f, within(1e-6f));
    assertThat(s.classCount()).isEqualTo(values.length);
  }

  @Test
  void unknownStateHasUnknownColourAndNoArrows() {
    LightState s =
        DECODER.decode(new float[] {0.3f, 0.3f, 0.1f, 0.1f, 0.1f, 0.1f}, ScoreKind.PROBABILITIES);
    assertThat(s.isKnown()).isFalse();
    assertThat(s.classIndex()).isEqualTo(-1);
    assertThat(s.colour()).isEqualTo(Colour.UNKNOWN);
    assertThat(s.arrows()).isEmpty();
    assertThat(s.bestClass().name()).isEqualTo("red");
    assertThat(s.arrowProbability(Arrow.LEFT))
        .isCloseTo(0.4f, within(1e-6f)); // red_left + green_left_straight
  }

  @Test
  void nonFiniteInputsRaiseAnErrorNamingTheIndex() {
    assertThatThrownBy(
            () -> DECODER.decode(new float[] {0, 0, Float.NaN, 0, 0, 0}, ScoreKind.LOGITS))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("values[2]: expected a finite value, got NaN");
    assertThatThrownBy(
            () ->
                DECODER.decode(
                    new float[] {0, 0, 0, 0, 0, Float.NEGATIVE_INFINITY}, ScoreKind.PROBABILITIES))
        .hasMessage("values[5]: expected a finite value, got -Infinity");
    assertThatThrownBy(
            () -> DECODER.decode(new float[] {0.5f, 0.6f, 0, 0, 0, 0}, ScoreKind.PROBABILITIES))
        .hasMessageContaining("summing to 1");
    assertThatThrownBy(() -> DECODER.decode(new float[3], ScoreKind.LOGITS))
        .hasMessage("expected 6 values (one per schema class), got 3");
  }

  @Test
  void decodesARowOfABatch() {
    float[] batch = {9, 9, 0, 0, 5, 0, 0, 0, 9, 9};
    assertThat(DECODER.decode(batch, 2, ScoreKind.LOGITS).name()).isEqualTo("yellow");
  }

  private static MultiHeadAdapter adapter() {
    return MultiHeadAdapter.builder(DECODER)
        .colourHead(List.of(Colour.RED, Colour.YELLOW, Colour.GREEN, Colour.OFF))
        .arrowHead(
            List.of(Set.of(Arrow.NONE), Set.of(Arrow.LEFT), Set.of(Arrow.LEFT, Arrow.STRAIGHT)))
        .build();
  }

  @Test
  void multiHeadProductIsRenormalisedOverValidCombinations() {
    float[] colour = {0.6f, 0.1f, 0.2f, 0.1f};
    float[] arrow = {0.5f, 0.3f, 0.2f};
    float[] joint = adapter().jointProbabilities(colour, arrow, ScoreKind.PROBABILITIES);
    // Valid: red/none .30, red/left .18, yellow/none .05, green/none .10, green/left+straight .04,
    // off/none .05.
    double z = 0.30 + 0.18 + 0.05 + 0.10 + 0.04 + 0.05;
    assertThat(joint)
        .containsExactly(
            new float[] {
              (float) (0.30 / z),
              (float) (0.18 / z),
              (float) (0.05 / z),
              (float) (0.10 / z),
              (float) (0.04 / z),
              (float) (0.05 / z)
            },
            within(1e-6f));
  }

  @Test
  void multiHeadCanNeverOutputAnInvalidCombination() {
    // The heads' favourite pair is "green + left" (0.85 x 0.85), which the schema does not list;
    // the best valid
    // combination is green/none (0.085) ahead of red/left (0.0425) and green/left+straight
    // (0.0425).
    float[] colour = {0.05f, 0.05f, 0.85f, 0.05f};
    float[] arrow = {0.1f, 0.85f, 0.05f};
    LightState s = adapter().decode(colour, arrow, ScoreKind.PROBABILITIES);
    assertThat(DECODER.schema().find(s.bestClass().colour(), s.bestClass().arrows(), false))
        .isPresent();
    assertThat(s.bestClass().name()).isEqualTo("green");
    // Same inputs as logits are accepted too and give a schema class.
    LightState fromLogits =
        adapter().decode(new float[] {0, 0, 3, 0}, new float[] {0, 3, 0}, ScoreKind.LOGITS);
    assertThat(DECODER.schema().classes()).contains(fromLogits.bestClass());
  }

  @Test
  void multiHeadValidatesHeadsAgainstTheSchema() {
    assertThatThrownBy(
            () ->
                MultiHeadAdapter.builder(DECODER)
                    .colourHead(List.of(Colour.RED, Colour.GREEN, Colour.OFF))
                    .arrowHead(
                        List.of(
                            Set.of(Arrow.NONE),
                            Set.of(Arrow.LEFT),
                            Set.of(Arrow.LEFT, Arrow.STRAIGHT)))
                    .build())
        .hasMessage("expected colour YELLOW of class \"yellow\" among the colour head labels");
    assertThatThrownBy(
            () ->
                adapter().decode(new float[] {0, Float.NaN, 0, 0}, new float[3], ScoreKind.LOGITS))
        .hasMessage("colourValues[1]: expected a finite value, got NaN");
    assertThatThrownBy(
            () ->
                adapter()
                    .decode(
                        new float[] {0, 0, 0, 1}, new float[] {0, 1, 0}, ScoreKind.PROBABILITIES))
        .hasMessageContaining("non-zero probability");
  }

  @Test
  void flashingSchemaNeedsAFlashingHead() {
    LabelSchema flashing =
        LabelSchema.parse(
            "{\"classes\": [{\"name\": \"y\", \"colour\": \"yellow\"},"
                + "{\"name\": \"y_fl\", \"colour\": \"yellow\", \"flashing\": true},"
                + "{\"name\": \"r\", \"colour\": \"red\"}]}");
    assertThat(flashing.hasFlashing()).isTrue();
    StateDecoder d = StateDecoder.builder(flashing).build();
    assertThatThrownBy(
            () ->
                MultiHeadAdapter.builder(d)
                    .colourHead(List.of(Colour.YELLOW, Colour.RED))
                    .arrowHead(List.of(Set.of(Arrow.NONE)))
                    .build())
        .hasMessageContaining("flashingHead(true)");
    MultiHeadAdapter a =
        MultiHeadAdapter.builder(d)
            .colourHead(List.of(Colour.YELLOW, Colour.RED))
            .arrowHead(List.of(Set.of(Arrow.NONE)))
            .flashingHead(true)
            .build();
    LightState s =
        a.decode(new float[] {0.9f, 0.1f}, new float[] {1f}, 0.8f, ScoreKind.PROBABILITIES);
    assertThat(s.name()).isEqualTo("y_fl");
    assertThat(s.flashing()).isTrue();
    // Joint: y 0.9 x 0.2 = 0.18, y_fl 0.9 x 0.8 = 0.72, r 0.1 x 0.2 = 0.02 (r is not flashing; its
    // 0.08 is invalid).
    assertThat(s.flashingProbability()).isCloseTo(0.72f / 0.92f, within(1e-6f));
  }
}
