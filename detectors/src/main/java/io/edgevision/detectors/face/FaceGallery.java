package io.edgevision.detectors.face;

import io.edgevision.core.EdgeVisionException;
import io.edgevision.core.ErrorCode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * A 1:N gallery of enrolled identities, each with one or several embeddings of one {@link
 * EmbeddingModel}, searched by cosine similarity and persisted to a checksummed, atomically
 * written, optionally encrypted file.
 *
 * <h2>Example</h2>
 *
 * <pre>{@code
 * FaceGallery gallery = FaceGallery.create(embedder.model());
 * gallery.enroll("alice", aliceEmbedding1, aliceEmbedding2);
 * Identification id = gallery.identify(probe, 5, 0.45f);   // top-5 at or above 0.45, or unknown
 * gallery.save(Path.of("staff.evg"));                        // atomic: temp file, fsync, rename
 * FaceGallery again = FaceGallery.load(Path.of("staff.evg"), embedder.model(), null);
 * }</pre>
 *
 * <h2>Search</h2>
 *
 * Embeddings sit in one contiguous {@code float[]} matrix (row-major, one row per embedding); a
 * search computes one dot product per row, keeps each identity's best, and selects the top-k at or
 * above the threshold. Cost is {@code rows × dimension} multiply-adds: see {@code
 * docs/PERFORMANCE.md} ("face gallery") for 100k identities. Memory: {@code 4 × dimension + 4}
 * bytes per embedding plus the names ({@link #memoryBytes()}).
 *
 * <p>With {@link GalleryStorage#INT8} ({@link #create(EmbeddingModel, GalleryStorage)}) each
 * embedding is held as {@code dimension} signed bytes and one {@code float} scale ({@code dimension
 * + 8} bytes with its owner, a quarter of the float matrix at 128-d); scores then differ from the
 * exact cosine by at most {@code scale / 2 × ‖probe‖₁} (see {@link GalleryStorage#INT8}), and
 * {@link #embeddings(String)} returns the dequantized, re-normalised vectors. The default is {@link
 * GalleryStorage#FLOAT32}.
 *
 * <h2>Refusals</h2>
 *
 * Embeddings of another model (different SHA-256, preprocessing or dimension) are refused with
 * {@link EdgeVisionException} {@link ErrorCode#MODEL_DESCRIPTOR_MISMATCH}, on enrol, search and
 * load.
 *
 * <h2>Persistence</h2>
 *
 * {@link #save(Path)} writes the format described in {@code docs/FACES.md}: magic {@code EVGALLRY},
 * version {@value GalleryFile#VERSION}, a header CRC32, then sections (model, identities, vectors,
 * end) each with its own CRC32. The file is written to a temporary file in the same directory,
 * forced to disk, then renamed over the target (and the directory is synced), so a crash leaves
 * either the previous file or the new one, never a mix; an interrupted save may leave a {@code
 * .<name>.*.tmp} file behind, which loading ignores. With a key ({@link #save(Path, SecretKey)})
 * the body is encrypted with AES-GCM (random 96-bit IV, 128-bit tag, header as associated data) and
 * a key check value lets a wrong key be told apart from a modified file. Corrupt, truncated,
 * tampered files and wrong keys fail with {@link ErrorCode#BAD_INPUT} and a message saying which.
 *
 * <h2>Threading</h2>
 *
 * Thread-safe: searches run concurrently with each other under a read lock; enrol and remove take
 * the write lock. {@link #save} holds the read lock only while serialising, not during disk I/O.
 *
 * <h2>Lifecycle</h2>
 *
 * Plain heap object; nothing to close.
 */
public final class FaceGallery {
  /** Longest accepted identity name, in UTF-16 chars. */
  public static final int MAX_IDENTITY_LENGTH = 256;

  private final EmbeddingModel model;
  private final GalleryStorage storage;
  private final int dim;
  private final ReadWriteLock lock = new ReentrantReadWriteLock();
  // Guarded by lock.
  private final List<String> names = new ArrayList<>();
  private final Map<String, Integer> index = new HashMap<>();
  private int[] counts = new int[16];
  // FLOAT32: matrix holds the rows. INT8: qmatrix and scales hold them and matrix stays empty.
  private float[] matrix;
  private byte[] qmatrix;
  private float[] scales;
  private int[] owner;
  private int rows;

  /**
   * Per-thread scratch for a search's best score per identity, reused so that a search does not
   * allocate and zero a {@code float[identities]} each time (400 KB per call at 100k identities).
   * It grows to the largest gallery a thread has searched and stays with the thread.
   */
  private static final ThreadLocal<float[]> BEST = ThreadLocal.withInitial(() -> new float[0]);

  private FaceGallery(EmbeddingModel model, GalleryStorage storage) {
    this.model = model;
    this.storage = storage;
    this.dim = model.dimension();
    boolean q = storage == GalleryStorage.INT8;
    this.matrix = new float[q ? 0 : 16 * dim];
    this.qmatrix = new byte[q ? 16 * dim : 0];
    this.scales = new float[q ? 16 : 0];
    this.owner = new int[16];
  }

  /**
   * @param model the embedding space every enrolled embedding must belong to
   * @return an empty gallery with {@link GalleryStorage#FLOAT32} storage
   */
  public static FaceGallery create(EmbeddingModel model) {
    return create(model, GalleryStorage.FLOAT32);
  }

  /**
   * @param model the embedding space every enrolled embedding must belong to
   * @param storage how embeddings are held in memory and searched
   * @return an empty gallery
   */
  public static FaceGallery create(EmbeddingModel model, GalleryStorage storage) {
    return new FaceGallery(
        Objects.requireNonNull(model, "model"), Objects.requireNonNull(storage, "storage"));
  }

  /**
   * @return how this gallery holds its embeddings
   */
  public GalleryStorage storage() {
    return storage;
  }

  /**
   * @return the embedding space of this gallery
   */
  public EmbeddingModel model() {
    return model;
  }

  /**
   * Adds embeddings to an identity, creating it when new.
   *
   * @param identity the name: 1..{@value #MAX_IDENTITY_LENGTH} chars, no control characters, not
   *     blank
   * @param embeddings one or more embeddings of this gallery's model
   * @throws IllegalArgumentException for an invalid name or no embeddings
   * @throws EdgeVisionException {@link ErrorCode#MODEL_DESCRIPTOR_MISMATCH} for an embedding of
   *     another model
   */
  public void enroll(String identity, Embedding... embeddings) {
    enroll(identity, Arrays.asList(embeddings));
  }

  /**
   * Adds embeddings to an identity, creating it when new.
   *
   * @param identity the name (see {@link #enroll(String, Embedding...)})
   * @param embeddings one or more embeddings of this gallery's model
   */
  public void enroll(String identity, List<Embedding> embeddings) {
    checkIdentity(identity);
    if (embeddings.isEmpty()) {
      throw new IllegalArgumentException(
          "expected at least one embedding for '" + identity + "', got none");
    }
    for (Embedding e : embeddings) {
      checkModel(Objects.requireNonNull(e, "embedding").model(), "enrol into");
    }
    lock.writeLock().lock();
    try {
      Integer id = index.get(identity);
      if (id == null) {
        id = names.size();
        names.add(identity);
        index.put(identity, id);
        if (id == counts.length) {
          counts = Arrays.copyOf(counts, 2 * counts.length);
        }
      }
      ensureRows(rows + embeddings.size());
      for (Embedding e : embeddings) {
        if (storage == GalleryStorage.INT8) {
          scales[rows] = quantize(e.values(), qmatrix, rows * dim);
        } else {
          System.arraycopy(e.values(), 0, matrix, rows * dim, dim);
        }
        owner[rows++] = id;
        counts[id]++;
      }
    } finally {
      lock.writeLock().unlock();
    }
  }

  /**
   * Removes an identity and all its embeddings.
   *
   * @param identity the name
   * @return true when it was enrolled
   */
  public boolean remove(String identity) {
    Objects.requireNonNull(identity, "identity");
    lock.writeLock().lock();
    try {
      Integer id = index.remove(identity);
      if (id == null) {
        return false;
      }
      int w = 0;
      for (int r = 0; r < rows; r++) {
        int o = owner[r];
        if (o == id) {
          continue;
        }
        if (w != r) {
          if (storage == GalleryStorage.INT8) {
            System.arraycopy(qmatrix, r * dim, qmatrix, w * dim, dim);
            scales[w] = scales[r];
          } else {
            System.arraycopy(matrix, r * dim, matrix, w * dim, dim);
          }
        }
        owner[w++] = o > id ? o - 1 : o;
      }
      rows = w;
      names.remove((int) id);
      System.arraycopy(counts, id + 1, counts, id, names.size() - id);
      counts[names.size()] = 0;
      for (int i = id; i < names.size(); i++) {
        index.put(names.get(i), i);
      }
      return true;
    } finally {
      lock.writeLock().unlock();
    }
  }

  /**
   * @return enrolled identities in enrolment order (a snapshot)
   */
  public List<String> identities() {
    lock.readLock().lock();
    try {
      return List.copyOf(names);
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * @return the number of identities
   */
  public int size() {
    lock.readLock().lock();
    try {
      return names.size();
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * @return the number of embeddings over all identities
   */
  public int embeddingCount() {
    lock.readLock().lock();
    try {
      return rows;
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * @param identity a name
   * @return its number of embeddings, 0 when not enrolled
   */
  public int embeddingCount(String identity) {
    lock.readLock().lock();
    try {
      Integer id = index.get(identity);
      return id == null ? 0 : counts[id];
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * @param identity a name
   * @return copies of its embeddings, in enrolment order (empty when not enrolled)
   */
  public List<Embedding> embeddings(String identity) {
    lock.readLock().lock();
    try {
      Integer id = index.get(identity);
      if (id == null) {
        return List.of();
      }
      List<Embedding> out = new ArrayList<>();
      for (int r = 0; r < rows; r++) {
        if (owner[r] == id) {
          out.add(new Embedding(row(r), model));
        }
      }
      return List.copyOf(out);
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * @return approximate heap bytes held: the matrix and owner arrays at their capacity, plus the
   *     names
   */
  public long memoryBytes() {
    lock.readLock().lock();
    try {
      long bytes =
          4L * matrix.length
              + qmatrix.length
              + 4L * scales.length
              + 4L * owner.length
              + 4L * counts.length;
      for (String n : names) {
        bytes += 48 + 2L * n.length() + 32; // String + its array + map entry, roughly
      }
      return bytes;
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * Finds the identities most similar to a probe: each identity scores the best similarity over its
   * embeddings; those at or above {@code threshold} are returned, best first, at most {@code topK}.
   *
   * @param probe an embedding of this gallery's model
   * @param topK maximum matches, &gt;= 1
   * @param threshold minimum similarity in {@code [-1, 1]}
   * @return the matches; {@link Identification#isUnknown()} when none reaches the threshold
   * @throws EdgeVisionException {@link ErrorCode#MODEL_DESCRIPTOR_MISMATCH} for a probe of another
   *     model
   */
  public Identification identify(Embedding probe, int topK, float threshold) {
    Objects.requireNonNull(probe, "probe");
    if (topK < 1) {
      throw new IllegalArgumentException("expected topK >= 1, got " + topK);
    }
    if (!(threshold >= -1f && threshold <= 1f)) {
      throw new IllegalArgumentException("expected threshold in [-1, 1], got " + threshold);
    }
    checkModel(probe.model(), "search");
    float[] q = probe.values();
    lock.readLock().lock();
    try {
      int n = names.size();
      float[] best = BEST.get();
      if (best.length < n) {
        best = new float[Math.max(n, best.length + (best.length >> 1))];
        BEST.set(best);
      }
      Arrays.fill(best, 0, n, Float.NEGATIVE_INFINITY);
      if (storage == GalleryStorage.INT8) {
        for (int r = 0, off = 0; r < rows; r++, off += dim) {
          float s = scales[r] * dotInt8(qmatrix, off, q, dim);
          int o = owner[r];
          if (s > best[o]) {
            best[o] = s;
          }
        }
      } else {
        for (int r = 0, off = 0; r < rows; r++, off += dim) {
          float s = (float) Embedding.dot(matrix, off, q, dim);
          int o = owner[r];
          if (s > best[o]) {
            best[o] = s;
          }
        }
      }
      TopK top = new TopK(Math.min(topK, Math.max(1, n)));
      for (int i = 0; i < n; i++) {
        if (best[i] >= threshold) {
          top.offer(i, best[i]);
        }
      }
      int[] ids = top.sortedIds();
      List<FaceMatch> matches = new ArrayList<>(ids.length);
      for (int i : ids) {
        matches.add(new FaceMatch(names.get(i), Math.max(-1f, Math.min(1f, best[i]))));
      }
      return new Identification(matches, threshold);
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * Saves atomically, unencrypted.
   *
   * @param file target file (its directory must exist)
   * @throws IOException when writing fails (the previous file is left untouched)
   */
  public void save(Path file) throws IOException {
    GalleryFile.write(file, snapshot(), null);
  }

  /**
   * Saves atomically, encrypted with AES-GCM.
   *
   * @param file target file
   * @param key an AES key (128, 192 or 256 bits), e.g. from {@link #aesKey(byte[])}
   * @throws IOException when writing fails
   */
  public void save(Path file, SecretKey key) throws IOException {
    GalleryFile.write(file, snapshot(), Objects.requireNonNull(key, "key"));
  }

  /**
   * Loads an unencrypted gallery of any model.
   *
   * @param file the file
   * @return the gallery
   * @throws IOException when reading fails
   * @throws EdgeVisionException {@link ErrorCode#BAD_INPUT} for a corrupt, truncated or encrypted
   *     file
   */
  public static FaceGallery load(Path file) throws IOException {
    return load(file, null, null);
  }

  /**
   * Loads a gallery, checking its model and decrypting it.
   *
   * @param file the file
   * @param expected the model the caller's embeddings come from, or null to accept any
   * @param key the AES key for an encrypted file; null for a plain one
   * @return the gallery
   * @throws IOException when reading fails
   * @throws EdgeVisionException {@link ErrorCode#BAD_INPUT} for a corrupt, truncated or tampered
   *     file, a wrong or missing key, or a key given for a plain file; {@link
   *     ErrorCode#MODEL_DESCRIPTOR_MISMATCH} when the file holds another model's embeddings
   */
  public static FaceGallery load(
      Path file, @Nullable EmbeddingModel expected, @Nullable SecretKey key) throws IOException {
    GalleryFile.Contents c = GalleryFile.read(file, key);
    if (expected != null && !expected.equals(c.model())) {
      throw new EdgeVisionException(
          ErrorCode.MODEL_DESCRIPTOR_MISMATCH,
          "gallery "
              + file
              + " holds embeddings of "
              + c.model().describe()
              + ", expected "
              + expected.describe()
              + "; re-enrol with the current model");
    }
    FaceGallery g = new FaceGallery(c.model(), GalleryStorage.FLOAT32);
    g.install(c, file);
    return g;
  }

  /**
   * @param raw 16, 24 or 32 bytes
   * @return an AES key for {@link #save(Path, SecretKey)} / {@link #load(Path, EmbeddingModel,
   *     SecretKey)}
   */
  public static SecretKey aesKey(byte[] raw) {
    if (raw.length != 16 && raw.length != 24 && raw.length != 32) {
      throw new IllegalArgumentException(
          "expected an AES key of 16, 24 or 32 bytes, got " + raw.length);
    }
    return new SecretKeySpec(raw.clone(), "AES");
  }

  private GalleryFile.Contents snapshot() {
    lock.readLock().lock();
    try {
      int n = names.size();
      // Group rows by identity (enrolment order of identities, then of embeddings).
      int[] start = new int[n + 1];
      for (int i = 0; i < n; i++) {
        start[i + 1] = start[i] + counts[i];
      }
      int[] next = Arrays.copyOf(start, n);
      float[] grouped = new float[rows * dim];
      for (int r = 0; r < rows; r++) {
        System.arraycopy(row(r), 0, grouped, next[owner[r]]++ * dim, dim);
      }
      return new GalleryFile.Contents(model, List.copyOf(names), Arrays.copyOf(counts, n), grouped);
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Bulk load of a decoded file: validates names and vectors, then adopts the arrays. */
  private void install(GalleryFile.Contents c, Path file) {
    int n = c.names().size();
    for (int i = 0; i < n; i++) {
      String name = c.names().get(i);
      try {
        checkIdentity(name);
      } catch (IllegalArgumentException e) {
        throw new EdgeVisionException(
            ErrorCode.BAD_INPUT, "gallery file " + file + ": " + e.getMessage());
      }
      if (index.putIfAbsent(name, i) != null) {
        throw new EdgeVisionException(
            ErrorCode.BAD_INPUT,
            "gallery file " + file + ": identity '" + name + "' appears twice");
      }
      names.add(name);
    }
    float[] v = c.vectors();
    int total = v.length / dim;
    for (int r = 0; r < total; r++) {
      double sq = 0;
      for (int k = r * dim; k < (r + 1) * dim; k++) {
        if (!Float.isFinite(v[k])) {
          throw new EdgeVisionException(
              ErrorCode.BAD_INPUT,
              "gallery file " + file + ": embedding " + r + " holds a non-finite value");
        }
        sq += (double) v[k] * v[k];
      }
      if (Math.abs(Math.sqrt(sq) - 1.0) > Embedding.NORM_TOLERANCE) {
        throw new EdgeVisionException(
            ErrorCode.BAD_INPUT,
            "gallery file "
                + file
                + ": embedding "
                + r
                + " is not unit length (norm "
                + Math.sqrt(sq)
                + ")");
      }
    }
    counts = Arrays.copyOf(c.counts(), Math.max(16, n));
    matrix = v;
    owner = new int[Math.max(16, total)];
    if (matrix.length < owner.length * dim) {
      matrix = Arrays.copyOf(matrix, owner.length * dim);
    }
    int row = 0;
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < c.counts()[i]; k++) {
        owner[row++] = i;
      }
    }
    rows = total;
  }

  private void ensureRows(int needed) {
    if (needed <= owner.length) {
      return;
    }
    int cap = Math.max(needed, owner.length + (owner.length >> 1));
    owner = Arrays.copyOf(owner, cap);
    if (storage == GalleryStorage.INT8) {
      qmatrix = Arrays.copyOf(qmatrix, Math.multiplyExact(cap, dim));
      scales = Arrays.copyOf(scales, cap);
    } else {
      matrix = Arrays.copyOf(matrix, Math.multiplyExact(cap, dim));
    }
  }

  /** A copy of row r as a unit float vector (dequantized and re-normalised for INT8). */
  private float[] row(int r) {
    if (storage != GalleryStorage.INT8) {
      return Arrays.copyOfRange(matrix, r * dim, (r + 1) * dim);
    }
    float[] v = new float[dim];
    double sq = 0;
    for (int k = 0; k < dim; k++) {
      v[k] = scales[r] * qmatrix[r * dim + k];
      sq += (double) v[k] * v[k];
    }
    float inv = (float) (1.0 / Math.sqrt(sq));
    for (int k = 0; k < dim; k++) {
      v[k] *= inv;
    }
    return v;
  }

  /**
   * Symmetric per-vector int8 quantization: {@code scale = max|v| / 127}, {@code out[off + k] =
   * round(v[k] / scale)}, so {@code |v[k] - scale × q[k]| <= scale / 2}.
   *
   * @return the scale (0 for an all-zero vector, whose codes are then all 0)
   */
  static float quantize(float[] v, byte[] out, int off) {
    float max = 0f;
    for (float x : v) {
      max = Math.max(max, Math.abs(x));
    }
    if (max == 0f) {
      Arrays.fill(out, off, off + v.length, (byte) 0);
      return 0f;
    }
    float scale = max / 127f;
    float inv = 127f / max;
    for (int k = 0; k < v.length; k++) {
      out[off + k] = (byte) Math.max(-127, Math.min(127, Math.round(v[k] * inv)));
    }
    return scale;
  }

  /** {@code Σ q[off + k] × p[k]} over n components, four float accumulators. */
  static float dotInt8(byte[] q, int off, float[] p, int n) {
    float s0 = 0f;
    float s1 = 0f;
    float s2 = 0f;
    float s3 = 0f;
    int k = 0;
    for (; k + 3 < n; k += 4) {
      s0 += q[off + k] * p[k];
      s1 += q[off + k + 1] * p[k + 1];
      s2 += q[off + k + 2] * p[k + 2];
      s3 += q[off + k + 3] * p[k + 3];
    }
    for (; k < n; k++) {
      s0 += q[off + k] * p[k];
    }
    return (s0 + s1) + (s2 + s3);
  }

  private void checkModel(EmbeddingModel other, String action) {
    if (!model.equals(other)) {
      throw new EdgeVisionException(
          ErrorCode.MODEL_DESCRIPTOR_MISMATCH,
          "cannot "
              + action
              + " a gallery of "
              + model.describe()
              + " with an embedding of "
              + other.describe()
              + (model.dimension() != other.dimension()
                  ? " (dimension differs)"
                  : " (model or preprocessing differs)"));
    }
  }

  static void checkIdentity(String identity) {
    Objects.requireNonNull(identity, "identity");
    if (identity.isBlank() || identity.length() > MAX_IDENTITY_LENGTH) {
      throw new IllegalArgumentException(
          "expected a non-blank identity of at most "
              + MAX_IDENTITY_LENGTH
              + " chars, got '"
              + identity
              + "'");
    }
    for (int i = 0; i < identity.length(); i++) {
      if (Character.isISOControl(identity.charAt(i))) {
        throw new IllegalArgumentException(
            "expected an identity without control characters, got one at index " + i);
      }
    }
  }

  /** Bounded min-heap of (id, score): keeps the k best. Ties: the lower id wins. */
  private static final class TopK {
    private final int[] ids;
    private final float[] scores;
    private int size;

    TopK(int k) {
      ids = new int[k];
      scores = new float[k];
    }

    /** True when a is worse than b (lower score, or equal score and higher id). */
    private boolean worse(float sa, int ia, float sb, int ib) {
      return sa < sb || (sa == sb && ia > ib);
    }

    void offer(int id, float s) {
      if (size < ids.length) {
        ids[size] = id;
        scores[size] = s;
        siftUp(size++);
      } else if (worse(scores[0], ids[0], s, id)) {
        ids[0] = id;
        scores[0] = s;
        siftDown(0);
      }
    }

    private void siftUp(int i) {
      while (i > 0) {
        int p = (i - 1) >>> 1;
        if (!worse(scores[i], ids[i], scores[p], ids[p])) {
          break;
        }
        swap(i, p);
        i = p;
      }
    }

    private void siftDown(int i) {
      while (true) {
        int l = 2 * i + 1;
        int r = l + 1;
        int m = i;
        if (l < size && worse(scores[l], ids[l], scores[m], ids[m])) {
          m = l;
        }
        if (r < size && worse(scores[r], ids[r], scores[m], ids[m])) {
          m = r;
        }
        if (m == i) {
          return;
        }
        swap(i, m);
        i = m;
      }
    }

    private void swap(int a, int b) {
      int ti = ids[a];
      ids[a] = ids[b];
      ids[b] = ti;
      float ts = scores[a];
      scores[a] = scores[b];
      scores[b] = ts;
    }

    /**
     * @return the kept ids, best first
     */
    int[] sortedIds() {
      int[] out = new int[size];
      for (int k = size - 1; k >= 0; k--) {
        out[k] = ids[0];
        ids[0] = ids[size - 1];
        scores[0] = scores[size - 1];
        size--;
        siftDown(0);
      }
      return out;
    }
  }
}
