package io.edgevision.detectors.traffic;

import io.edgevision.core.Budget;
import io.edgevision.core.DecodeContext;
import io.edgevision.core.EdgeVisionException;
import io.edgevision.core.ElementType;
import io.edgevision.core.ErrorCode;
import io.edgevision.core.ImageFrame;
import io.edgevision.core.ImageFrames;
import io.edgevision.core.InferenceResult;
import io.edgevision.core.InferenceSession;
import io.edgevision.core.ModelInfo;
import io.edgevision.core.OutputDecoder;
import io.edgevision.core.Outputs;
import io.edgevision.core.PixelFormat;
import io.edgevision.core.TensorInfo;
import io.edgevision.postprocess.Box;
import io.edgevision.postprocess.LabelSchema;
import io.edgevision.postprocess.LightState;
import io.edgevision.postprocess.ScoreKind;
import io.edgevision.postprocess.StateDecoder;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.opencv.core.Mat;
import org.opencv.core.Rect;

/**
 * A second-stage traffic-light state classifier: crops each detected light (with padding) out of
 * the frame, runs a small single-head classifier on all crops in <b>one batched call</b>, and
 * decodes each row with a {@link LabelSchema} into a {@link LightState} (colour, arrows, flashing
 * when the schema has it, confidence, marginals).
 *
 * <h2>Example</h2>
 *
 * <pre>{@code
 * InferenceSession cls = InferenceSession.builder(ModelSource.of(Path.of("light_state.onnx"))).build();
 * StateClassifier classifier = StateClassifier.builder(cls).padding(0.2f).build();   // schema from metadata
 * InferenceResult<List<LightState>> r = classifier.classify(frame, boxes, Budget.ofMillis(10));
 * // or: TrafficLightDetector.builder(detrSession).stateClassifier(classifier).build()
 * }</pre>
 *
 * <h2>Model contract</h2>
 *
 * One image input with a dynamic (or matching) batch dimension, preprocessed as its descriptor says
 * (every crop is resized to the same tensor size); one float output {@code [N, K]} with {@code K} =
 * the schema's size, logits (default) or probabilities. The schema comes from {@link
 * Builder#labelSchema}, else from the model's {@code edgevision.label_schema} descriptor key (ONNX
 * metadata or sidecar JSON).
 *
 * <h2>Lifecycle</h2>
 *
 * Borrows the session and never closes it; close the session after the last call has returned.
 *
 * <h2>Threading</h2>
 *
 * Immutable and thread-safe; each call allocates its crops.
 *
 * <h2>Defaults</h2>
 *
 * {@link #DEFAULT_PADDING} 0.15 of the box's width and height on each side (the housing around the
 * lamps gives the classifier context; boxes from DETR models are tight); {@link ScoreKind#LOGITS};
 * the model's only float output of rank 2; {@link StateDecoder#DEFAULT_CONFIDENCE_FLOOR}.
 */
public final class StateClassifier {
  /** Default padding added on each side of a box, as a fraction of its width (x) and height (y). */
  public static final float DEFAULT_PADDING = 0.15f;

  /** Descriptor key holding the label schema JSON. */
  public static final String LABEL_SCHEMA_KEY = "edgevision.label_schema";

  private final InferenceSession session;
  private final StateDecoder decoder;
  private final ScoreKind scoreKind;
  private final String outputName;
  private final float padding;
  private final @Nullable LabelSchema explicitSchema;
  private final float confidenceFloor;
  private final OutputDecoder<List<LightState>> outputDecoder = this::decode;

  private StateClassifier(Builder b, StateDecoder decoder, String outputName) {
    session = b.session;
    this.decoder = decoder;
    scoreKind = b.scoreKind;
    this.outputName = outputName;
    padding = b.padding;
    explicitSchema = b.schema;
    confidenceFloor = b.confidenceFloor;
  }

  /**
   * @param session the classifier model's session (borrowed)
   * @return a builder with the defaults above
   */
  public static Builder builder(InferenceSession session) {
    return new Builder(Objects.requireNonNull(session, "session"));
  }

  /**
   * @return a builder holding this configuration
   */
  public Builder toBuilder() {
    Builder b = new Builder(session);
    b.schema = explicitSchema;
    b.scoreKind = scoreKind;
    b.outputName = outputName;
    b.padding = padding;
    b.confidenceFloor = confidenceFloor;
    return b;
  }

