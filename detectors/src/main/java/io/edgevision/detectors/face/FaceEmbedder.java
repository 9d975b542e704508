package io.edgevision.detectors.face;

import io.edgevision.core.Budget;
import io.edgevision.core.DecodeContext;
import io.edgevision.core.EdgeVisionException;
import io.edgevision.core.ErrorCode;
import io.edgevision.core.ExecutionProvider;
import io.edgevision.core.Fingerprint;
import io.edgevision.core.ImageFrame;
import io.edgevision.core.InferenceResult;
import io.edgevision.core.InferenceSession;
import io.edgevision.core.ModelDescriptor;
import io.edgevision.core.ModelDescriptor.ColorOrder;
import io.edgevision.core.ModelDescriptor.ResizeMode;
import io.edgevision.core.ModelInfo;
import io.edgevision.core.ModelSource;
import io.edgevision.core.Outcome;
import io.edgevision.core.OutputDecoder;
import io.edgevision.core.Outputs;
import io.edgevision.core.TensorInfo;
import io.edgevision.core.Ticker;
import io.edgevision.core.Timings;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Turns aligned face crops into L2-normalised embeddings with an ArcFace-family ONNX model (real
 * one: {@code mobilefacenet_arcface_128d.onnx}).
 *
 * <h2>Example</h2>
 *
 * <pre>{@code
 * try (FaceEmbedder embedder = FaceEmbedder.builder(ModelSource.of(Path.of("mobilefacenet_arcface_128d.onnx"))).build()) {
 *   Embedding e = embedder.embed(FaceAligner.arcFace().align(frame, face));
 * }
 * }</pre>
 *
 * <p>Preprocessing comes from the model's descriptor (ONNX metadata or sidecar first); the
 * builder's fallback is {@link #DEFAULT_DESCRIPTOR}: RGB, {@code /255}, ImageNet mean/std, 112×112.
 * When the model's batch dimension is dynamic, several faces go through one run (chunks of {@link
 * Builder#maxBatch}); when it is static (MobileFaceNet's is 1), each face is its own run. The
 * output is flattened per face and L2-normalised; a NaN or infinite output fails with {@link
 * ErrorCode#INVALID_OUTPUT}, as does an all-zero one. The dimension is read from the output shape;
 * when an export leaves it dynamic, one run on a black crop at build time tells it.
 *
 * <h2>Lifecycle</h2>
 *
 * Built with {@link #builder(ModelSource)} it owns its session and {@link #close()} closes it
 * (idempotent); made with {@link #create(InferenceSession, int)} it borrows the caller's session,
 * which must outlive it.
 *
 * <h2>Threading</h2>
 *
 * Thread-safe; share one embedder.
 *
 * <h2>Defaults</h2>
 *
 * {@link #DEFAULT_DESCRIPTOR}; max batch {@value #DEFAULT_MAX_BATCH}; providers {@code [CPU]};
 * unlimited budget.
 */
public final class FaceEmbedder implements AutoCloseable {
  /** Default number of faces per run for models with a dynamic batch dimension. */
  public static final int DEFAULT_MAX_BATCH = 16;

  /**
   * Fallback preprocessing: 112×112, RGB, /255, ImageNet mean and std (MobileFaceNet's training
   * code).
   */
  public static final ModelDescriptor DEFAULT_DESCRIPTOR =
      ModelDescriptor.builder()
          .inputSize(FaceAligner.ARCFACE_SIZE, FaceAligner.ARCFACE_SIZE)
          .resize(ResizeMode.STRETCH)
          .color(ColorOrder.RGB)
          .scale(1.0 / 255.0)
          .mean(0.485f, 0.456f, 0.406f)
          .std(0.229f, 0.224f, 0.225f)
          .build();

  private final InferenceSession session;
  private final boolean ownsSession;
  private final boolean dynamicBatch;
  private final int maxBatch;
  private final int dimension;
  private final EmbeddingModel model;
  private final String outputName;
  private final OutputDecoder<float[][]> decoder;

  private FaceEmbedder(InferenceSession session, boolean ownsSession, int maxBatch) {
    this.session = session;
    this.ownsSession = ownsSession;
    ModelInfo info = session.model();
    TensorInfo input = imageInput(info);
    this.dynamicBatch = input.isDynamic(0);
    this.maxBatch = dynamicBatch ? maxBatch : 1;
    TensorInfo out = info.outputs().get(0);
    this.outputName = out.name();
    long dim = 1;
    boolean dynamicDims = false;
    for (int i = 1; i < out.rank(); i++) {
      dynamicDims |= out.isDynamic(i);
      dim *= Math.max(1, out.dim(i));
    }
    if (dynamicDims) {
      dim = probeDimension(session, outputName);
    }
    if (out.rank() < 2 || dim < 1 || dim > 65536) {
      throw new EdgeVisionException(
          ErrorCode.MODEL_DESCRIPTOR_MISMATCH,
          info.name()
              + ": expected an embedding output [N, D] with 1 <= D <= 65536, got "
              + out
              + " (D = "
              + dim
              + ")");
    }
    this.dimension = (int) dim;
    this.model = new EmbeddingModel(info.sha256(), info.descriptor().hash(), dimension);
    this.decoder = this::decode;
  }

  /** Exports that leave the embedding dims dynamic: one run on a black crop tells the dimension. */
  private static long probeDimension(InferenceSession session, String outputName) {
    int[] size =
        session
            .model()
            .descriptor()
            .inputSize()
            .orElseThrow(
                () ->
                    new EdgeVisionException(
                        ErrorCode.MODEL_DESCRIPTOR_MISMATCH,
                        session.model().name() + ": the embedding model needs an input size"));
    ImageFrame black =
        ImageFrame.wrap(
            java.nio.ByteBuffer.allocate(size[0] * size[1] * 3),
            size[0],
            size[1],
            io.edgevision.core.PixelFormat.BGR);
    return session
        .run(
            black,
            Budget.unlimited(),
            (o, c) -> {
              long n = 1;
              long[] shape = o.shape(outputName);
              for (int i = 1; i < shape.length; i++) {
                n *= shape[i];
              }
              return n;
            })
        .get();
  }

  private static TensorInfo imageInput(ModelInfo info) {
    String name = info.descriptor().inputName().orElse(null);
    for (TensorInfo t : info.inputs()) {
      if (t.rank() == 4 && (name == null || t.name().equals(name))) {
        return t;
      }
    }
    throw new EdgeVisionException(
        ErrorCode.MODEL_DESCRIPTOR_MISMATCH,
        info.name() + ": expected a rank-4 image input, got " + info.inputs());
  }

  /**
   * @param model an ArcFace-family ONNX model: one image input, first output {@code [N, D]}
   * @return a builder with the defaults above
   */
  public static Builder builder(ModelSource model) {
    return new Builder(Objects.requireNonNull(model, "model"));
  }

  /**
   * Wraps a session the caller built and keeps owning.
   *
   * @param session an embedding model session
   * @param maxBatch faces per run when the batch dimension is dynamic, &gt;= 1
   * @return the embedder
   * @throws EdgeVisionException {@link ErrorCode#MODEL_DESCRIPTOR_MISMATCH} when the IO does not
   *     fit
   */
  public static FaceEmbedder create(InferenceSession session, int maxBatch) {
    Objects.requireNonNull(session, "session");
    checkMaxBatch(maxBatch);
    return new FaceEmbedder(session, false, maxBatch);
  }

  private static void checkMaxBatch(int maxBatch) {
    if (maxBatch < 1) {
      throw new IllegalArgumentException("expected maxBatch >= 1, got " + maxBatch);
    }
  }

  /**
   * @param face an aligned crop (its size should be the model's input size; other sizes are
   *     resized)
   * @return the unit-length embedding
   * @throws EdgeVisionException {@link ErrorCode#INVALID_OUTPUT} for NaN/Inf or all-zero output
   */
  public Embedding embed(AlignedFace face) {
    return embedAll(List.of(face)).get(0);
  }

  /**
   * Embeds several crops: one run per chunk of {@link #maxBatch()} when the batch is dynamic, else
   * one run per crop.
   *
   * @param faces aligned crops
   * @return one embedding per crop, same order
   */
  public List<Embedding> embedAll(List<AlignedFace> faces) {
    List<ImageFrame> frames = new ArrayList<>(faces.size());
    for (AlignedFace f : faces) {
      frames.add(Objects.requireNonNull(f, "face").image());
    }
    return embedFrames(frames);
  }

  /**
   * Embeds already-aligned images given as frames (e.g. crops aligned elsewhere).
   *
   * @param frames aligned face images
   * @return one embedding per frame, same order
   */
  public List<Embedding> embedFrames(List<ImageFrame> frames) {
    return embedFrames(frames, Budget.unlimited()).get();
  }

  /**
   * Embeds aligned images within a latency budget: the deadline is fixed when the call starts and
   * shared by every chunk, so a slow batch makes the later chunks fail admission or be cancelled
   * instead of overrunning. A missed budget is the result's outcome, not an exception.
   *
   * @param frames aligned face images
   * @param budget how long the whole call may take (a relative budget starts now on the system
   *     ticker, which is the sessions' default ticker)
   * @return one embedding per frame, same order, when every chunk ran ({@code COMPLETED}, or {@code
   *     DEGRADED} when a chunk ran a variant); otherwise the first failing chunk's outcome and
   *     message, without a value. Timings are summed over the chunks that ran.
   */
  public InferenceResult<List<Embedding>> embedFrames(List<ImageFrame> frames, Budget budget) {
    Objects.requireNonNull(frames, "frames");
    Objects.requireNonNull(budget, "budget");
    Budget fixed =
        budget.isUnlimited()
            ? budget
            : Budget.deadline(budget.deadlineFrom(Ticker.system().read()));
    List<Embedding> out = new ArrayList<>(frames.size());
    Timings sum = Timings.ZERO;
    Outcome outcome = Outcome.COMPLETED;
    boolean missed = false;
    Fingerprint fingerprint = session.fingerprint();
    for (int start = 0; start < frames.size(); start += maxBatch) {
      List<ImageFrame> chunk = frames.subList(start, Math.min(frames.size(), start + maxBatch));
      InferenceResult<float[][]> r = session.runBatch(chunk, fixed, decoder);
      sum = plus(sum, r.timings());
      missed |= r.deadlineMissed();
      fingerprint = r.fingerprint();
      if (r.value().isEmpty()) {
        return new InferenceResult<>(
            r.outcome(),
            null,
            sum,
            fingerprint,
            "chunk "
                + start / maxBatch
                + " of "
                + (frames.size() + maxBatch - 1) / maxBatch
                + ": "
                + r.message(),
            missed);
      }
      if (r.outcome() == Outcome.DEGRADED) {
        outcome = Outcome.DEGRADED;
      }
      for (float[] raw : r.get()) {
        out.add(normalise(raw));
      }
    }
    return new InferenceResult<>(
        outcome,
        List.copyOf(out),
        sum,
        fingerprint,
        outcome == Outcome.COMPLETED ? "" : "a chunk ran a cheaper variant",
        missed);
  }

  /**
   * @return the stage-wise sum of two timings
   */
  static Timings plus(Timings a, Timings b) {
    return new Timings(
        a.waitingNanos() + b.waitingNanos(),
        a.preprocessNanos() + b.preprocessNanos(),
        a.inferenceNanos() + b.inferenceNanos(),
        a.postprocessNanos() + b.postprocessNanos());
  }

  private Embedding normalise(float[] raw) {
    double sq = 0;
    for (float v : raw) {
      sq += (double) v * v;
    }
    if (!(sq > 0)) {
      throw new EdgeVisionException(
          ErrorCode.INVALID_OUTPUT,
          session.model().name() + " produced an all-zero embedding, which cannot be normalised");
    }
    return Embedding.normalise(raw, model);
  }

  private float[][] decode(Outputs outputs, DecodeContext context) {
    int n = context.transforms().size();
    long[] shape = outputs.shape(outputName);
    long total = 1;
    for (long d : shape) {
      total *= d;
    }
    if (total != (long) n * dimension) {
      throw new EdgeVisionException(
          ErrorCode.INVALID_OUTPUT,
          "embedding output '"
              + outputName
              + "' has shape "
              + Arrays.toString(shape)
              + ", expected "
              + n
              + " x "
              + dimension
              + " values");
    }
    float[] all = outputs.floats(outputName); // rejects NaN / Inf with INVALID_OUTPUT
    float[][] out = new float[n][];
    for (int i = 0; i < n; i++) {
      out[i] = Arrays.copyOfRange(all, i * dimension, (i + 1) * dimension);
    }
    return out;
  }

  /**
   * @return the embedding space (model SHA-256, descriptor hash, dimension)
   */
  public EmbeddingModel model() {
    return model;
  }

  /**
   * @return the embedding length
   */
  public int dimension() {
    return dimension;
  }

  /**
   * @return true when several faces go through one run
   */
  public boolean batchesFaces() {
    return dynamicBatch;
  }

  /**
   * @return faces per run (1 for a static batch)
   */
  public int maxBatch() {
    return maxBatch;
  }

  /**
   * @return {@code [width, height]} of the model input, from its effective descriptor
   */
  public int[] inputSize() {
    return session.model().descriptor().inputSize().orElseThrow();
  }

  /**
   * @return the session's fingerprint (model, provider, runtime, descriptor)
   */
  public Fingerprint fingerprint() {
    return session.fingerprint();
  }

  /**
   * @return the session running the model
   */
  public InferenceSession session() {
    return session;
  }

  /** Closes the owned session (idempotent); a borrowed one stays open. */
  @Override
  public void close() {
    if (ownsSession) {
      session.close();
    }
  }

  /**
   * Builds a {@link FaceEmbedder}. Threading: not thread-safe; {@link #build()} snapshots the
   * configuration.
   */
  public static final class Builder {
    private final ModelSource model;
    private List<ExecutionProvider> providers = List.of(ExecutionProvider.CPU);
    private ModelDescriptor descriptor = DEFAULT_DESCRIPTOR;
    private int maxBatch = DEFAULT_MAX_BATCH;
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
     * @param fallback preprocessing used where the model's metadata / sidecar say nothing @return
     *     this builder
     */
    public Builder descriptor(ModelDescriptor fallback) {
      this.descriptor = Objects.requireNonNull(fallback, "fallback");
      return this;
    }

    /**
     * @param max faces per run for dynamic-batch models, &gt;= 1 @return this builder
     */
    public Builder maxBatch(int max) {
      this.maxBatch = max;
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
     * @return the embedder (owns its session)
     * @throws EdgeVisionException when the model cannot be loaded or its IO does not fit
     */
    public FaceEmbedder build() {
      checkMaxBatch(maxBatch);
      InferenceSession s =
          InferenceSession.builder(model)
              .providers(providers)
              .intraOpThreads(intraOpThreads)
              .descriptor(descriptor)
              .build();
      try {
        return new FaceEmbedder(s, true, maxBatch);
      } catch (RuntimeException e) {
        s.close();
        throw e;
      }
    }
  }
}
