package io.edgevision.detectors.face;

import static io.edgevision.detectors.face.GalleryFixtures.near;
import static io.edgevision.detectors.face.GalleryFixtures.random;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GalleryStorageTest {
  static FaceGallery synthetic(EmbeddingModel model, GalleryStorage storage, int n) {
    FaceGallery g = FaceGallery.create(model, storage);
    for (int i = 0; i < n; i++) {
      g.enroll("p" + i, random(model, i));
    }
    return g;
  }

  static double l1(float[] v) {
    double s = 0;
    for (float x : v) {
      s += Math.abs(x);
    }
    return s;
  }

  @ParameterizedTest
  @CsvSource({
    // dimension, seeds: the proven bound |int8 score − float score| <= scale/2 · ‖probe‖₁
    "16, 50", // the fixtures' small model
    "128, 50", // MobileFaceNet's dimension
    "512, 20", // ArcFace R100's dimension
  })
  void int8ScoreErrorStaysWithinTheQuantizationBound(int dim, int seeds) {
    EmbeddingModel model = new EmbeddingModel("c".repeat(64), "q", dim);
    for (int s = 0; s < seeds; s++) {
      float[] v = random(model, 1000 + s).vector();
      float[] p = random(model, 5000 + s).vector();
      byte[] q = new byte[dim];
      float scale = FaceGallery.quantize(v, q, 0);
      double exact = Embedding.dot(v, 0, p, dim);
      double approx = scale * FaceGallery.dotInt8(q, 0, p, dim);
      for (int k = 0; k < dim; k++) {
        assertThat(Math.abs(v[k] - scale * q[k])).isLessThanOrEqualTo(scale / 2 + 1e-7f);
      }
      assertThat(Math.abs(approx - exact)).isLessThanOrEqualTo(scale / 2 * l1(p) + 1e-5);
      // and far below the bound in practice: ~1e-3 at most for random unit vectors
      assertThat(Math.abs(approx - exact)).isLessThan(5e-3);
    }
  }

  @ParameterizedTest
  @CsvSource({
    // dimension, identities, probe noise: top-1 identity of int8 equals float32 for every probe
    "128, 2000, 0.02", // near-duplicate probes, as in the benchmark
    "128, 2000, 0.08", // noisier probes (same-person similarity ~0.6)
    "16, 500, 0.1", // small dimension: neighbours close together, coarse codes relative to them
  })
  void int8AndFloatGalleriesAgreeOnTop1(int dim, int n, double noise) {
    EmbeddingModel model = new EmbeddingModel("c".repeat(64), "q", dim);
    FaceGallery f = synthetic(model, GalleryStorage.FLOAT32, n);
    FaceGallery q = synthetic(model, GalleryStorage.INT8, n);
    for (int i = 0; i < n; i += 7) {
      Embedding probe = near(random(model, i), noise, 77 + i);
      FaceMatch a = f.identify(probe, 1, -1f).best().orElseThrow();
      FaceMatch b = q.identify(probe, 1, -1f).best().orElseThrow();
      assertThat(b.identity()).as("int8 vs float32, probe near p%d", i).isEqualTo(a.identity());
      assertThat(b.similarity())
          .isCloseTo(a.similarity(), org.assertj.core.api.Assertions.within(5e-3f));
    }
  }

  @Test
  void int8UsesAboutAQuarterOfTheMemoryAtDimension128() {
    EmbeddingModel model = new EmbeddingModel("c".repeat(64), "q", 128);
    long f = synthetic(model, GalleryStorage.FLOAT32, 1000).memoryBytes();
    long q = synthetic(model, GalleryStorage.INT8, 1000).memoryBytes();
    // per row: float 4·128 + 4 owner; int8 128 + 4 scale + 4 owner (names identical)
    assertThat((double) q / f).isBetween(0.25, 0.40);
  }

  @Test
  void int8EmbeddingsRemoveAndSaveRoundTrip(@TempDir Path dir) throws Exception {
    EmbeddingModel model = new EmbeddingModel("c".repeat(64), "q", 128);
    FaceGallery q = synthetic(model, GalleryStorage.INT8, 50);
    assertThat(q.storage()).isEqualTo(GalleryStorage.INT8);
    // dequantized copies are unit length and close to the originals
    Embedding back = q.embeddings("p3").get(0);
    assertThat(back.similarity(random(model, 3))).isGreaterThan(0.999f);
    assertThat(q.remove("p10")).isTrue();
    assertThat(q.identify(random(model, 11), 1, 0.9f).best().orElseThrow().identity())
        .isEqualTo("p11");
    assertThat(q.identify(random(model, 10), 1, 0.9f).isUnknown()).isTrue();
    // the file format is unchanged (float32 vectors); it loads as a float32 gallery
    Path file = dir.resolve("g.evg");
    q.save(file);
    assertThat(Files.size(file)).isPositive();
    FaceGallery loaded = FaceGallery.load(file);
    assertThat(loaded.storage()).isEqualTo(GalleryStorage.FLOAT32);
    assertThat(loaded.size()).isEqualTo(49);
    assertThat(loaded.identify(random(model, 49), 1, 0.9f).best().orElseThrow().identity())
        .isEqualTo("p49");
  }

  @Test
  void int8SearchesRunConcurrentlyWithEnrolment() throws Exception {
    EmbeddingModel model = new EmbeddingModel("c".repeat(64), "q", 128);
    FaceGallery q = synthetic(model, GalleryStorage.INT8, 200);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> fs = new ArrayList<>();
      fs.add(
          pool.submit(
              () -> {
                for (int i = 200; i < 1200; i++) {
                  q.enroll("p" + i, random(model, i));
                }
              }));
      for (int t = 0; t < 3; t++) {
        int seed = t;
        fs.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < 300; i++) {
                    int id = (i * 7 + seed) % 200; // enrolled before the writer started
                    FaceMatch m = q.identify(random(model, id), 1, 0.9f).best().orElseThrow();
                    assertThat(m.identity()).isEqualTo("p" + id);
                  }
                }));
      }
      for (Future<?> f : fs) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(q.size()).isEqualTo(1200);
  }
}
