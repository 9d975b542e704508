package io.edgevision.detectors.face;

import io.edgevision.core.Budget;
import io.edgevision.core.EdgeVisionException;
import io.edgevision.core.ErrorCode;
import io.edgevision.core.ExecutionProvider;
import io.edgevision.core.ImageFrame;
import io.edgevision.core.InferenceResult;
import io.edgevision.core.ModelDescriptor;
import io.edgevision.core.ModelSource;
import io.edgevision.core.Outcome;
import io.edgevision.core.Ticker;
import io.edgevision.core.Timings;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.crypto.SecretKey;
import org.jspecify.annotations.Nullable;

/**
 * Face recognition in one object: detect faces with five landmarks, align them to the ArcFace
 * template, embed them, and compare embeddings 1:1 ({@link #verify}) or 1:N against a {@link
 * FaceGallery} ({@link #identify}). The module's "read me first" type.
 *
 * <h2>Example</h2>
 *
 * <pre>{@code
 * try (FaceRecognizer faces = FaceRecognizer.builder(
 *         ModelSource.of(Path.of("det_500m.onnx")),                       // SCRFD or YuNet, auto-detected
 *         ModelSource.of(Path.of("mobilefacenet_arcface_128d.onnx")))
 *     .build()) {
 *   ImageFrame a = ImageFrames.read(Path.of("a.jpg"));
 *   ImageFrame b = ImageFrames.read(Path.of("b.jpg"));
 *   RecognizedFace fa = faces.mostProminent(a).orElseThrow();             // largest face
 *   RecognizedFace fb = faces.mostProminent(b).orElseThrow();
 *   Verification v = faces.verify(fa.embedding(), fb.embedding());          // similarity, threshold, same
 *
 *   FaceGallery gallery = faces.newGallery();
 *   gallery.enroll("alice", fa.embedding());
 *   Identification id = faces.identify(fb.embedding(), gallery);             // top-k or unknown
 * }
 * }</pre>
 *
 * <p>Step by step: {@link #detect} → {@link #align} → {@link #embed}; {@link #recognize} does all
 * three for every face of a frame (one BGR conversion, batched embedding when the model allows).
 *
 * <h2>Lifecycle</h2>
 *
 * Built with {@link #builder(ModelSource, ModelSource)} the recognizer owns both sessions and
 * {@link #close()} closes them (idempotent). Made with {@link #create(FaceDetector, FaceEmbedder,
 * Options)} it borrows them: they must outlive it and are not closed by it.
 *
 * <h2>Threading</h2>
 *
 * Thread-safe: share one recognizer between threads (detector, embedder and aligner are
 * thread-safe).
 *
 * <h2>Defaults</h2>
 *
 * Verification threshold {@value #DEFAULT_VERIFY_THRESHOLD} and identification threshold {@value
 * #DEFAULT_IDENTIFY_THRESHOLD}: measured on the shared face sets with SCRFD-500M + MobileFaceNet
 * (same-person cosine ≥ 0.499, different-person ≤ 0.359 on {@code deepface}; 0.62 / 0.13 on {@code
 * face_recognition_examples}); re-measure for another embedding model. Top-k {@value
 * #DEFAULT_TOP_K}. Aligner {@link FaceAligner#arcFace()}. Detector and embedder defaults as
 * documented on {@link FaceDetector} and {@link FaceEmbedder}.
 */
public final class FaceRecognizer implements AutoCloseable {
  /** Default cosine threshold for {@link #verify}. */
  public static final float DEFAULT_VERIFY_THRESHOLD = 0.45f;

  /** Default cosine threshold for {@link #identify}. */
  public static final float DEFAULT_IDENTIFY_THRESHOLD = 0.45f;

  /** Default number of gallery matches returned. */
  public static final int DEFAULT_TOP_K = 5;

  private final FaceDetector detector;
  private final FaceEmbedder embedder;
  private final boolean owns;
  private final Options options;

