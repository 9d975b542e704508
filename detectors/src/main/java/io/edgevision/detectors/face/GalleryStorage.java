package io.edgevision.detectors.face;

/**
 * How a {@link FaceGallery} holds its embeddings in memory.
 *
 * <p>Example: {@code FaceGallery.create(model, GalleryStorage.INT8)}. The default of {@link
 * FaceGallery#create(EmbeddingModel)} is {@link #FLOAT32}. The storage affects memory and search
 * only: {@link FaceGallery#save} always writes {@code float32} vectors (file format unchanged), and
 * {@link FaceGallery#load} returns a {@link #FLOAT32} gallery. Immutable and thread-safe (an enum).
 */
public enum GalleryStorage {
  /** One {@code float} per component: {@code 4 × dimension} bytes per embedding, exact scores. */
  FLOAT32,
  /**
   * One signed byte per component plus one {@code float} scale per embedding (symmetric, per
   * vector: {@code scale = max|v| / 127}, {@code q = round(v / scale)}): {@code dimension + 4}
   * bytes per embedding. A search scores {@code scale × Σ q[k]·probe[k]} against the float probe;
   * the error against the float score is at most {@code scale / 2 × ‖probe‖₁} (≤ {@code √dimension
   * / 254} for unit vectors, in practice about 1e-3; see {@code docs/FACES.md} for the measured
   * verification accuracy).
   */
  INT8
}
