package io.edgevision.detectors.face;

import java.util.Random;

/** Deterministic synthetic embeddings for gallery tests (no model needed). */
final class GalleryFixtures {
  static final EmbeddingModel MODEL = new EmbeddingModel("a".repeat(64), "desc-1", 16);
  static final EmbeddingModel OTHER_SHA = new EmbeddingModel("b".repeat(64), "desc-1", 16);
  static final EmbeddingModel OTHER_DIM = new EmbeddingModel("a".repeat(64), "desc-1", 32);

  private GalleryFixtures() {}

  /** A random unit vector of {@code model}'s dimension from {@code seed}. */
  static Embedding random(EmbeddingModel model, long seed) {
    Random r = new Random(seed);
    float[] v = new float[model.dimension()];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) r.nextGaussian();
    }
    return Embedding.normalise(v, model);
  }

  /** A unit vector close to {@code base}: base + noise·gaussian, renormalised. */
  static Embedding near(Embedding base, double noise, long seed) {
    Random r = new Random(seed);
    float[] v = base.vector();
    for (int i = 0; i < v.length; i++) {
      v[i] += (float) (noise * r.nextGaussian());
    }
    return Embedding.normalise(v, base.model());
  }

  /** The unit vector along axis {@code i}. */
  static Embedding axis(EmbeddingModel model, int i) {
    float[] v = new float[model.dimension()];
    v[i] = 1;
    return new Embedding(v, model);
  }
}