  /**
   * Matching options.
   *
   * @param aligner the alignment (its output size must equal the embedder's input size)
   * @param verifyThreshold cosine threshold for {@link #verify}, in [-1, 1]
   * @param identifyThreshold cosine threshold for {@link #identify}, in [-1, 1]
   * @param topK maximum gallery matches, &gt;= 1
   */
  public record Options(
      FaceAligner aligner, float verifyThreshold, float identifyThreshold, int topK) {
    /** ArcFace alignment, the default thresholds and top-k. */
    public static final Options DEFAULTS =
        new Options(
            FaceAligner.arcFace(),
            DEFAULT_VERIFY_THRESHOLD,
            DEFAULT_IDENTIFY_THRESHOLD,
            DEFAULT_TOP_K);

    /**
     * @throws IllegalArgumentException for an out-of-range value
     */
    public Options {
      Objects.requireNonNull(aligner, "aligner");
      if (!(verifyThreshold >= -1f && verifyThreshold <= 1f)) {
        throw new IllegalArgumentException(
            "expected verifyThreshold in [-1, 1], got " + verifyThreshold);
      }
      if (!(identifyThreshold >= -1f && identifyThreshold <= 1f)) {
        throw new IllegalArgumentException(
            "expected identifyThreshold in [-1, 1], got " + identifyThreshold);
      }
      if (topK < 1) {
        throw new IllegalArgumentException("expected topK >= 1, got " + topK);
      }
    }
  }

  private FaceRecognizer(
      FaceDetector detector, FaceEmbedder embedder, boolean owns, Options options) {
    int[] in = embedder.inputSize();
    if (in[0] != options.aligner().width() || in[1] != options.aligner().height()) {
      throw new EdgeVisionException(
          ErrorCode.MODEL_DESCRIPTOR_MISMATCH,
          "the aligner makes "
              + options.aligner().width()
              + "x"
              + options.aligner().height()
              + " crops but the embedding model takes "
              + in[0]
              + "x"
              + in[1]
              + "; configure FaceAligner.of(template, "
              + in[0]
              + ", "
              + in[1]
              + ")");
    }
    this.detector = detector;
    this.embedder = embedder;
    this.owns = owns;
    this.options = options;
  }

  /**
   * @param detector a YuNet or SCRFD model
   * @param embedder an ArcFace-family embedding model
   * @return a builder with the defaults above
   */
  public static Builder builder(ModelSource detector, ModelSource embedder) {
    return new Builder(
        Objects.requireNonNull(detector, "detector"), Objects.requireNonNull(embedder, "embedder"));
  }

  /**
   * Composes existing parts; the recognizer does not own (or close) them.
   *
   * @param detector the face detector
   * @param embedder the embedder
   * @param options alignment and matching options
   * @return the recognizer
   * @throws EdgeVisionException {@link ErrorCode#MODEL_DESCRIPTOR_MISMATCH} when the aligner's
   *     output size is not the embedder's input size
   */
  public static FaceRecognizer create(
      FaceDetector detector, FaceEmbedder embedder, Options options) {
    return new FaceRecognizer(
        Objects.requireNonNull(detector, "detector"),
        Objects.requireNonNull(embedder, "embedder"),
        false,
        Objects.requireNonNull(options, "options"));
  }

  /**
   * @param frame any frame
   * @return every face, highest score first; empty when none
   */
  public List<Face> detect(ImageFrame frame) {
    return detector.detect(frame);
  }

  /**
   * @param frame the frame the face was found in
   * @param face the face
   * @return the aligned crop (pads at the border)
   */
  public AlignedFace align(ImageFrame frame, Face face) {
    return options.aligner().align(frame, face);
  }

  /**
   * @param face an aligned crop
   * @return its embedding
   */
  public Embedding embed(AlignedFace face) {
    return embedder.embed(face);
  }

  /**
   * Detects, aligns and embeds every face of a frame.
   *
   * @param frame any frame
   * @return one entry per face, highest detector score first; empty when there is no face
   */
  public List<RecognizedFace> recognize(ImageFrame frame) {
    return recognize(frame, detect(frame));
  }

  /**
   * Aligns and embeds given faces of a frame.
   *
   * @param frame the frame
   * @param faces faces found in it
   * @return one entry per face, same order
   */
  public List<RecognizedFace> recognize(ImageFrame frame, List<Face> faces) {
    List<AlignedFace> crops = options.aligner().alignAll(frame, faces);
    List<Embedding> embeddings = embedder.embedAll(crops);
    List<RecognizedFace> out = new ArrayList<>(faces.size());
    for (int i = 0; i < faces.size(); i++) {
      out.add(new RecognizedFace(faces.get(i), embeddings.get(i)));
    }
    return List.copyOf(out);
  }

