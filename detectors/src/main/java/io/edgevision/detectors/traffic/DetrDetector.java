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
import io.edgevision.core.Timings;
import io.edgevision.postprocess.Box;
import io.edgevision.postprocess.BoxTransform;
import io.edgevision.postprocess.Detection;
import io.edgevision.postprocess.Detections;
import io.edgevision.postprocess.DetrDecoding;
import io.edgevision.postprocess.DetrPostprocessor;
import io.edgevision.postprocess.DetrResult;
import io.edgevision.postprocess.DuplicateSuppressor;
import io.edgevision.postprocess.Suppression;
import io.edgevision.postprocess.SuppressionResult;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A general DETR-family object detector: runs any DETR-family ONNX export through an {@link InferenceSession},
 * detects its output layout from the IO signature, decodes, removes DETR duplicates and returns detections in
 * pixels of the original frame with the suppression report.
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
 * <ol>
 *   <li><b>Layout</b>, once per model variant at {@link Builder#build()}: {@link DetrSignature#resolve} (raw
 *       {@code pred_logits}/{@code pred_boxes} or baked {@code labels}/{@code boxes}/{@code scores} with
 *       {@code orig_target_sizes}); override with {@link Builder#layout}.
 *   <li><b>Run</b>: {@link InferenceSession#run} with the caller's budget (admission, degradation to a registered
 *       cheaper variant, cancellation at the deadline). Baked models get their frame-size input from the session.
 *   <li><b>Decode</b> into candidates down to {@code candidateThreshold}: raw layouts through {@link
 *       DetrPostprocessor#decode} (sigmoid top-k over queries × classes, or softmax + "no object"; boxes
 *       {@code cx, cy, w, h} normalised → pixels of the original frame by undoing the session's resize or
 *       letterbox); baked layouts by reading the rows (the graph already scaled its boxes to the frame). Boxes are
 *       clamped to the frame unless {@link Builder#clampToFrame(boolean) clampToFrame(false)}; degenerate boxes
 *       are dropped and counted.
 *   <li><b>Suppress</b> duplicates with a {@link DuplicateSuppressor} over <b>all classes</b> (same query,
 *       cross-class, per-class NMS, neighbour guard); survivors below {@code scoreThreshold} are dropped.
 *   <li><b>Filter</b> classes ({@link Builder#classes}) <b>after</b> suppression, so that one object read under
 *       two labels (a traffic light also scored as "bird") collapses before the unwanted label is filtered out.
 *       The report keeps the entries whose survivor passed the filter, re-indexed.
 * </ol>
 *
 * <h2>Lifecycle</h2>
 *
 * The detector borrows the session: it does not close it. Close the session after the last {@code detect}
 * call has returned; {@code detect} on a closed session throws {@link IllegalStateException}. Nothing else
 * to close.
 *
 * <h2>Threading</h2>
 *
 * Immutable and thread-safe: share one detector between threads (the session is thread-safe; each call
 * allocates its own decoding workspace). Concurrent calls on the same frame give identical results.
 *
 * <h2>Defaults</h2>
 *
 * <ul>
 *   <li>{@link #DEFAULT_SCORE_THRESHOLD} 0.3 and {@link #DEFAULT_CANDIDATE_THRESHOLD} 0.1 (see {@link
 *       DetrPostprocessor}: candidates in between only feed alternatives).
 *   <li>Layout {@link DetrLayout#AUTO}, decoding {@link DetrDecoding#AUTO}, top-k {@value
 *       DetrPostprocessor#DEFAULT_NUM_SELECT}.
 *   <li>{@link DuplicateSuppressor#defaults()}; all classes kept; boxes clamped to the frame; candidates not
 *       kept in the result.
 * </ul>
 */
public final class DetrDetector {
  /** Default lowest score of an output detection. */
  public static final float DEFAULT_SCORE_THRESHOLD = DetrPostprocessor.DEFAULT_SCORE_THRESHOLD;
  /** Default lowest score of a decoded candidate (evidence for alternatives). */
  public static final float DEFAULT_CANDIDATE_THRESHOLD = DetrPostprocessor.DEFAULT_CANDIDATE_THRESHOLD;

  final InferenceSession session;
  private final DetrLayout requestedLayout;
  private final DetrDecoding decoding;
  private final int numSelect;
  private final float scoreThreshold;
  private final float candidateThreshold;
  private final DuplicateSuppressor suppressor;
  private final DuplicateSuppressor configuredSuppressor;
  private final int[] classes;
  private final BitSet classSet;
  private final boolean clampToFrame;
  private final boolean keepCandidates;
  private final Map<String, Plan> plans;
  private final OutputDecoder<Decoded> decoder = this::decode;

  /** What is resolved once per model variant. */
  private record Plan(DetrSignature signature, List<String> labels) {}

  /** What the session's decoder hands back (per frame; {@link SlicedRunner} reads it for batches). */
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
    requestedLayout = b.layout;
    decoding = b.decoding;
    numSelect = b.numSelect;
    scoreThreshold = b.scoreThreshold;
    candidateThreshold = b.candidateThreshold;
    configuredSuppressor = b.suppressor;
    suppressor = b.suppressor.toBuilder().scoreThreshold(b.scoreThreshold).build();
    classes = b.classes.clone();
    classSet = new BitSet();
    for (int c : classes) {
      classSet.set(c);
    }
    clampToFrame = b.clampToFrame;
    keepCandidates = b.keepCandidates;
    this.plans = plans;
  }

  /**
   * @param session the session to run (borrowed, not closed by the detector); its primary model and every
   *     registered variant must be DETR-family exports
   * @return a builder with the defaults above
   */
  public static Builder builder(InferenceSession session) {
    return new Builder(Objects.requireNonNull(session, "session"));
  }

  /** @return a builder holding this configuration (and the same session) */
  public Builder toBuilder() {
    Builder b = new Builder(session);
    b.layout = requestedLayout;
    b.decoding = decoding;
    b.numSelect = numSelect;
    b.scoreThreshold = scoreThreshold;
    b.candidateThreshold = candidateThreshold;
    b.suppressor = configuredSuppressor;
    b.classes = classes.clone();
    b.clampToFrame = clampToFrame;
    b.keepCandidates = keepCandidates;
    return b;
  }

  /**
   * Detects objects in one frame within a budget.
   *
   * @param frame the frame (any pixel format the session accepts)
   * @param budget how long the call may take; a missed budget is the result's outcome, not an exception
   * @return the result (never null)
   * @throws IllegalStateException when the session is closed
   * @throws EdgeVisionException {@link ErrorCode#BAD_INPUT} for a frame the model cannot take, {@link
   *     ErrorCode#INVALID_OUTPUT} when the outputs do not have the layout's shapes or hold NaN, {@link
   *     ErrorCode#NATIVE_FAILURE} when ONNX Runtime fails
   */
  public DetectionResult detect(ImageFrame frame, Budget budget) {
    Objects.requireNonNull(frame, "frame");
    Objects.requireNonNull(budget, "budget");
    InferenceResult<Decoded> r = session.run(frame, budget, decoder);
    String variant = r.fingerprint().variant();
    DetrLayout layout = plan(variant).signature().layout();
    if (r.value().isEmpty()) {
      return new DetectionResult(
          r.outcome(), Detections.empty(), List.of(), Detections.empty(), 0, layout, variant,
          new DetectionTimings(r.timings(), 0, 0, Timings.ZERO, 0), r.fingerprint(),
          r.message(), r.deadlineMissed());
    }
    Decoded d = r.get();
    return new DetectionResult(
        r.outcome(), d.detections(), d.suppressed(), d.candidates(), d.invalidCount(), d.layout(), variant,
        new DetectionTimings(r.timings(), d.decodeNanos(), d.suppressNanos(), Timings.ZERO, 0),
        r.fingerprint(), r.message(), r.deadlineMissed());
  }

  /**
   * Runs several frames in one native call and decodes each as {@link #detect} would (used by sliced inference:
   * the model's batch dimension must be dynamic and every frame must preprocess to the same tensor size).
   *
   * @param frames the frames, at least one
   * @param budget the budget of the whole batch
   * @return the run, with one decoded element per frame (frame order) when it has a value
   */
  InferenceResult<List<Decoded>> detectBatch(List<ImageFrame> frames, Budget budget) {
    int n = frames.size();
    return session.runBatch(frames, budget, (outputs, ctx) -> {
      List<Outputs> each = BatchElement.split(outputs, n);
      List<Decoded> out = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        out.add(decode(each.get(i), new DecodeContext(List.of(ctx.transforms().get(i)), ctx.model(), ctx.variant())));
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
   * The name of a class of a variant's model: the descriptor's {@code edgevision.labels} when present, else the
   * COCO-80 name (models without labels are taken to be COCO exports, the common case), else {@code "class N"}.
   *
   * @param variant {@link InferenceSession#PRIMARY} or a registered variant name
   * @param classId a 0-based class index
   * @return its name
   */
  public String label(String variant, int classId) {
    List<String> labels = plan(variant).labels();
    if (!labels.isEmpty()) {
      return classId >= 0 && classId < labels.size() ? labels.get(classId) : "class " + classId;
    }
    return CocoLabels.name(classId);
  }

  /** @return the lowest score of an output detection */
  public float scoreThreshold() {
    return scoreThreshold;
  }

  /** @return the duplicate suppressor in use (with this detector's score threshold) */
  DuplicateSuppressor suppressor() {
    return suppressor;
  }

  /** @return the session this detector runs (borrowed) */
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
  // Decoding (runs inside the session's post-processing stage; stateless, thread-safe)

  private Decoded decode(Outputs outputs, DecodeContext ctx) {
    Plan plan = plan(ctx.variant());
    DetrSignature sig = plan.signature();
    PreprocessTransform t = ctx.transform();
    long t0 = System.nanoTime();
    Candidates cands;
    try {
      cands = sig.layout() == DetrLayout.RAW ? decodeRaw(outputs, sig, t, plan) : decodeBaked(outputs, sig, t);
    } catch (IllegalArgumentException e) {
      throw new EdgeVisionException(
          ErrorCode.INVALID_OUTPUT,
          "cannot decode the " + sig.layout() + " outputs of " + ctx.model().name() + ": " + e.getMessage(),
          e);
    }
    long t1 = System.nanoTime();
    Detections list = cands.detections;
    int n = list.size();
    float[] xyxy = new float[4 * n];
    float[] scores = new float[n];
    int[] classIds = new int[n];
    int[] queries = new int[n];
    for (int i = 0; i < n; i++) {
      Detection d = list.get(i);
      d.box().toArray(xyxy, i);
      scores[i] = d.score();
      classIds[i] = d.classId();
      queries[i] = d.queryIndex();
    }
    SuppressionResult s = suppressor.suppress(xyxy, scores, classIds, queries, n);
    Filtered f =
        classes.length == 0
            ? new Filtered(s.detections(), s.suppressions())
            : filter(s.detections(), s.suppressions(), classSet);
    long t2 = System.nanoTime();
    return new Decoded(
        f.detections, f.suppressed, keepCandidates ? list : Detections.empty(),
        cands.invalid + s.invalidCount(), sig.layout(), t1 - t0, t2 - t1);
  }

  private record Candidates(Detections detections, int invalid) {}

  private Candidates decodeRaw(Outputs outputs, DetrSignature sig, PreprocessTransform t, Plan plan) {
    long[] shape = outputs.shape(sig.logits());
    checkOutput(shape.length == 3 && shape[0] == 1, "expected %s of shape [1, Q, C], got %s", sig.logits(), shape);
    int queries = (int) shape[1];
    float[] logits = outputs.floats(sig.logits());
    float[] boxes = outputs.floats(sig.boxes());
    checkOutput(
        boxes.length == 4 * queries,
        "expected %s to hold 4 values per query (Q = " + queries + "), got shape %s",
        sig.boxes(),
        outputs.shape(sig.boxes()));
    DetrPostprocessor.Builder pb =
        DetrPostprocessor.builder(t.tensorWidth(), t.tensorHeight())
            .decoding(decoding)
            .numSelect(numSelect)
            .scoreThreshold(scoreThreshold)
            .candidateThreshold(candidateThreshold);
    if (decoding == DetrDecoding.AUTO && !plan.labels().isEmpty()) {
      pb.numClasses(plan.labels().size());
    }
    BoxTransform toFrame = BoxTransform.of((float) t.scaleX(), (float) t.scaleY(), (float) t.padX(), (float) t.padY());
    if (clampToFrame) {
      toFrame = toFrame.withClamp(t.sourceWidth(), t.sourceHeight());
    }
    DetrResult r = pb.build().decode(logits, boxes, queries, toFrame);
    return new Candidates(r.detections(), r.invalidCount());
  }

  private Candidates decodeBaked(Outputs outputs, DetrSignature sig, PreprocessTransform t) {
    long[] labelShape = outputs.shape(sig.labels());
    checkOutput(labelShape.length == 2 && labelShape[0] == 1, "expected %s of shape [1, K], got %s",
        sig.labels(), labelShape);
    long[] labels = outputs.longs(sig.labels());
    float[] boxes = outputs.floats(sig.boxes());
    float[] scores = outputs.floats(sig.scores());
    int k = labels.length;
    checkOutput(scores.length == k, "expected %s to hold one score per label, got shape %s", sig.scores(),
        outputs.shape(sig.scores()));
    checkOutput(boxes.length == 4 * k, "expected %s to hold 4 values per label, got shape %s", sig.boxes(),
        outputs.shape(sig.boxes()));
    float cw = clampToFrame ? t.sourceWidth() : 0f;
    float ch = clampToFrame ? t.sourceHeight() : 0f;
    List<Detection> out = new ArrayList<>();
    int invalid = 0;
    float[] box = new float[4];
    for (int i = 0; i < k; i++) {
      float s = scores[i];
      if (!(s >= candidateThreshold)) {
        continue;
      }
      long label = labels[i];
      checkOutput(label >= 0 && label <= Integer.MAX_VALUE, "expected %s[%d] >= 0, got " + label, sig.labels(), i);
      System.arraycopy(boxes, 4 * i, box, 0, 4);
      if (cw > 0f) {
        box[0] = Math.min(Math.max(box[0], 0f), cw);
        box[2] = Math.min(Math.max(box[2], 0f), cw);
        box[1] = Math.min(Math.max(box[1], 0f), ch);
        box[3] = Math.min(Math.max(box[3], 0f), ch);
      }
      float w = box[2] - box[0];
      float h = box[3] - box[1];
      if (!(w > 0f && h > 0f && Float.isFinite(w) && Float.isFinite(h) && Float.isFinite(s))) {
        invalid++;
        continue;
      }
      out.add(new Detection(Box.fromArray(box, 0), (int) label, s, Detection.UNKNOWN_QUERY, List.of()));
    }
    out.sort((a, b) -> Float.compare(b.score(), a.score())); // stable: ties keep row order
    return new Candidates(Detections.of(out), invalid);
  }

  private static void checkOutput(boolean ok, String format, Object name, Object detail) {
    if (!ok) {
      Object d = detail instanceof long[] l ? Arrays.toString(l) : detail;
      throw new EdgeVisionException(ErrorCode.INVALID_OUTPUT, String.format(java.util.Locale.ROOT, format, name, d));
    }
  }

  /** Detections and report after a class filter. */
  record Filtered(Detections detections, List<Suppression> suppressed) {}

  /**
   * Keeps the detections whose class is in {@code keep}, and the report entries whose survivor was kept,
   * re-indexed to the kept list.
   */
  static Filtered filter(Detections detections, List<Suppression> suppressed, BitSet keep) {
    int[] newIndex = new int[detections.size()];
    List<Detection> out = new ArrayList<>();
    for (int i = 0; i < detections.size(); i++) {
      Detection d = detections.get(i);
      if (keep.get(d.classId())) {
        newIndex[i] = out.size();
        out.add(d);
      } else {
        newIndex[i] = -1;
      }
    }
    List<Suppression> report = new ArrayList<>();
    for (Suppression s : suppressed) {
      int ni = s.survivorIndex() < newIndex.length ? newIndex[s.survivorIndex()] : -1;
      if (ni >= 0) {
        report.add(new Suppression(s.candidateIndex(), s.suppressed(), ni, s.survivor(), s.rule(), s.metric(),
            s.overlap()));
      }
    }
    return new Filtered(Detections.of(out), report);
  }

  /** Builds an immutable {@link DetrDetector}; validates in {@link #build()}. Use from one thread. */
  public static final class Builder {
    private final InferenceSession session;
    private DetrLayout layout = DetrLayout.AUTO;
    private DetrDecoding decoding = DetrDecoding.AUTO;
    private int numSelect = DetrPostprocessor.DEFAULT_NUM_SELECT;
    private float scoreThreshold = DEFAULT_SCORE_THRESHOLD;
    private float candidateThreshold = DEFAULT_CANDIDATE_THRESHOLD;
    private DuplicateSuppressor suppressor = DuplicateSuppressor.defaults();
    private int[] classes = new int[0];
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
     * @param mode how raw logits are decoded (default {@link DetrDecoding#AUTO}); ignored for baked layouts
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
     * @param threshold the lowest score of a decoded candidate, in {@code [0, scoreThreshold]} (default 0.1)
     * @return this builder
     */
    public Builder candidateThreshold(float threshold) {
      candidateThreshold = threshold;
      return this;
    }

    /**
     * @param duplicateSuppressor the duplicate suppressor (its score threshold is replaced by this builder's);
     *     {@link DuplicateSuppressor#disabled()} keeps every candidate above the score threshold
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
     * @param clamp whether boxes are clamped to the frame (default true); false reproduces an export's own
     *     unclamped boxes exactly
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
     * @throws EdgeVisionException {@link ErrorCode#MODEL_DESCRIPTOR_MISMATCH} when a model is not a DETR-family
     *     export (the message says what was expected and what the model has)
     */
    public DetrDetector build() {
      // The postprocessor validates thresholds and numSelect with "expected X, got Y" messages.
      DetrPostprocessor.builder(1, 1)
          .numSelect(numSelect)
          .scoreThreshold(scoreThreshold)
          .candidateThreshold(candidateThreshold)
          .build();
      Map<String, Plan> plans = new LinkedHashMap<>();
      for (String variant : session.variantNames()) {
        ModelInfo m = session.model(variant);
        plans.put(variant, new Plan(DetrSignature.resolve(m, layout), m.descriptor().labels()));
      }
      return new DetrDetector(this, Map.copyOf(plans));
    }
  }
}
