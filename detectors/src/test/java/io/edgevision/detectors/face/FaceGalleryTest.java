package io.edgevision.detectors.face;

import static io.edgevision.detectors.face.GalleryFixtures.MODEL;
import static io.edgevision.detectors.face.GalleryFixtures.axis;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.edgevision.core.EdgeVisionException;
import io.edgevision.core.ErrorCode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class FaceGalleryTest {
  /**
   * alice = axis 0 (+ a second embedding on axis 1), bob = axis 2, carol = 0.8·axis0 + 0.6·axis3.
   */
  static FaceGallery abc() {
    FaceGallery g = FaceGallery.create(MODEL);
    g.enroll("alice", axis(MODEL, 0), axis(MODEL, 1));
    g.enroll("bob", axis(MODEL, 2));
    float[] c = new float[16];
    c[0] = 0.8f;
    c[3] = 0.6f;
    g.enroll("carol", new Embedding(c, MODEL));
    return g;
  }

  static Stream<Arguments> searches() {
    return Stream.of(
        // probe on axis 0: alice 1.0, carol 0.8, bob 0 → threshold 0.5 keeps alice, carol
        Arguments.of(0, 5, 0.5f, List.of("alice", "carol"), List.of(1f, 0.8f)),
        // top-1 keeps only the best
        Arguments.of(0, 1, 0.5f, List.of("alice"), List.of(1f)),
        // probe on axis 1 hits alice's second embedding (identity score = max over its embeddings)
        Arguments.of(1, 5, 0.5f, List.of("alice"), List.of(1f)),
        // probe on axis 3: carol 0.6 is below 0.7 → unknown
        Arguments.of(3, 5, 0.7f, List.of(), List.of()),
        // threshold -1 returns everyone, best first, ties by enrolment order (bob 0 before...
        // nobody else at 0)
        Arguments.of(2, 5, -1f, List.of("bob", "alice", "carol"), List.of(1f, 0f, 0f)));
  }

  @ParameterizedTest
  @MethodSource("searches")
  void identifyTopKAboveThreshold(
      int axisIndex, int topK, float threshold, List<String> names, List<Float> sims) {
    Identification id = abc().identify(axis(MODEL, axisIndex), topK, threshold);
    assertThat(id.matches()).extracting(FaceMatch::identity).containsExactlyElementsOf(names);
    for (int i = 0; i < sims.size(); i++) {
      assertThat(id.matches().get(i).similarity()).isCloseTo(sims.get(i), within(1e-6f));
    }
    assertThat(id.isUnknown()).isEqualTo(names.isEmpty());
  }

  @Test
  void enrollListRemove() {
    FaceGallery g = abc();
    assertThat(g.identities()).containsExactly("alice", "bob", "carol");
    assertThat(g.size()).isEqualTo(3);
    assertThat(g.embeddingCount()).isEqualTo(4);
    assertThat(g.embeddingCount("alice")).isEqualTo(2);
    g.enroll("bob", axis(MODEL, 5)); // a second embedding for an existing identity
    assertThat(g.embeddingCount("bob")).isEqualTo(2);
    assertThat(g.remove("alice")).isTrue();
    assertThat(g.remove("alice")).isFalse();
    assertThat(g.identities()).containsExactly("bob", "carol");
    assertThat(g.embeddingCount()).isEqualTo(3);
    // after removal the indices are remapped: bob still answers on both of his axes, alice never
    assertThat(g.identify(axis(MODEL, 5), 5, 0.9f).best().orElseThrow().identity())
        .isEqualTo("bob");
    assertThat(g.identify(axis(MODEL, 2), 5, 0.9f).best().orElseThrow().identity())
        .isEqualTo("bob");
    assertThat(g.identify(axis(MODEL, 1), 5, 0.5f).isUnknown()).isTrue();
    assertThat(g.embeddings("carol")).hasSize(1);
    assertThat(g.embeddings("nobody")).isEmpty();
  }

  static Stream<Arguments> refusedEmbeddings() {
    return Stream.of(
        // another model file (SHA-256 differs)
        Arguments.of(
            GalleryFixtures.random(GalleryFixtures.OTHER_SHA, 1), "model or preprocessing differs"),
        // same model, other dimension
        Arguments.of(GalleryFixtures.random(GalleryFixtures.OTHER_DIM, 1), "dimension differs"),
        // other preprocessing (descriptor hash)
        Arguments.of(
            GalleryFixtures.random(new EmbeddingModel("a".repeat(64), "desc-2", 16), 1),
            "differs"));
  }

  @ParameterizedTest
  @MethodSource("refusedEmbeddings")
  void embeddingsOfAnotherModelAreRefused(Embedding foreign, String message) {
    FaceGallery g = abc();
    assertThatThrownBy(() -> g.enroll("x", foreign))
        .isInstanceOf(EdgeVisionException.class)
        .hasMessageContaining(message)
        .satisfies(
            e ->
                assertThat(((EdgeVisionException) e).code())
                    .isEqualTo(ErrorCode.MODEL_DESCRIPTOR_MISMATCH));
    assertThatThrownBy(() -> g.identify(foreign, 5, 0.5f)).isInstanceOf(EdgeVisionException.class);
    assertThat(g.identities()).doesNotContain("x");
  }

  static Stream<Arguments> badNames() {
    return Stream.of(
        Arguments.of(""), // empty
        Arguments.of("   "), // blank
        Arguments.of("a\nb"), // control character
        Arguments.of("x".repeat(257))); // too long
  }

  @ParameterizedTest
  @MethodSource("badNames")
  void invalidIdentityNamesAreRefused(String name) {
    assertThatThrownBy(() -> FaceGallery.create(MODEL).enroll(name, axis(MODEL, 0)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void argumentChecks() {
    FaceGallery g = abc();
    assertThatThrownBy(() -> g.enroll("a", List.of())).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> g.identify(axis(MODEL, 0), 0, 0.5f))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> g.identify(axis(MODEL, 0), 1, 1.5f))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(FaceGallery.create(MODEL).identify(axis(MODEL, 0), 3, -1f).isUnknown()).isTrue();
  }

  @Test
  void readersRunConcurrentlyWithAWriterAndAlwaysSeeAConsistentGallery() throws Exception {
    // Writer: enrols and removes "temp-i" identities; readers: search for the permanent identities,
    // which must
    // always be found with similarity 1 whatever the writer is doing (a torn remove would shift
    // rows).
    FaceGallery g = FaceGallery.create(MODEL);
    for (int i = 0; i < 8; i++) {
      g.enroll("perm-" + i, axis(MODEL, i));
    }
    AtomicBoolean stop = new AtomicBoolean();
    CountDownLatch started = new CountDownLatch(4);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      Future<Integer> writer =
          pool.submit(
              () -> {
                started.countDown();
                int ops = 0;
                for (int i = 0; !stop.get(); i++) {
                  g.enroll(
                      "temp-" + i,
                      GalleryFixtures.random(MODEL, i),
                      GalleryFixtures.random(MODEL, i + 1_000_000));
                  if (i >= 4) {
                    g.remove("temp-" + (i - 4));
                  }
                  ops++;
                }
                return ops;
              });
      List<Future<Integer>> readers = new ArrayList<>();
      for (int r = 0; r < 3; r++) {
        int seed = r;
        readers.add(
            pool.submit(
                () -> {
                  started.countDown();
                  int checks = 0;
                  for (int k = 0; !stop.get(); k++) {
                    int i = (k + seed) % 8;
                    Identification id = g.identify(axis(MODEL, i), 1, 0.999f);
                    assertThat(id.best()).as("perm-" + i).isPresent();
                    assertThat(id.best().get().identity()).isEqualTo("perm-" + i);
                    assertThat(g.identities()).contains("perm-" + i);
                    checks++;
                  }
                  return checks;
                }));
      }
      started.await();
      Thread.sleep(500);
      stop.set(true);
      assertThat(writer.get(10, TimeUnit.SECONDS)).isGreaterThan(10);
      for (Future<Integer> f : readers) {
        assertThat(f.get(10, TimeUnit.SECONDS)).isGreaterThan(10);
      }
    } finally {
      stop.set(true);
      pool.shutdownNow();
      assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(g.identities()).hasSize(8 + 4);
  }

  @Test
  void largeGallerySearchFindsTheEnrolledFace() {
    // 20k identities of random 16-d vectors; a noisy copy of #12345 must rank it first.
    FaceGallery g = FaceGallery.create(MODEL);
    for (int i = 0; i < 20_000; i++) {
      g.enroll("id" + i, GalleryFixtures.random(MODEL, i));
    }
    Embedding probe = GalleryFixtures.near(GalleryFixtures.random(MODEL, 12_345), 0.05, 99);
    Identification id = g.identify(probe, 3, 0.5f);
    assertThat(id.best().orElseThrow().identity()).isEqualTo("id12345");
    assertThat(g.memoryBytes()).isGreaterThan(20_000L * 16 * 4);
  }

  @Test
  void theReusedScratchOfALargerGalleryDoesNotLeakIntoASmallerOne() {
    // A search of a large gallery leaves high scores in the thread's reused per-identity buffer;
    // the next search,
    // of the three-identity gallery on the same thread, must see only its own identities' scores.
    FaceGallery big = FaceGallery.create(MODEL);
    for (int i = 0; i < 1000; i++) {
      big.enroll("id" + i, axis(MODEL, 3)); // every identity scores 1.0 against an axis-3 probe
    }
    assertThat(big.identify(axis(MODEL, 3), 5, 0.5f).matches()).hasSize(5);
    // probe on axis 3 against abc(): only carol reaches 0.5 (0.6); alice and bob are 0
    Identification small = abc().identify(axis(MODEL, 3), 5, 0.5f);
    assertThat(small.matches()).extracting(FaceMatch::identity).containsExactly("carol");
    assertThat(small.matches().get(0).similarity()).isCloseTo(0.6f, within(1e-6f));
  }
}
