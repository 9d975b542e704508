package io.edgevision.detectors.traffic;

import io.edgevision.core.Budget;
import io.edgevision.core.DecodeContext;
import io.edgevision.core.EdgeVisionException;
import io.edgevision.core.ErrorCode;
import io.edgevision.core.ImageFrame;
import io.edgevision.core.InferenceResult;
import io.edgevision.core.InferenceSession;
import io.edgevision.core.ModelInfo;
import io.edgevision.core.OutputDecoder;
import io.edgevision.core.Outputs;
import io.edgevision.core.PreprocessTransform;
import io.edgevision.core.Ticker;
import io.edgevision.core.Timings;
import io.edgevision.postprocess.BoxTransform;
import io.edgevision.postprocess.Detection;
import io.edgevision.postprocess.Detections;
import io.edgevision.postprocess.DetrDecoding;
import io.edgevision.postprocess.DetrPostprocessor;
import io.edgevision.postprocess.DetrWorkspace;
import io.edgevision.postprocess.DuplicateSuppressor;
import io.edgevision.postprocess.Suppression;
import io.edgevision.postprocess.SuppressionWorkspace;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A general DETR-family object detector: runs any DETR-family ONNX export through an {@link
 * InferenceSession}, detects its output layout from the IO signature, decodes, removes DETR
 * duplicates and returns detections in pixels of the original frame with the suppression report.
 *
 * <h2>Example</h2>
 *
 * <pre>{@code
 * try (InferenceSession session = InferenceSession.builder(ModelSource.of(Path.of("deimv2_femto.onnx")))
 *     .descriptor(ModelCatalog.DEIMV2_FEMTO_DESCRIPTOR)
 *     .build()) {
 *   DetrDetector detector = DetrDetector.builder(session).scoreThreshold(0.4f).build();  // share it
 *   DetectionResult r = detector.detect(ImageFrames.read(Path.of("street.jpg")), Budget.ofMillis(50));
 *   for (Detection d : r.detections()) { ... d.box(), d.classId(), d.score(), d.queryIndex() ... }
 * }
 * }</pre>
 *
 * <h2>Pipeline</h2>
 *
 * One decode-and-suppress path, the fused {@link DetrPostprocessor} path that the post-processing
 * benchmarks measure ({@code DetrPostprocessBenchmark}, and {@code
 * DetrDetectorPostprocessBenchmark} through this class):
 *
 * <ol>
 *   <li><b>Plan</b>, once per model variant at {@link Builder#build()}: the layout ({@link
 *       DetrSignature#resolve}; raw {@code pred_logits}/{@code pred_boxes} or baked {@code
 *       labels}/{@code boxes}/{@code scores} with {@code orig_target_sizes}; override with {@link
 *       Builder#layout}), the class names ({@link LabelNames}) and class filter, and the {@link
 *       DetrPostprocessor} for the model's input size (built again only when a dynamic-size model
 *       is fed another tensor size).
 *   <li><b>Run</b>: {@link InferenceSession#run} with the caller's budget (admission, degradation
 *       to a registered cheaper variant, cancellation at the deadline). Baked models get their
 *       frame-size input from the session.
 *   <li><b>Decode</b> into the calling thread's {@link DetrWorkspace} ({@link
 *       DetrPostprocessor#decodeInto} / {@link DetrPostprocessor#decodeBakedInto}), candidates down
 *       to {@code candidateThreshold}: raw layouts by sigmoid top-k over queries × classes, or
 *       softmax + "no object", boxes {@code cx, cy, w, h} normalised → pixels of the original frame
 *       by undoing the session's resize or letterbox; baked rows as they are (the graph already
 *       scaled its boxes to the frame). Boxes are clamped to the frame unless {@link
 *       Builder#clampToFrame(boolean) clampToFrame(false)}.
 *   <li><b>Suppress</b> duplicates ({@link DetrPostprocessor#suppressInto}) with the {@link
 *       DuplicateSuppressor} over <b>all classes</b> (same query, cross-class, per-class NMS,
 *       neighbour guard); degenerate or non-finite boxes are dropped and counted; survivors below
 *       {@code scoreThreshold} are dropped.
 *   <li><b>Filter</b> classes, the one class filter ({@link Builder#classes}, or the light classes
 *       of a {@link TrafficLightDetector}), <b>after</b> suppression, so that one object read under
 *       two labels (a traffic light also scored as "bird") collapses before the unwanted label is
 *       filtered out; only the kept survivors and their report lines become records.
 * </ol>
 *
 * <h2>Lifecycle</h2>
 *
 * The detector borrows the session (the rule for every detector: whoever opens a session closes it;
 * docs/ARCHITECTURE.md). Close the session after the last {@code detect} call has returned; {@code
 * detect} on a closed session throws {@link IllegalStateException}. Nothing else to close.
 *
 * <h2>Threading</h2>
 *
 * Immutable and thread-safe: share one detector between threads (the session is thread-safe). Each
 * thread that runs the decode stage gets its own {@link DetrWorkspace} (a {@link ThreadLocal},
 * reused for every later frame on that thread); the per-variant post-processors are immutable and
 * shared. Concurrent calls on the same frame give identical results. Stage timings are read from
 * the session's {@link InferenceSession#ticker() ticker}.
 *
 * <h2>Defaults</h2>
 *
 * <ul>
 *   <li>{@link #DEFAULT_SCORE_THRESHOLD} 0.3 and {@link #DEFAULT_CANDIDATE_THRESHOLD} 0.1 (see
 *       {@link DetrPostprocessor}: candidates in between only feed alternatives).
 *   <li>Layout {@link DetrLayout#AUTO}, decoding {@link DetrDecoding#AUTO}, top-k {@value
 *       DetrPostprocessor#DEFAULT_NUM_SELECT}.
 *   <li>{@link DuplicateSuppressor#defaults()}; all classes kept; boxes clamped to the frame;
 *       candidates not kept in the result.
 * </ul>
 */
public final class DetrDetector {
  /** Default lowest score of an output detection. */
  public static final float DEFAULT_SCORE_THRESHOLD = DetrPostprocessor.DEFAULT_SCORE_THRESHOLD;

  /** Default lowest score of a decoded candidate (evidence for alternatives). */
  public static final float DEFAULT_CANDIDATE_THRESHOLD =
      DetrPostprocessor.DEFAULT_CANDIDATE_THRESHOLD;

  final InferenceSession session;
  private final Ticker ticker;
  private final DetrLayout requestedLayout;
  private final DetrDecoding decoding;
  private final int numSelect;
  private final float scoreThreshold;
  private final float candidateThreshold;
  private final DuplicateSuppressor configuredSuppressor;
  private final int[] classes;
  private final @Nullable Map<String, BitSet> variantClasses;
  private final boolean clampToFrame;
  private final boolean keepCandidates;
  private final Map<String, Plan> plans;
  private final OutputDecoder<Decoded> decoder = this::decode;

  /**
   * Scratch memory of the decode stage, one per thread that runs it (the session's post-processing
   * thread).
   */
  private final ThreadLocal<Scratch> scratch = ThreadLocal.withInitial(Scratch::new);

  /** Per-thread scratch: the fused path's workspace and the candidate re-indexing arrays. */
  private static final class Scratch {
    final DetrWorkspace ws = new DetrWorkspace();
    long[] keys = new long[0];
    int[] position = new int[0];

    int[] positions(int n) {
      if (position.length < n) {
        position = new int[Math.max(n, 16)];
        keys = new long[position.length];
      }
      return position;
    }
  }

  /**
   * What the session's decoder hands back (per frame; {@link SlicedRunner} reads it for batches).
   */
  record Decoded(
      Detections detections,
      List<Suppression> suppressed,
      Detections candidates,
      int invalidCount,
      DetrLayout layout,
      long decodeNanos,
      long suppressNanos) {}

  private DetrDetector(Builder b, Map<String, Plan> plans) {
    session = b.session;
    ticker = b.session.ticker();
    requestedLayout = b.layout;
    decoding = b.decoding;
    numSelect = b.numSelect;
    scoreThreshold = b.scoreThreshold;
    candidateThreshold = b.candidateThreshold;
    configuredSuppressor = b.suppressor;
    classes = b.classes.clone();
    variantClasses = b.variantClasses;
    clampToFrame = b.clampToFrame;
    keepCandidates = b.keepCandidates;
    this.plans = plans;
  }

  /**
   * @param session the session to run (borrowed, not closed by the detector); its primary model and
   *     every registered variant must be DETR-family exports
   * @return a builder with the defaults above
   */
  public static Builder builder(InferenceSession session) {
    return new Builder(Objects.requireNonNull(session, "session"));
  }

  /**
   * @return a builder holding this configuration (and the same session)
   */
  public Builder toBuilder() {
    Builder b = new Builder(session);
    b.layout = requestedLayout;
    b.decoding = decoding;
    b.numSelect = numSelect;
    b.scoreThreshold = scoreThreshold;
    b.candidateThreshold = candidateThreshold;
    b.suppressor = configuredSuppressor;
    b.classes = classes.clone();
    b.variantClasses = variantClasses;
    b.clampToFrame = clampToFrame;
    b.keepCandidates = keepCandidates;
    return b;
  }

  /**
   * Detects objects in one frame within a budget.
   *
   * @param frame the frame (any pixel format the session accepts)
   * @param budget how long the call may take; a missed budget is the result's outcome, not an
   *     exception
   * @return the result (never null)
   * @throws IllegalStateException when the session is closed
   * @throws EdgeVisionException {@link ErrorCode#BAD_INPUT} for a frame the model cannot take,
   *     {@link ErrorCode#INVALID_OUTPUT} when the outputs do not have the layout's shapes or hold
   *     NaN, {@link ErrorCode#NATIVE_FAILURE} when ONNX Runtime fails
   */
  public DetectionResult detect(ImageFrame frame, Budget budget) {
    Objects.requireNonNull(frame, "frame");
    Objects.requireNonNull(budget, "budget");
    InferenceResult<Decoded> r = session.run(frame, budget, decoder);
    String variant = r.fingerprint().variant();
    Plan plan = plan(variant);
    DetrLayout layout = plan.signature().layout();
    if (r.value().isEmpty()) {
      return new DetectionResult(
          r.outcome(),
          Detections.empty(),
          List.of(),
          Detections.empty(),
          0,
          layout,
          variant,
          new DetectionTimings(r.timings(), 0, 0, Timings.ZERO, 0),
          r.fingerprint(),
          r.message(),
          r.deadlineMissed(),
          plan.labels());
    }
    Decoded d = r.get();
    return new DetectionResult(
        r.outcome(),
        d.detections(),
        d.suppressed(),
        d.candidates(),
        d.invalidCount(),
        d.layout(),
        variant,
        new DetectionTimings(r.timings(), d.decodeNanos(), d.suppressNanos(), Timings.ZERO, 0),
        r.fingerprint(),
        r.message(),
        r.deadlineMissed(),
        plan.labels());
  }

  /**
   * Runs several frames in one native call and decodes each as {@link #detect} would (used by
   * sliced inference: the model's batch dimension must be dynamic and every frame must preprocess
   * to the same tensor size).
   *
   * @param frames the frames, at least one
   * @param budget the budget of the whole batch
   * @return the run, with one decoded element per frame (frame order) when it has a value
   */
  InferenceResult<List<Decoded>> detectBatch(List<ImageFrame> frames, Budget budget) {
    int n = frames.size();
    return session.runBatch(
        frames,
        budget,
        (outputs, ctx) -> {
          List<Outputs> each = BatchElement.split(outputs, n);
          List<Decoded> out = new ArrayList<>(n);
          for (int i = 0; i < n; i++) {
            out.add(
                decode(
                    each.get(i),
                    new DecodeContext(
                        List.of(ctx.transforms().get(i)), ctx.model(), ctx.variant())));
          }
          return out;
        });
  }

  /**
   * @param variant {@link InferenceSession#PRIMARY} or a registered variant name
   * @return the resolved output signature of that model
   * @throws IllegalArgumentException for an unknown variant
   */
  public DetrSignature signature(String variant) {
    return plan(variant).signature();
  }

  /**
   * The class names of a variant's model: the descriptor's {@code edgevision.labels} when present,
   * else the COCO-80 names. Every {@link DetectionResult#labels()} carries the names of the variant
   * that ran.
   *
   * @param variant {@link InferenceSession#PRIMARY} or a registered variant name
   * @return its names
   * @throws IllegalArgumentException for an unknown variant
   */
  public LabelNames labels(String variant) {
    return plan(variant).labels();
  }

  /**
   * The name of a class of a variant's model; {@code labels(variant).name(classId)}.
   *
   * @param variant {@link InferenceSession#PRIMARY} or a registered variant name
   * @param classId a 0-based class index
   * @return its name
   * @throws IllegalArgumentException for an unknown variant
   */
  public String label(String variant, int classId) {
    return labels(variant).name(classId);
  }

  /**
   * @return the lowest score of an output detection
   */
  public float scoreThreshold() {
    return scoreThreshold;
  }

  /**
   * @return the duplicate suppressor in use (with this detector's score threshold)
   */
  DuplicateSuppressor suppressor() {
    return configuredSuppressor.toBuilder().scoreThreshold(scoreThreshold).build();
  }

  /**
   * @return the session this detector runs (borrowed)
   */
  public InferenceSession session() {
    return session;
  }

  private Plan plan(String variant) {
    Plan p = plans.get(variant);
    if (p == null) {
      throw new IllegalArgumentException("no variant '" + variant + "', have " + plans.keySet());
    }
    return p;
  }

  // -------------------------------------------------------------------------------------------------------
  // Decoding: runs inside the session's post-processing stage, on the fused DetrPostprocessor path.

  /**
   * The post-processing stage of {@link #detect}, as the session calls it. Package-private so that
   * the end-to-end post-processing benchmark ({@code DetrDetectorPostprocessBenchmark}, same
   * package in the benchmarks module) measures exactly this code on captured outputs.
   */
  Decoded decode(Outputs outputs, DecodeContext ctx) {
    Plan plan = plan(ctx.variant());
    DetrSignature sig = plan.signature();
    PreprocessTransform t = ctx.transform();
    Scratch sc = scratch.get();
    DetrWorkspace ws = sc.ws;
    long t0 = ticker.read();
    DetrPostprocessor post;
    boolean baked = sig.layout() == DetrLayout.BAKED;
    try {
      post = baked ? decodeBaked(outputs, sig, t, plan, ws) : decodeRaw(outputs, sig, t, plan, ws);
    } catch (IllegalArgumentException e) {
      throw new EdgeVisionException(
          ErrorCode.INVALID_OUTPUT,
          "cannot decode the "
              + sig.layout()
              + " outputs of "
              + ctx.model().name()
              + ": "
              + e.getMessage(),
          e);
    }
    long t1 = ticker.read();
    post.suppressInto(ws);
    SuppressionWorkspace out = ws.output();
    int[] position = candidatePositions(sc, baked, out.suppressionCount() > 0);
    Detections candidates = keepCandidates ? candidates(ws, position) : Detections.empty();
    BitSet keep = plan.classFilter();
    int n = out.size();
    int[] newIndex = new int[n];
    List<Detection> kept = new ArrayList<>(n);
    for (int k = 0; k < n; k++) {
      if (keep == null || keep.get(out.classId(k))) {
        newIndex[k] = kept.size();
        kept.add(out.survivor(k));
      } else {
        newIndex[k] = -1;
      }
    }
    int lines = out.suppressionCount();
    List<Suppression> report = new ArrayList<>(lines);
    for (int r = 0; r < lines; r++) {
      int survivor = newIndex[out.suppressorIndex(r)];
      if (survivor < 0) {
        continue;
      }
      int c = out.suppressedCandidate(r);
      report.add(
          new Suppression(
              position == null ? c : position[c],
              out.suppressed(r),
              survivor,
              kept.get(survivor),
              out.suppressionRule(r),
              out.suppressionMetric(r),
              out.suppressionOverlap(r)));
    }
    long t2 = ticker.read();
    return new Decoded(
        Detections.of(kept),
        report,
        candidates,
        out.invalidCount(),
        sig.layout(),
        t1 - t0,
        t2 - t1);
  }

  private DetrPostprocessor decodeRaw(
      Outputs outputs, DetrSignature sig, PreprocessTransform t, Plan plan, DetrWorkspace ws) {
    long[] shape = outputs.shape(sig.logits());
    checkOutput(
        shape.length == 3 && shape[0] == 1,
        "expected %s of shape [1, Q, C], got %s",
        sig.logits(),
        shape);
    int queries = (int) shape[1];
    float[] logits = outputs.floats(sig.logits());
    float[] boxes = outputs.floats(sig.boxes());
    checkOutput(
        boxes.length == 4 * queries,
        "expected %s to hold 4 values per query (Q = " + queries + "), got shape %s",
        sig.boxes(),
        outputs.shape(sig.boxes()));
    DetrPostprocessor post = plan.postprocessor(t.tensorWidth(), t.tensorHeight());
    BoxTransform toFrame =
        BoxTransform.of((float) t.scaleX(), (float) t.scaleY(), (float) t.padX(), (float) t.padY());
    if (clampToFrame) {
      toFrame = toFrame.withClamp(t.sourceWidth(), t.sourceHeight());
    }
    post.decodeInto(logits, boxes, queries, toFrame, ws);
    return post;
  }

  private DetrPostprocessor decodeBaked(
      Outputs outputs, DetrSignature sig, PreprocessTransform t, Plan plan, DetrWorkspace ws) {
    long[] labelShape = outputs.shape(sig.labels());
    checkOutput(
        labelShape.length == 2 && labelShape[0] == 1,
        "expected %s of shape [1, K], got %s",
        sig.labels(),
        labelShape);
    long[] labels = outputs.longs(sig.labels());
    float[] boxes = outputs.floats(sig.boxes());
    float[] scores = outputs.floats(sig.scores());
    int k = labels.length;
    checkOutput(
        scores.length == k,
        "expected %s to hold one score per label, got shape %s",
        sig.scores(),
        outputs.shape(sig.scores()));
    checkOutput(
        boxes.length == 4 * k,
        "expected %s to hold 4 values per label, got shape %s",
        sig.boxes(),
        outputs.shape(sig.boxes()));
    // The graph already scaled its boxes to the frame (orig_target_sizes): identity, clamped when
    // asked.
    BoxTransform toFrame =
        clampToFrame
            ? BoxTransform.IDENTITY.withClamp(t.sourceWidth(), t.sourceHeight())
            : BoxTransform.IDENTITY;
    DetrPostprocessor post = plan.postprocessor(t.tensorWidth(), t.tensorHeight());
    post.decodeBakedInto(labels, boxes, scores, toFrame, ws);
    return post;
  }

  /**
   * Where each decoded candidate sits in the candidate list the result reports ({@link
   * DetectionResult#candidates()}, which {@link Suppression#candidateIndex()} indexes): the valid
   * candidates, in decoding order for raw layouts and by score (descending, ties in row order) for
   * baked rows. Null when that is the identity (raw, all valid) or nothing needs it.
   */
  private int @Nullable [] candidatePositions(Scratch sc, boolean baked, boolean reported) {
    DetrWorkspace ws = sc.ws;
    int m = ws.candidateCount();
    if (!keepCandidates && !reported) {
      return null;
    }
    int[] position = sc.positions(m);
    int valid = 0;
    for (int i = 0; i < m; i++) {
      position[i] = ws.candidateValid(i) ? valid++ : -1;
    }
    if (!baked) {
      return valid == m ? null : position;
    }
    long[] keys = sc.keys;
    int v = 0;
    for (int i = 0; i < m; i++) {
      if (position[i] >= 0) {
        keys[v++] = ((long) ~sortableBits(ws.candidateScore(i)) << 32) | i;
      }
    }
    Arrays.sort(keys, 0, v);
    for (int p = 0; p < v; p++) {
      position[(int) keys[p]] = p;
    }
    return position;
  }

  /** An int whose signed order is {@link Float#compare}'s order (finite values). */
  private static int sortableBits(float f) {
    int bits = Float.floatToIntBits(f);
    return bits ^ ((bits >> 31) & 0x7fffffff);
  }

  private static Detections candidates(DetrWorkspace ws, int @Nullable [] position) {
    int m = ws.candidateCount();
    Detection[] out = new Detection[m];
    int n = 0;
    for (int i = 0; i < m; i++) {
      int p = position == null ? i : position[i];
      if (p >= 0) {
        out[p] = ws.candidate(i);
        n++;
      }
    }
    return Detections.of(Arrays.asList(out).subList(0, n));
  }

  private static void checkOutput(boolean ok, String format, Object name, Object detail) {
    if (!ok) {
      Object d = detail instanceof long[] l ? Arrays.toString(l) : detail;
      throw new EdgeVisionException(
          ErrorCode.INVALID_OUTPUT, String.format(java.util.Locale.ROOT, format, name, d));
    }
  }

  /** Builds the post-processor of one plan for a model input size. */
  @FunctionalInterface
  private interface PostprocessorFactory {
    DetrPostprocessor build(int inputWidth, int inputHeight);
  }

  /**
   * What is resolved once per model variant: its signature, names, class filter, and the
   * post-processor built for its input size (built once, and again only when a dynamic-size model
   * is fed a tensor of another size). Thread-safe: a racing rebuild builds an equal post-processor.
   */
  private static final class Plan {
    private final DetrSignature signature;
    private final LabelNames labels;
    private final @Nullable BitSet classFilter;
    private final PostprocessorFactory factory;
    private volatile Sized current;

    private record Sized(int width, int height, DetrPostprocessor post) {}

    Plan(
        DetrSignature signature,
        LabelNames labels,
        @Nullable BitSet classFilter,
        PostprocessorFactory factory) {
      this.signature = signature;
      this.labels = labels;
      this.classFilter = classFilter;
      this.factory = factory;
      this.current = new Sized(1, 1, factory.build(1, 1)); // validates the settings at build()
    }

    DetrSignature signature() {
      return signature;
    }

    LabelNames labels() {
      return labels;
    }

    @Nullable BitSet classFilter() {
      return classFilter;
    }

    DetrPostprocessor postprocessor(int width, int height) {
      Sized s = current;
      if (s.width() == width && s.height() == height) {
        return s.post();
      }
      Sized next = new Sized(width, height, factory.build(width, height));
      current = next;
      return next.post();
    }
  }

  /**
   * Builds an immutable {@link DetrDetector}; validates in {@link #build()}. Use from one thread.
   */
  public static final class Builder {
    private final InferenceSession session;
    private DetrLayout layout = DetrLayout.AUTO;
    private DetrDecoding decoding = DetrDecoding.AUTO;
    private int numSelect = DetrPostprocessor.DEFAULT_NUM_SELECT;
    private float scoreThreshold = DEFAULT_SCORE_THRESHOLD;
    private float candidateThreshold = DEFAULT_CANDIDATE_THRESHOLD;
    private DuplicateSuppressor suppressor = DuplicateSuppressor.defaults();
    private int[] classes = new int[0];
    private @Nullable Map<String, BitSet> variantClasses;
    private boolean clampToFrame = true;
    private boolean keepCandidates;

    private Builder(InferenceSession session) {
      this.session = session;
    }

    /**
     * @param l {@link DetrLayout#AUTO} (default) or the layout to insist on for every variant
     * @return this builder
     */
    public Builder layout(DetrLayout l) {
      layout = Objects.requireNonNull(l, "layout");
      return this;
    }

    /**
     * @param mode how raw logits are decoded (default {@link DetrDecoding#AUTO}); ignored for baked
     *     layouts
     * @return this builder
     */
    public Builder decoding(DetrDecoding mode) {
      decoding = Objects.requireNonNull(mode, "mode");
      return this;
    }

    /**
     * @param k the top-k over queries × classes of sigmoid decoding, at least 1 (default 300)
     * @return this builder
     */
    public Builder numSelect(int k) {
      numSelect = k;
      return this;
    }

    /**
     * @param threshold the lowest score of an output detection, in {@code [0, 1]} (default 0.3)
     * @return this builder
     */
    public Builder scoreThreshold(float threshold) {
      scoreThreshold = threshold;
      return this;
    }

    /**
     * @param threshold the lowest score of a decoded candidate, in {@code [0, scoreThreshold]}
     *     (default 0.1)
     * @return this builder
     */
    public Builder candidateThreshold(float threshold) {
      candidateThreshold = threshold;
      return this;
    }

    /**
     * @param duplicateSuppressor the duplicate suppressor (its score threshold is replaced by this
     *     builder's); {@link DuplicateSuppressor#disabled()} keeps every candidate above the score
     *     threshold
     * @return this builder
     */
    public Builder suppressor(DuplicateSuppressor duplicateSuppressor) {
      suppressor = Objects.requireNonNull(duplicateSuppressor, "duplicateSuppressor");
      return this;
    }

    /**
     * Keeps only these classes in the output, filtered <b>after</b> duplicate suppression.
     *
     * @param classIds 0-based class indices; none (default) keeps every class
     * @return this builder
     */
    public Builder classes(int... classIds) {
      for (int c : classIds) {
        if (c < 0) {
          throw new IllegalArgumentException("expected class indices >= 0, got " + c);
        }
      }
      classes = classIds.clone();
      return this;
    }

    /**
     * @param clamp whether boxes are clamped to the frame (default true); false reproduces an
     *     export's own unclamped boxes exactly
     * @return this builder
     */
    public Builder clampToFrame(boolean clamp) {
      clampToFrame = clamp;
      return this;
    }

    /**
     * @param keep whether results carry the decoded candidates before suppression (default false)
     * @return this builder
     */
    public Builder keepCandidates(boolean keep) {
      keepCandidates = keep;
      return this;
    }

    /**
     * Resolves the layout of the session's primary model and of every registered variant.
     *
     * @return the detector
     * @throws IllegalArgumentException when a threshold or {@code numSelect} is out of range
     * @throws EdgeVisionException {@link ErrorCode#MODEL_DESCRIPTOR_MISMATCH} when a model is not a
     *     DETR-family export (the message says what was expected and what the model has)
     */
    public DetrDetector build() {
      Map<String, Plan> plans = new LinkedHashMap<>();
      for (String variant : session.variantNames()) {
        ModelInfo m = session.model(variant);
        DetrSignature signature = DetrSignature.resolve(m, layout);
        List<String> labels = m.descriptor().labels();
        // The postprocessor validates thresholds and numSelect with "expected X, got Y" messages.
        DetrDecoding dec = decoding;
        int k = numSelect;
        float score = scoreThreshold;
        float candidate = candidateThreshold;
        DuplicateSuppressor sup = suppressor;
        int numClasses = dec == DetrDecoding.AUTO ? labels.size() : 0;
        // Snapshot of this builder's settings: later builder changes do not reach the detector.
        plans.put(
            variant,
            new Plan(
                signature,
                LabelNames.of(labels),
                classFilter(variant),
                (w, h) ->
                    DetrPostprocessor.builder(w, h)
                        .decoding(dec)
                        .numSelect(k)
                        .scoreThreshold(score)
                        .candidateThreshold(candidate)
                        .suppressor(sup)
                        .numClasses(numClasses)
                        .build()));
      }
      return new DetrDetector(this, Map.copyOf(plans));
    }

    /**
     * The one class filter of a variant: the per-variant set of a wrapping detector, else {@link
     * #classes}.
     */
    private @Nullable BitSet classFilter(String variant) {
      if (variantClasses != null) {
        BitSet s = variantClasses.get(variant);
        return s == null ? null : (BitSet) s.clone();
      }
      if (classes.length == 0) {
        return null;
      }
      BitSet s = new BitSet();
      for (int c : classes) {
        s.set(c);
      }
      return s;
    }

    /**
     * The class filter of a wrapping detector ({@link TrafficLightDetector}), per variant; replaces
     * {@link #classes} so that one filter runs, once, after suppression.
     */
    Builder variantClasses(Map<String, BitSet> perVariant) {
      Map<String, BitSet> copy = new LinkedHashMap<>();
      perVariant.forEach((k, v) -> copy.put(k, (BitSet) v.clone()));
      variantClasses = Map.copyOf(copy);
      return this;
    }
  }
}
