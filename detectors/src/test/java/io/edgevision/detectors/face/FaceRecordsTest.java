package io.edgevision.detectors.face;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgevision.postprocess.Box;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Validation of the public records: every invalid value is refused with an "expected X, got Y"
 * message.
 */
class FaceRecordsTest {
  static final EmbeddingModel M = GalleryFixtures.MODEL;

  static Stream<Arguments> invalid() {
    return Stream.of(
        // NaN keypoint
        Arguments.of((Runnable) () -> new Keypoint(Float.NaN, 0), "finite"),
        // 4 landmarks instead of 5
        Arguments.of((Runnable) () -> Landmarks.of(1, 2, 3, 4, 5, 6, 7, 8), "expected 10"),
        // score above 1
        Arguments.of(
            (Runnable) () -> new Face(new Box(0, 0, 1, 1), 1.5f, Landmarks.of(new float[10])),
            "score in [0, 1]"),
        // malformed SHA-256
        Arguments.of((Runnable) () -> new EmbeddingModel("xyz", "d", 4), "64 hex"),
        // zero dimension
        Arguments.of((Runnable) () -> new EmbeddingModel("a".repeat(64), "d", 0), "dimension >= 1"),
        // vector length differs from the model's dimension
        Arguments.of((Runnable) () -> new Embedding(new float[3], M), "expected 16 values"),
        // not unit length
        Arguments.of((Runnable) () -> new Embedding(new float[16], M), "L2-normalised"),
        // NaN value
        Arguments.of(
            (Runnable)
                () ->
                    Embedding.normalise(
                        new float[] {Float.NaN, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, M),
            "finite"),
        // zero vector cannot be normalised
        Arguments.of((Runnable) () -> Embedding.normalise(new float[16], M), "norm 0"),
        // decision inconsistent with the values
        Arguments.of(
            (Runnable) () -> new Verification(0.2f, 0.45f, true),
            "same == (similarity >= threshold)"),
        // similarity out of range
        Arguments.of((Runnable) () -> new FaceMatch("a", 1.5f), "similarity in [-1, 1]"),
        // matches below the threshold
        Arguments.of(
            (Runnable) () -> new Identification(List.of(new FaceMatch("a", 0.1f)), 0.5f),
            ">= threshold"),
        // matches not sorted
        Arguments.of(
            (Runnable)
                () ->
                    new Identification(
                        List.of(new FaceMatch("a", 0.6f), new FaceMatch("b", 0.9f)), 0.5f),
            "descending"),
        // detector options out of range
        Arguments.of(
            (Runnable) () -> new FaceDetector.Options(2f, Float.NaN, 10),
            "scoreThreshold in [0, 1]"),
        Arguments.of(
            (Runnable) () -> new FaceDetector.Options(Float.NaN, Float.NaN, 0), "topK >= 1"),
        // recognizer options out of range
        Arguments.of(
            (Runnable) () -> new FaceRecognizer.Options(FaceAligner.arcFace(), 2f, 0.4f, 5),
            "verifyThreshold"),
        // a bad AES key length
        Arguments.of((Runnable) () -> FaceGallery.aesKey(new byte[10]), "16, 24 or 32 bytes"));
  }

  @ParameterizedTest
  @MethodSource("invalid")
  void invalidValuesAreRefused(Runnable construct, String message) {
    assertThatThrownBy(construct::run)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }

  @Test
  void embeddingIsImmutableAndComparesByContent() {
    float[] v = new float[16];
    v[0] = 1;
    Embedding e = new Embedding(v, M);
    v[0] = 5; // the caller's array is copied in
    e.vector()[0] = 7; // and out
    assertThat(e.get(0)).isEqualTo(1f);
    assertThat(e)
        .isEqualTo(GalleryFixtures.axis(M, 0))
        .hasSameHashCodeAs(GalleryFixtures.axis(M, 0));
    assertThat(e.similarity(GalleryFixtures.axis(M, 1))).isZero();
    assertThatThrownBy(() -> e.similarity(GalleryFixtures.random(GalleryFixtures.OTHER_SHA, 1)))
        .hasMessageContaining("different models");
  }

  @Test
  void prominenceOrdersByAreaThenScore() {
    Face small = new Face(new Box(0, 0, 10, 10), 0.99f, Landmarks.of(new float[10]));
    Face big = new Face(new Box(0, 0, 20, 20), 0.6f, Landmarks.of(new float[10]));
    Face bigBetter = new Face(new Box(5, 5, 25, 25), 0.7f, Landmarks.of(new float[10]));
    assertThat(Stream.of(small, big, bigBetter).sorted(Face.MOST_PROMINENT_FIRST).toList())
        .containsExactly(bigBetter, big, small);
  }
}