  /**
   * Detects, aligns and embeds every face within a latency budget, like {@code
   * TrafficLightDetector.detect}: the deadline is fixed when the call starts; the detector gets it,
   * the embedder gets what is left (admission, cancellation, degradation as the sessions are
   * configured). A missed budget is the outcome, not an exception. Takes any {@link ImageFrame},
   * camera NV21 frames included (converted to the models' colour order by the preprocessor and the
   * aligner, no extra copy by the caller).
   *
   * @param frame the frame
   * @param budget how long the whole call may take (relative budgets start now on the system
   *     ticker, the sessions' default)
   * @return the faces with their embeddings (empty list when none), or, when a stage missed the
   *     budget, that stage's outcome and message without a value. Timings are the sum of the
   *     detector's and the embedder's stages, alignment counted as preprocessing; the fingerprint
   *     is the detector's.
   * @throws IllegalStateException after close
   */
  public InferenceResult<List<RecognizedFace>> recognize(ImageFrame frame, Budget budget) {
    Objects.requireNonNull(frame, "frame");
    Objects.requireNonNull(budget, "budget");
    Budget fixed =
        budget.isUnlimited()
            ? budget
            : Budget.deadline(budget.deadlineFrom(Ticker.system().read()));
    InferenceResult<List<Face>> d = detector.detect(frame, fixed);
    if (d.value().isEmpty()) {
      return new InferenceResult<>(
          d.outcome(),
          null,
          d.timings(),
          d.fingerprint(),
          "detector: " + d.message(),
          d.deadlineMissed());
    }
    List<Face> faces = d.get();
    if (faces.isEmpty()) {
      return new InferenceResult<>(
          d.outcome(), List.of(), d.timings(), d.fingerprint(), d.message(), d.deadlineMissed());
    }
    long t0 = System.nanoTime();
    List<AlignedFace> crops = options.aligner().alignAll(frame, faces);
    long align = System.nanoTime() - t0;
    List<ImageFrame> images = new ArrayList<>(crops.size());
    crops.forEach(c -> images.add(c.image()));
    InferenceResult<List<Embedding>> e = embedder.embedFrames(images, fixed);
    Timings sum =
        FaceEmbedder.plus(FaceEmbedder.plus(d.timings(), e.timings()), new Timings(0, align, 0, 0));
    boolean missed = d.deadlineMissed() || e.deadlineMissed();
    if (e.value().isEmpty()) {
      return new InferenceResult<>(
          e.outcome(), null, sum, d.fingerprint(), "embedder: " + e.message(), missed);
    }
    List<RecognizedFace> out = new ArrayList<>(faces.size());
    for (int i = 0; i < faces.size(); i++) {
      out.add(new RecognizedFace(faces.get(i), e.get().get(i)));
    }
    Outcome outcome =
        d.outcome() == Outcome.DEGRADED || e.outcome() == Outcome.DEGRADED
            ? Outcome.DEGRADED
            : Outcome.COMPLETED;
    String message =
        outcome == Outcome.COMPLETED
            ? ""
            : String.join(
                "; ",
                List.of(d.message(), e.message()).stream()
                    .filter(m -> !m.isEmpty())
                    .collect(java.util.stream.Collectors.toList()));
    return new InferenceResult<>(outcome, List.copyOf(out), sum, d.fingerprint(), message, missed);
  }

  /**
   * The most prominent face of a frame ({@link Face#MOST_PROMINENT_FIRST}: largest box, then
   * score), embedded.
   *
   * @param frame any frame
   * @return that face, or empty when there is none
   */
  public Optional<RecognizedFace> mostProminent(ImageFrame frame) {
    List<Face> faces = detect(frame);
    if (faces.isEmpty()) {
      return Optional.empty();
    }
    Face best = faces.stream().min(Face.MOST_PROMINENT_FIRST).orElseThrow();
    return Optional.of(recognize(frame, List.of(best)).get(0));
  }

  /**
   * 1:1 verification at the configured threshold.
   *
   * @param a an embedding
   * @param b an embedding of the same model
   * @return similarity, threshold and decision
   * @throws IllegalArgumentException when the embeddings come from different models
   */
  public Verification verify(Embedding a, Embedding b) {
    return Verification.of(a.similarity(b), options.verifyThreshold());
  }

  /**
   * 1:N identification at the configured threshold and top-k.
   *
   * @param probe an embedding
   * @param gallery a gallery of the same model
   * @return the matches, or unknown
   * @throws EdgeVisionException {@link ErrorCode#MODEL_DESCRIPTOR_MISMATCH} when the models differ
   */
  public Identification identify(Embedding probe, FaceGallery gallery) {
    return gallery.identify(probe, options.topK(), options.identifyThreshold());
  }

  /**
   * @return an empty gallery for this recognizer's embedding model
   */
  public FaceGallery newGallery() {
    return FaceGallery.create(embedder.model());
  }