  /**
   * @return the schema the classifier's rows are decoded with
   */
  public LabelSchema schema() {
    return decoder.schema();
  }

  /**
   * @return the padding fraction
   */
  public float padding() {
    return padding;
  }

  /**
   * Classifies the state of each box in one batched run.
   *
   * @param frame the frame the boxes are in
   * @param boxes boxes in pixels of {@code frame}, at least one
   * @param budget how long the call may take
   * @return one state per box, in order, when the outcome has a value
   * @throws IllegalArgumentException when {@code boxes} is empty
   * @throws EdgeVisionException {@link ErrorCode#BAD_INPUT} when the model cannot take the batch,
   *     {@link ErrorCode#INVALID_OUTPUT} when its output does not have one row of schema size per
   *     crop
   */
  public InferenceResult<List<LightState>> classify(
      ImageFrame frame, List<Box> boxes, Budget budget) {
    Objects.requireNonNull(frame, "frame");
    Objects.requireNonNull(budget, "budget");
    if (boxes.isEmpty()) {
      throw new IllegalArgumentException("expected at least one box, got none");
    }
    return session.runBatch(crop(frame, boxes, padding), budget, outputDecoder);
  }

  /**
   * The pixel rectangle cut for a box: the box grown by {@code padding} of its size on each side,
   * rounded outwards to whole pixels, clamped to the frame, at least 1×1.
   *
   * @param box a box in frame pixels
   * @param frameWidth frame width
   * @param frameHeight frame height
   * @param padding fraction of the box size added on each side
   * @return {@code {x, y, width, height}}
   */
  static int[] cropRect(Box box, int frameWidth, int frameHeight, float padding) {
    float px = padding * box.width();
    float py = padding * box.height();
    int x1 = clamp((int) Math.floor(box.x1() - px), 0, frameWidth - 1);
    int y1 = clamp((int) Math.floor(box.y1() - py), 0, frameHeight - 1);
    int x2 = clamp((int) Math.ceil(box.x2() + px), x1 + 1, frameWidth);
    int y2 = clamp((int) Math.ceil(box.y2() + py), y1 + 1, frameHeight);
    return new int[] {x1, y1, x2 - x1, y2 - y1};
  }

  private static int clamp(int v, int lo, int hi) {
    return Math.max(lo, Math.min(hi, v));
  }

  /** Cuts padded BGR crops (heap copies, so no native memory outlives the call). */
  static List<ImageFrame> crop(ImageFrame frame, List<Box> boxes, float padding) {
    Mat bgr = ImageFrames.toBgrMat(frame);
    try {
      List<ImageFrame> crops = new ArrayList<>(boxes.size());
      for (Box b : boxes) {
        int[] r = cropRect(b, frame.width(), frame.height(), padding);
        Mat sub = bgr.submat(new Rect(r[0], r[1], r[2], r[3]));
        try {
          byte[] bytes = new byte[r[2] * r[3] * 3];
          Mat packed = sub.clone();
          try {
            packed.get(0, 0, bytes);
          } finally {
            packed.release();
          }
          crops.add(ImageFrame.wrap(ByteBuffer.wrap(bytes), r[2], r[3], PixelFormat.BGR));
        } finally {
          sub.release();
        }
      }
      return crops;
    } finally {
      bgr.release();
    }
  }

  private List<LightState> decode(Outputs outputs, DecodeContext ctx) {
    long[] shape = outputs.shape(outputName);
    int k = decoder.schema().size();
    int n = ctx.transforms().size();
    if (shape.length != 2 || shape[0] != n || shape[1] != k) {
      throw new EdgeVisionException(
          ErrorCode.INVALID_OUTPUT,
          "expected "
              + outputName
              + " of shape ["
              + n
              + ", "
              + k
              + "] (one row of schema size per crop), got "
              + Arrays.toString(shape));
    }
    float[] values = outputs.floats(outputName);
    List<LightState> states = new ArrayList<>(n);
    try {
      for (int i = 0; i < n; i++) {
        states.add(decoder.decode(values, i * k, scoreKind));
      }
    } catch (IllegalArgumentException e) {
      throw new EdgeVisionException(
          ErrorCode.INVALID_OUTPUT,
          "cannot decode " + outputName + " as " + scoreKind + ": " + e.getMessage(),
          e);
    }
    return List.copyOf(states);
  }

