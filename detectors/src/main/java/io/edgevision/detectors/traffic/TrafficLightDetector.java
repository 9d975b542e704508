package io.edgevision.detectors.traffic;

import io.edgevision.core.Budget;
import io.edgevision.core.EdgeVisionException;
import io.edgevision.core.ErrorCode;
import io.edgevision.core.ImageFrame;
import io.edgevision.core.InferenceResult;
import io.edgevision.core.InferenceSession;
import io.edgevision.core.ModelInfo;
import io.edgevision.core.Ticker;
import io.edgevision.postprocess.Box;
import io.edgevision.postprocess.Detection;
import io.edgevision.postprocess.DuplicateSuppressor;
import io.edgevision.postprocess.LabelSchema;
import io.edgevision.postprocess.LightState;
import io.edgevision.postprocess.StateDecoder;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * <b>Read me first.</b> Detects traffic lights and their states in frames, within a latency budget,
 * free of DETR duplicates: the detectors module's traffic-light entry type.
 *
 * <h2>Example</h2>
 *
 * <pre>{@code
 * // femto by default, atto when the budget cannot fit femto (a real degradation ladder)
 * try (InferenceSession session = ModelCatalog.sessionBuilder(ModelCatalog.FEMTO, sharedModelsDir)
 *         .admission(AdmissionPolicy.DEGRADE).build()) {
 *   TrafficLightDetector detector = TrafficLightDetector.builder(session).build();    // share it
 *   TrafficLightResult r = detector.detect(frame, Budget.ofMillis(40));
 *   for (TrafficLight light : r.lights()) {
 *     light.box(); light.score(); light.state().map(LightState::colour); light.queryIndex();
 *   }
 *   r.suppressed();   // e.g. the "bird" and "person" readings folded into a light
 *   r.outcome();      // COMPLETED, DEGRADED (atto ran), REJECTED, CANCELLED
 * }
 * }</pre>
 *
 * <h2>Flow</h2>
 *
 * {@link DetrDetector} (layout from the IO signature, decode, duplicate suppression over <b>all</b>
 * classes) → keep the traffic-light classes → state: from the detector's classes when its model has
 * a label schema, and/or from the optional second-stage {@link StateClassifier} (one batched call
 * over padded crops; its state wins).
 *
 * <h2>Class handling, per model variant</h2>
 *
 * <ul>
 *   <li><b>Schema models</b> (descriptor key {@code edgevision.label_schema}, or {@link
 *       Builder#labelSchema}): every class is a joint light state; each light's state is decoded
 *       from its label and alternatives by the single-head {@link StateDecoder}.
 *   <li><b>Generic models</b>: the class named "traffic light" in the descriptor's labels, else
 *       COCO index {@value CocoLabels#TRAFFIC_LIGHT}; override with {@link Builder#classes}. No
 *       state without a second stage.
 * </ul>
 *
 * <h2>Budget</h2>
 *
 * The deadline is fixed when {@code detect} starts, on the detector session's {@link
 * InferenceSession#ticker() ticker} (the one clock of the call: the detector's decode timings and
 * the classifier's crop time are read from it too; give the classifier session the same ticker).
 * The detector session gets it as an absolute deadline (admission, degradation to a registered
 * variant, cancellation); the classifier gets what is left.
 *
 * <h2>Sliced inference</h2>
 *
 * Frames much larger than the model input (a 1920×1080 dashcam frame for a 320–416 px model, whose
 * 5–20 px lights the resize erases) run as overlapping tiles at the model's resolution plus a
 * full-frame pass, as one batch where the models' batch dimension is dynamic; tile boxes are mapped
 * back to frame pixels and merged across tiles (a light cut by a tile edge comes back as one box).
 * The budget decides how many tiles fit; a plan cut by it gives {@link
 * io.edgevision.core.Outcome#DEGRADED} and says why. See {@link Slicing} ({@link Builder#slicing},
 * default AUTO) and {@link TrafficLightResult#tiling()}.
 *
 * <h2>Lifecycle</h2>
 *
 * Borrows its sessions (detector and classifier) and never closes them: close them after the last
 * {@code detect} has returned. Nothing else to close.
 *
 * <h2>Threading</h2>
 *
 * Thread-safe: share one instance; the same frame from any number of threads gives identical lights
 * (tested with 8 threads, unsliced and sliced). The configuration is immutable; the only mutable
 * state is the sliced-inference cost estimate (an atomic running mean that only budgeted calls
 * read).
 *
 * <h2>Defaults</h2>
 *
 * Score threshold {@link DetrDetector#DEFAULT_SCORE_THRESHOLD} 0.3 (the low end of what works for
 * small lights with DEIMv2), candidate threshold 0.1, {@link DuplicateSuppressor#defaults()},
 * layout AUTO, no classifier, {@link StateDecoder#DEFAULT_CONFIDENCE_FLOOR}, {@link Slicing#auto()}
 * (a frame of at least 4× the model input's area runs as at most 8 tiles plus the full frame).
 */
public final class TrafficLightDetector {
  private final DetrDetector detr;
  private final @Nullable StateClassifier classifier;
  private final @Nullable LabelSchema explicitSchema;
  private final int[] explicitClasses;
  private final float confidenceFloor;
  private final Ticker ticker;
  private final Map<String, VariantClasses> variants;
  private final SlicedRunner slicer;

  /** Which classes are lights in one variant's model, and how their state is read. */
  private record VariantClasses(BitSet lightClasses, @Nullable StateDecoder stateDecoder) {}

  private TrafficLightDetector(Builder b, DetrDetector detr, Map<String, VariantClasses> variants) {
    this.detr = detr;
    classifier = b.classifier;
    explicitSchema = b.schema;
    explicitClasses = b.classes.clone();
    confidenceFloor = b.confidenceFloor;
    ticker = detr.session.ticker();
    this.variants = variants;
    slicer = new SlicedRunner(detr, b.slicing, ticker, detr.suppressor());
  }

  /**
   * @param session the DETR-family detector session (primary + optional cheaper variants), borrowed
   * @return a builder with the defaults above
   */
  public static Builder builder(InferenceSession session) {
    return new Builder(Objects.requireNonNull(session, "session"));
  }

  /**
   * @return a builder holding this configuration (same sessions)
   */
  public Builder toBuilder() {
    Builder b = new Builder(detr.session);
    b.detr = detr.toBuilder();
    b.classifier = classifier;
    b.schema = explicitSchema;
    b.classes = explicitClasses.clone();
    b.confidenceFloor = confidenceFloor;
    b.slicing = slicer.slicing();
    return b;
  }

  /**
   * @return the general detector this one runs; it keeps only each variant's light classes (the one
   *     class filter), so its detections are this detector's lights before state decoding
   */
  public DetrDetector detrDetector() {
    return detr;
  }

  /**
   * @return the detector session (borrowed)
   */
  public InferenceSession session() {
    return detr.session;
  }

  /**
   * The joint-state classes of a variant's model, when it is a schema model (see the class
   * Javadoc).
   *
   * @param variant {@link InferenceSession#PRIMARY} or a registered variant name
   * @return its label schema, or empty for a generic model (one "traffic light" class, no state)
   * @throws IllegalArgumentException for an unknown variant
   */
  public Optional<LabelSchema> labelSchema(String variant) {
    VariantClasses vc = variants.get(variant);
    if (vc == null) {
      throw new IllegalArgumentException("no variant '" + variant + "', have " + variants.keySet());
    }
    StateDecoder sd = vc.stateDecoder();
    return sd == null ? Optional.empty() : Optional.of(sd.schema());
  }

  /**
   * Detects the traffic lights of one frame.
   *
   * @param frame the frame
   * @param budget how long the whole call (detector and classifier) may take
   * @return the result (never null, also when the budget was missed)
   * @throws IllegalStateException when a session is closed
   * @throws EdgeVisionException {@link ErrorCode#BAD_INPUT} for a frame the model cannot take,
   *     {@link ErrorCode#INVALID_OUTPUT} for unusable outputs, {@link ErrorCode#NATIVE_FAILURE}
   *     when ONNX Runtime fails
   */
  public TrafficLightResult detect(ImageFrame frame, Budget budget) {
    Objects.requireNonNull(frame, "frame");
    Objects.requireNonNull(budget, "budget");
    Budget fixed =
        budget.isUnlimited() ? budget : Budget.deadline(budget.deadlineFrom(ticker.read()));
    SlicedRunner.Run run = slicer.detect(frame, fixed);
    // The detector keeps only this variant's light classes (its one class filter, after
    // suppression).
    DetectionResult d = run.result();
    if (!d.outcome().hasValue()) {
      return new TrafficLightResult(
          d.outcome(),
          List.of(),
          List.of(),
          d.variant(),
          d.timings(),
          d.fingerprint(),
          d.message(),
          d.deadlineMissed(),
          d.labels(),
          run.tiling());
    }
    VariantClasses vc = variants.get(d.variant());
    List<TrafficLight> lights = new ArrayList<>(d.detections().size());
    for (Detection det : d.detections()) {
      StateDecoder sd = vc.stateDecoder();
      String label =
          sd != null && det.classId() < sd.schema().size()
              ? sd.schema().stateClass(det.classId()).name()
              : d.labels().name(det.classId());
      TrafficLight light =
          new TrafficLight(
              det.box(),
              det.score(),
              det.classId(),
              label,
              Optional.empty(),
              StateSource.NONE,
              det.alternatives(),
              det.queryIndex());
      if (sd != null) {
        light =
            light.withState(
                sd.decodeDetection(withinSchema(det, sd.schema().size())), StateSource.DETECTOR);
      }
      lights.add(light);
    }
    DetectionTimings timings = d.timings();
    String message = d.message();
    StateClassifier c = classifier;
    if (c != null && !lights.isEmpty()) {
      List<Box> boxes = new ArrayList<>(lights.size()); // Stream.toList: Android API 34+
      lights.forEach(l -> boxes.add(l.box()));
      long t0 = ticker.read();
      InferenceResult<List<LightState>> states = c.classify(frame, boxes, fixed);
      long cropAndRun = ticker.read() - t0;
      long crop = Math.max(0, cropAndRun - states.timings().total().toNanos());
      timings = timings.withClassifier(states.timings(), crop);
      if (states.value().isPresent()) {
        List<LightState> s = states.get();
        for (int i = 0; i < lights.size(); i++) {
          lights.set(i, lights.get(i).withState(s.get(i), StateSource.CLASSIFIER));
        }
      } else {
        String why = "state classifier " + states.outcome() + ": " + states.message();
        message = message.isEmpty() ? why : message + "; " + why;
      }
    }
    return new TrafficLightResult(
        d.outcome(),
        lights,
        d.suppressed(),
        d.variant(),
        timings,
        d.fingerprint(),
        message,
        d.deadlineMissed(),
        d.labels(),
        run.tiling());
  }

  /** Drops alternatives outside the schema (a schema detector's labels are all inside it). */
  private static Detection withinSchema(Detection d, int size) {
    if (d.alternatives().stream().allMatch(a -> a.classId() < size)) {
      return d;
    }
    return new Detection(
        d.box(),
        d.classId(),
        d.score(),
        d.queryIndex(),
        d.alternatives().stream().filter(a -> a.classId() < size).collect(Collectors.toList()));
  }

  /**
   * Builds an immutable {@link TrafficLightDetector}; validates in {@link #build()}. Use from one
   * thread.
   */
  public static final class Builder {
    private final InferenceSession session;
    private DetrDetector.Builder detr;
    private @Nullable StateClassifier classifier;
    private @Nullable LabelSchema schema;
    private int[] classes = new int[0];
    private float confidenceFloor = StateDecoder.DEFAULT_CONFIDENCE_FLOOR;
    private Slicing slicing = Slicing.auto();

    private Builder(InferenceSession session) {
      this.session = session;
      this.detr = DetrDetector.builder(session);
    }

    /**
     * @param threshold the lowest score of a returned light, in {@code [0, 1]} (default 0.3)
     * @return this builder
     */
    public Builder scoreThreshold(float threshold) {
      detr.scoreThreshold(threshold);
      return this;
    }

    /**
     * @param threshold the lowest score of a decoded candidate (evidence for alternatives and
     *     suppression), in {@code [0, scoreThreshold]} (default 0.1)
     * @return this builder
     */
    public Builder candidateThreshold(float threshold) {
      detr.candidateThreshold(threshold);
      return this;
    }

    /**
     * @param suppressor the duplicate suppressor (default {@link DuplicateSuppressor#defaults()})
     * @return this builder
     */
    public Builder suppressor(DuplicateSuppressor suppressor) {
      detr.suppressor(suppressor);
      return this;
    }

    /**
     * @param layout {@link DetrLayout#AUTO} (default) or the layout to insist on
     * @return this builder
     */
    public Builder layout(DetrLayout layout) {
      detr.layout(layout);
      return this;
    }

    /**
     * @param clamp whether boxes are clamped to the frame (default true)
     * @return this builder
     */
    public Builder clampToFrame(boolean clamp) {
      detr.clampToFrame(clamp);
      return this;
    }

    /**
     * @param classIds the detector classes that are traffic lights, for every variant (default: by
     *     schema or label, see the class Javadoc)
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
     * @param labelSchema the joint state classes of the detector's head (default: each model's
     *     {@code edgevision.label_schema}, when present)
     * @return this builder
     */
    public Builder labelSchema(LabelSchema labelSchema) {
      schema = Objects.requireNonNull(labelSchema, "labelSchema");
      return this;
    }

    /**
     * @param floor below this joint-class probability a detector-decoded state is unknown (default
     *     0.5)
     * @return this builder
     */
    public Builder confidenceFloor(float floor) {
      confidenceFloor = floor;
      return this;
    }

    /**
     * @param stateClassifier a second stage run on every frame with lights (default none)
     * @return this builder
     */
    public Builder stateClassifier(StateClassifier stateClassifier) {
      classifier = Objects.requireNonNull(stateClassifier, "stateClassifier");
      return this;
    }

    /**
     * @param options sliced inference for frames much larger than the model input (default {@link
     *     Slicing#auto()}; {@link Slicing#off()} for one full-frame pass)
     * @return this builder
     */
    public Builder slicing(Slicing options) {
      slicing = Objects.requireNonNull(options, "options");
      return this;
    }

    /**
     * @return the detector
     * @throws IllegalArgumentException when a threshold is out of range or a schema is malformed
     * @throws EdgeVisionException {@link ErrorCode#MODEL_DESCRIPTOR_MISMATCH} when a model is not a
     *     DETR-family export, or a schema does not match its model
     */
    public TrafficLightDetector build() {
      Map<String, VariantClasses> vcs = new LinkedHashMap<>();
      Map<String, BitSet> lightClasses = new LinkedHashMap<>();
      for (String variant : session.variantNames()) {
        VariantClasses vc = resolve(session.model(variant));
        vcs.put(variant, vc);
        lightClasses.put(variant, vc.lightClasses());
      }
      DetrDetector d = detr.variantClasses(lightClasses).build();
      return new TrafficLightDetector(this, d, Map.copyOf(vcs));
    }

    private VariantClasses resolve(ModelInfo m) {
      LabelSchema s = schema;
      if (s == null) {
        String json = m.descriptor().extras().get(StateClassifier.LABEL_SCHEMA_KEY);
        s = json == null ? null : LabelSchema.parse(json);
      }
      BitSet lights = new BitSet();
      for (int c : classes) {
        lights.set(c);
      }
      StateDecoder decoder = null;
      if (s != null) {
        List<String> labels = m.descriptor().labels();
        if (!labels.isEmpty() && labels.size() != s.size()) {
          throw new EdgeVisionException(
              ErrorCode.MODEL_DESCRIPTOR_MISMATCH,
              "model "
                  + m.name()
                  + " has "
                  + labels.size()
                  + " labels but its label schema '"
                  + s.name()
                  + "' has "
                  + s.size()
                  + " classes");
        }
        decoder = StateDecoder.builder(s).confidenceFloor(confidenceFloor).build();
        if (classes.length == 0) {
          lights.set(0, s.size());
        }
      } else if (classes.length == 0) {
        int named = m.descriptor().labels().indexOf("traffic light");
        lights.set(named >= 0 ? named : CocoLabels.TRAFFIC_LIGHT);
      }
      return new VariantClasses(lights, decoder);
    }
  }
}