  /**
   * Loads a gallery and checks it holds this recognizer's embeddings.
   *
   * @param file the gallery file
   * @param key the AES key when it is encrypted, else null
   * @return the gallery
   * @throws IOException when reading fails
   * @throws EdgeVisionException for a corrupt file, a wrong key or another model's gallery
   */
  public FaceGallery loadGallery(Path file, @Nullable SecretKey key) throws IOException {
    return FaceGallery.load(file, embedder.model(), key);
  }

  /**
   * @return the detector
   */
  public FaceDetector detector() {
    return detector;
  }

  /**
   * @return the embedder
   */
  public FaceEmbedder embedder() {
    return embedder;
  }

  /**
   * @return alignment and matching options
   */
  public Options options() {
    return options;
  }

  /** Closes owned sessions (idempotent); borrowed parts stay open. */
  @Override
  public void close() {
    if (owns) {
      try {
        detector.close();
      } finally {
        embedder.close();
      }
    }
  }

  /**
   * Builds a {@link FaceRecognizer} that owns its detector and embedder. Threading: not
   * thread-safe; {@link #build()} snapshots the configuration.
   */
  public static final class Builder {
    private final FaceDetector.Builder detector;
    private final FaceEmbedder.Builder embedder;
    private FaceAligner aligner = FaceAligner.arcFace();
    private float verifyThreshold = DEFAULT_VERIFY_THRESHOLD;
    private float identifyThreshold = DEFAULT_IDENTIFY_THRESHOLD;
    private int topK = DEFAULT_TOP_K;

    private Builder(ModelSource detector, ModelSource embedder) {
      this.detector = FaceDetector.builder(detector);
      this.embedder = FaceEmbedder.builder(embedder);
    }

    /**
     * @param preference execution providers for both models, in order @return this builder
     */
    public Builder providers(ExecutionProvider... preference) {
      detector.providers(preference);
      embedder.providers(preference);
      return this;
    }

    /**
     * @param preference execution providers for both models, in order @return this builder
     */
    public Builder providers(List<ExecutionProvider> preference) {
      detector.providers(preference);
      embedder.providers(preference);
      return this;
    }

    /**
     * @param threshold detector score threshold in [0, 1] (default: the family's) @return this
     *     builder
     */
    public Builder detectionThreshold(float threshold) {
      detector.scoreThreshold(threshold);
      return this;
    }

    /**
     * @param width detector fit width @param height detector fit height @return this builder
     */
    public Builder detectionInputSize(int width, int height) {
      detector.inputSize(width, height);
      return this;
    }

    /**
     * @param k maximum faces per frame @return this builder
     */
    public Builder maxFaces(int k) {
      detector.topK(k);
      return this;
    }

    /**
     * @param family the detector family to try first @return this builder
     */
    public Builder detectorFamily(FaceDetectorFamily family) {
      detector.family(family);
      return this;
    }

    /**
     * @param fallback embedder preprocessing fallback @return this builder
     */
    public Builder embedderDescriptor(ModelDescriptor fallback) {
      embedder.descriptor(fallback);
      return this;
    }

    /**
     * @param a the aligner (output size = embedder input size) @return this builder
     */
    public Builder aligner(FaceAligner a) {
      this.aligner = Objects.requireNonNull(a, "aligner");
      return this;
    }

    /**
     * @param threshold cosine threshold for verify, in [-1, 1] @return this builder
     */
    public Builder verifyThreshold(float threshold) {
      this.verifyThreshold = threshold;
      return this;
    }

    /**
     * @param threshold cosine threshold for identify, in [-1, 1] @return this builder
     */
    public Builder identifyThreshold(float threshold) {
      this.identifyThreshold = threshold;
      return this;
    }

    /**
     * @param k gallery matches returned, &gt;= 1 @return this builder
     */
    public Builder topK(int k) {
      this.topK = k;
      return this;
    }

    /**
     * @return the recognizer (owns both sessions)
     * @throws EdgeVisionException when a model cannot be loaded or does not fit
     * @throws IllegalArgumentException for invalid options
     */
    public FaceRecognizer build() {
      Options options = new Options(aligner, verifyThreshold, identifyThreshold, topK);
      FaceDetector d = detector.build();
      FaceEmbedder e = null;
      try {
        e = embedder.build();
        return new FaceRecognizer(d, e, true, options);
      } catch (RuntimeException ex) {
        d.close();
        if (e != null) {
          e.close();
        }
        throw ex;
      }
    }
  }
}