  /**
   * Builds an immutable {@link StateClassifier}; validates in {@link #build()}. Use from one
   * thread.
   */
  public static final class Builder {
    private final InferenceSession session;
    private @Nullable LabelSchema schema;
    private ScoreKind scoreKind = ScoreKind.LOGITS;
    private @Nullable String outputName;
    private float padding = DEFAULT_PADDING;
    private float confidenceFloor = StateDecoder.DEFAULT_CONFIDENCE_FLOOR;

    private Builder(InferenceSession session) {
      this.session = session;
    }

    /**
     * @param labelSchema the joint classes of the head, in output order (default: the model's
     *     {@code edgevision.label_schema})
     * @return this builder
     */
    public Builder labelSchema(LabelSchema labelSchema) {
      schema = Objects.requireNonNull(labelSchema, "labelSchema");
      return this;
    }

    /**
     * @param kind whether the head outputs logits (default) or probabilities
     * @return this builder
     */
    public Builder scoreKind(ScoreKind kind) {
      scoreKind = Objects.requireNonNull(kind, "kind");
      return this;
    }

    /**
     * @param name the state output (default: the model's only float rank-2 output)
     * @return this builder
     */
    public Builder outputName(String name) {
      outputName = Objects.requireNonNull(name, "name");
      return this;
    }

    /**
     * @param fraction padding on each side as a fraction of the box size, in {@code [0, 2]}
     *     (default 0.15)
     * @return this builder
     */
    public Builder padding(float fraction) {
      padding = fraction;
      return this;
    }

    /**
     * @param floor below this best-class probability the state is unknown, in {@code [0, 1]}
     *     (default 0.5)
     * @return this builder
     */
    public Builder confidenceFloor(float floor) {
      confidenceFloor = floor;
      return this;
    }

    /**
     * @return the classifier
     * @throws IllegalArgumentException when the padding or floor is out of range, or the schema is
     *     malformed
     * @throws EdgeVisionException {@link ErrorCode#MODEL_DESCRIPTOR_MISMATCH} when no schema is
     *     given or found, or the model has no suitable output
     */
    public StateClassifier build() {
      if (!(padding >= 0f && padding <= 2f)) {
        throw new IllegalArgumentException("expected padding in [0, 2], got " + padding);
      }
      ModelInfo m = session.model();
      LabelSchema s = schema;
      if (s == null) {
        String json = m.descriptor().extras().get(LABEL_SCHEMA_KEY);
        if (json == null) {
          throw new EdgeVisionException(
              ErrorCode.MODEL_DESCRIPTOR_MISMATCH,
              "state classifier "
                  + m.name()
                  + " has no "
                  + LABEL_SCHEMA_KEY
                  + " in its metadata or sidecar; pass Builder.labelSchema(...)");
        }
        s = LabelSchema.parse(json);
      }
      String out = outputName;
      if (out == null) {
        List<TensorInfo> candidates =
            m.outputs().stream()
                .filter(t -> t.type() == ElementType.FLOAT32 && t.rank() == 2)
                .collect(Collectors.toList());
        if (candidates.size() != 1) {
          throw new EdgeVisionException(
              ErrorCode.MODEL_DESCRIPTOR_MISMATCH,
              "expected state classifier "
                  + m.name()
                  + " to have exactly one float [N, K] output (or name it), got outputs "
                  + m.outputs());
        }
        out = candidates.get(0).name();
      }
      String name = out;
      TensorInfo t =
          m.output(name)
              .orElseThrow(
                  () ->
                      new EdgeVisionException(
                          ErrorCode.MODEL_DESCRIPTOR_MISMATCH,
                          "state classifier "
                              + m.name()
                              + " has no output '"
                              + name
                              + "', got "
                              + m.outputs()));
      if (t.rank() != 2 || (!t.isDynamic(1) && t.dim(1) != s.size())) {
        throw new EdgeVisionException(
            ErrorCode.MODEL_DESCRIPTOR_MISMATCH,
            "expected output "
                + t
                + " to be [N, "
                + s.size()
                + "] for schema '"
                + s.name()
                + "' ("
                + s.size()
                + " classes)");
      }
      StateDecoder d = StateDecoder.builder(s).confidenceFloor(confidenceFloor).build();
      return new StateClassifier(this, d, name);
    }
  }
}
