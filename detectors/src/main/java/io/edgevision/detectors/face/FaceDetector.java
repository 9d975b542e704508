package io.edgevision.detectors.face;

import io.edgevision.core.Budget;
import io.edgevision.core.EdgeVisionException;
import io.edgevision.core.ErrorCode;
import io.edgevision.core.ExecutionProvider;
import io.edgevision.core.ImageFrame;
import io.edgevision.core.InferenceResult;
import io.edgevision.core.InferenceSession;
import io.edgevision.core.ModelDescriptor;
import io.edgevision.core.ModelDescriptor.ResizeMode;
import io.edgevision.core.ModelInfo;
import io.edgevision.core.ModelSource;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds faces with five landmarks in a frame, with a YuNet or SCRFD model recognised from its IO
 * signature ({@link FaceDetectorFamily#of}).
 *
 * <h2>Example</h2>
 *
 * <pre>{@code
 * try (FaceDetector detector = FaceDetector.builder(ModelSource.of(Path.of("det_500m.onnx"))).build()) {
 *   List<Face> faces = detector.detect(ImageFrames.read(Path.of("group.jpg")));   // all faces, best first
 * }
 * }</pre>
 *
 * <p>Pipeline: the session preprocesses as the family's {@link FaceDetectorFamily#descriptor
 * descriptor} says (fit into {@link #DEFAULT_INPUT_SIZE}² keeping the aspect ratio, or the frame's
 * own scale with {@link Builder#nativeScale()}; padding right and bottom to a multiple of 32, so
 * any frame size works), runs the model, decodes every stride, applies the score threshold,
 * class-agnostic hard NMS ({@code postprocess.Nms}) and top-k, and maps boxes and landmarks back to
 * original-frame pixels. Gray, 4-channel and YUV frames are converted by the session. A frame with
 * no face gives an empty list.
 *
 * <h2>Lifecycle</h2>
 *
 * A detector built with {@link #builder(ModelSource)} owns its session and closes it in {@link
 * #close()} (idempotent). One made with {@link #create(InferenceSession, Options)} borrows the
 * caller's session: closing the detector leaves it open, and the session must outlive the detector.
 * Calls after close throw {@link IllegalStateException}.
 *
 * <h2>Threading</h2>
 *
 * Thread-safe: share one detector between threads (the session is thread-safe, the decoder
 * stateless).
 *
 * <h2>Defaults</h2>
 *
 * Input fit {@value #DEFAULT_INPUT_SIZE}×{@value #DEFAULT_INPUT_SIZE}; score and NMS thresholds per
 * family ({@link FaceDetectorFamily#defaultScoreThreshold()}, {@link
 * FaceDetectorFamily#defaultNmsThreshold()}); top-k {@value #DEFAULT_TOP_K}; providers {@code
 * [CPU]}; unlimited budget for {@link #detect(ImageFrame)}.
 */
public final class FaceDetector implements AutoCloseable {
  /** Default side of the square frames are fitted into before padding to a multiple of 32. */
  public static final int DEFAULT_INPUT_SIZE = 640;

  /** Default maximum number of faces returned per frame. */
  public static final int DEFAULT_TOP_K = 100;

  private static final Logger LOG = LoggerFactory.getLogger(FaceDetector.class);

  private final InferenceSession session;
  private final boolean ownsSession;
  private final FaceDetectorFamily family;
  private final Options options;
  private final FaceDecoder decoder;

  private FaceDetector(
      InferenceSession session, boolean ownsSession, FaceDetectorFamily family, Options options) {
    this.session = session;
    this.ownsSession = ownsSession;
    this.family = family;
    this.options = options;
    this.decoder =
        new FaceDecoder(
            family,
            FaceDetectorFamily.outputNames(family, session.model()),
            options.scoreThreshold(family),
            options.nmsThreshold(family),
            options.topK());
  }

  /**
   * Thresholds for decoding. {@code NaN} means the family's default.
   *
   * @param scoreThreshold minimum score in {@code [0, 1]}, or NaN for the family default
   * @param nmsThreshold NMS IoU threshold in {@code [0, 1]}, or NaN for the family default
   * @param topK maximum faces per frame, &gt;= 1
   */
  public record Options(float scoreThreshold, float nmsThreshold, int topK) {
    /** The family defaults and {@link #DEFAULT_TOP_K}. */
    public static final Options DEFAULTS = new Options(Float.NaN, Float.NaN, DEFAULT_TOP_K);

    /**
     * @throws IllegalArgumentException for an out-of-range value
     */
    public Options {
      if (!Float.isNaN(scoreThreshold) && !(scoreThreshold >= 0f && scoreThreshold <= 1f)) {
        throw new IllegalArgumentException(
            "expected scoreThreshold in [0, 1] (or NaN), got " + scoreThreshold);
      }
      if (!Float.isNaN(nmsThreshold) && !(nmsThreshold >= 0f && nmsThreshold <= 1f)) {
        throw new IllegalArgumentException(
            "expected nmsThreshold in [0, 1] (or NaN), got " + nmsThreshold);
      }
      if (topK < 1) {
        throw new IllegalArgumentException("expected topK >= 1, got " + topK);
      }
    }

    /**
     * @return the effective score threshold for {@code family}
     */
    public float scoreThreshold(FaceDetectorFamily family) {
      return Float.isNaN(scoreThreshold) ? family.defaultScoreThreshold() : scoreThreshold;
    }

    /**
     * @return the effective NMS threshold for {@code family}
     */
    public float nmsThreshold(FaceDetectorFamily family) {
      return Float.isNaN(nmsThreshold) ? family.defaultNmsThreshold() : nmsThreshold;
    }
  }

  /**
   * @param model a YuNet or SCRFD-with-keypoints ONNX model
   * @return a builder with the defaults above
   */
  public static Builder builder(ModelSource model) {
    return new Builder(Objects.requireNonNull(model, "model"));
  }

  /**
   * Wraps a session the caller built (and keeps owning). Its descriptor must pad to a multiple of
   * 32 (resize {@code pad_to_multiple} with a multiple of 32, or a static input size that is one);
   * colour and normalisation are taken as given, so use {@link FaceDetectorFamily#descriptor}
   * unless the export differs.
   *
   * @param session a loaded face-detector session
   * @param options thresholds
   * @return the detector
   * @throws EdgeVisionException {@link ErrorCode#MODEL_DESCRIPTOR_MISMATCH} when the outputs are
   *     not YuNet or SCRFD, or the geometry cannot be decoded
   */
  public static FaceDetector create(InferenceSession session, Options options) {
    Objects.requireNonNull(session, "session");
    Objects.requireNonNull(options, "options");
    FaceDetectorFamily family = FaceDetectorFamily.of(session.model());
    checkGeometry(session.model());
    return new FaceDetector(session, false, family, options);
  }

  private static void checkGeometry(ModelInfo model) {
    ModelDescriptor d = model.descriptor();
    boolean padded = d.resize() == ResizeMode.PAD_TO_MULTIPLE && d.padMultiple() % 32 == 0;
    boolean staticMultiple =
        d.inputSize().map(s -> s[0] % 32 == 0 && s[1] % 32 == 0).orElse(false)
            && d.resize() != ResizeMode.STRETCH;
    if (!padded && !staticMultiple) {
      throw new EdgeVisionException(
          ErrorCode.MODEL_DESCRIPTOR_MISMATCH,
          model.name()
              + ": face detectors need tensor sizes that are multiples of 32 and an aspect-preserving resize"
              + " (resize=pad_to_multiple with pad_multiple 32, or letterbox to a multiple of 32), got "
              + d.asProperties());
    }
  }

  /**
   * Detects faces with an unlimited budget.
   *
   * @param frame any frame (colour, gray, 4-channel or YUV)
   * @return every face above the threshold after NMS, highest score first, at most top-k; empty
   *     when none
   * @throws EdgeVisionException {@link ErrorCode#BAD_INPUT} for an unusable frame, {@link
   *     ErrorCode#INVALID_OUTPUT} for NaN/Inf or malformed outputs
   * @throws IllegalStateException after close
   */
  public List<Face> detect(ImageFrame frame) {
    return detect(frame, Budget.unlimited()).get();
  }

  /**
   * Detects faces within a latency budget; a missed budget is the result's outcome, not an
   * exception.
   *
   * @param frame any frame
   * @param budget how long the call may take
   * @return the result: faces (as {@link #detect(ImageFrame)}), outcome, timings, fingerprint
   */
  public InferenceResult<List<Face>> detect(ImageFrame frame, Budget budget) {
    return session.run(frame, budget, decoder);
  }

  /**
   * @return the recognised model family
   */
  public FaceDetectorFamily family() {
    return family;
  }

  /**
   * @return the decoding options as given (NaN = family default)
   */
  public Options options() {
    return options;
  }

  /**
   * @return the effective score threshold
   */
  public float scoreThreshold() {
    return options.scoreThreshold(family);
  }

  /**
   * @return the session running the model (owned by this detector when built with {@link #builder})
   */
  public InferenceSession session() {
    return session;
  }

  /** Closes the owned session (idempotent); a borrowed session stays open. */
  @Override
  public void close() {
    if (ownsSession) {
      session.close();
    }
  }

  /**
   * Builds a {@link FaceDetector} from a model file, recognising its family. Building loads the
   * model; when the model's outputs are not those of the {@linkplain #family expected family}
   * (default SCRFD), it is loaded a second time with the right preprocessing.
   *
   * <p>Threading: not thread-safe; {@link #build()} snapshots the configuration.
   */
  public static final class Builder {
    private final ModelSource model;
    private List<ExecutionProvider> providers = List.of(ExecutionProvider.CPU);
    private int fitWidth = DEFAULT_INPUT_SIZE;
    private int fitHeight = DEFAULT_INPUT_SIZE;
    private float scoreThreshold = Float.NaN;
    private float nmsThreshold = Float.NaN;
    private int topK = DEFAULT_TOP_K;
    private FaceDetectorFamily expected = FaceDetectorFamily.SCRFD;
    private int intraOpThreads;

    private Builder(ModelSource model) {
      this.model = model;
    }

    /**
     * @param preference execution providers in order @return this builder
     */
    public Builder providers(ExecutionProvider... preference) {
      this.providers = List.of(preference);
      return this;
    }

    /**
     * @param preference execution providers in order @return this builder
     */
    public Builder providers(List<ExecutionProvider> preference) {
      this.providers = List.copyOf(preference);
      return this;
    }

    /**
     * Frames are scaled (down or up, keeping aspect ratio) to fit this size, then padded to a
     * multiple of 32.
     *
     * @param width fit width, &gt; 0
     * @param height fit height, &gt; 0
     * @return this builder
     */
    public Builder inputSize(int width, int height) {
      if (width <= 0 || height <= 0) {
        throw new IllegalArgumentException(
            "expected a positive input size, got " + width + "x" + height);
      }
      this.fitWidth = width;
      this.fitHeight = height;
      return this;
    }

    /**
     * Runs frames at their own scale (only padded to a multiple of 32), like OpenCV's {@code
     * FaceDetectorYN}. @return this builder
     */
    public Builder nativeScale() {
      this.fitWidth = 0;
      this.fitHeight = 0;
      return this;
    }

    /**
     * @param threshold minimum score in [0, 1] @return this builder
     */
    public Builder scoreThreshold(float threshold) {
      this.scoreThreshold = threshold;
      return this;
    }

    /**
     * @param threshold NMS IoU threshold in [0, 1] @return this builder
     */
    public Builder nmsThreshold(float threshold) {
      this.nmsThreshold = threshold;
      return this;
    }

    /**
     * @param k maximum faces per frame, &gt;= 1 @return this builder
     */
    public Builder topK(int k) {
      this.topK = k;
      return this;
    }

    /**
     * @param family the family to try first (saves a reload when right; the IO signature
     *     decides) @return this builder
     */
    public Builder family(FaceDetectorFamily family) {
      this.expected = Objects.requireNonNull(family, "family");
      return this;
    }

    /**
     * @param threads ONNX Runtime intra-op threads (0 = its default) @return this builder
     */
    public Builder intraOpThreads(int threads) {
      this.intraOpThreads = threads;
      return this;
    }

    /**
     * @return the detector (owns its session)
     * @throws EdgeVisionException when the model cannot be loaded or is neither YuNet nor SCRFD
     * @throws IllegalArgumentException for invalid options
     */
    public FaceDetector build() {
      Options options = new Options(scoreThreshold, nmsThreshold, topK);
      InferenceSession session = open(expected);
      try {
        FaceDetectorFamily family = FaceDetectorFamily.of(session.model());
        if (family != expected) {
          LOG.debug(
              "{} is {}, not {}: reloading with its preprocessing", model.name(), family, expected);
          session.close();
          session = open(family);
        }
        checkGeometry(session.model());
        return new FaceDetector(session, true, family, options);
      } catch (RuntimeException e) {
        session.close();
        throw e;
      }
    }

    private InferenceSession open(FaceDetectorFamily family) {
      try {
        return InferenceSession.builder(model)
            .providers(providers)
            .intraOpThreads(intraOpThreads)
            .descriptor(family.descriptor(fitWidth, fitHeight))
            .build();
      } catch (EdgeVisionException e) {
        if (e.code() != ErrorCode.MODEL_DESCRIPTOR_MISMATCH) {
          throw e;
        }
        throw new EdgeVisionException(
            ErrorCode.MODEL_DESCRIPTOR_MISMATCH,
            model.name()
                + " cannot be fed as a face"
                + " detector (expected YuNet or SCRFD with a dynamic or 32-multiple input size): "
                + e.getMessage(),
            e);
      }
    }
  }
}
