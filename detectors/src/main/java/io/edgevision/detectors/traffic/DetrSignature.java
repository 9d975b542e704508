package io.edgevision.detectors.traffic;

import io.edgevision.core.EdgeVisionException;
import io.edgevision.core.ElementType;
import io.edgevision.core.ErrorCode;
import io.edgevision.core.ModelInfo;
import io.edgevision.core.TensorInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Which outputs of a DETR-family model hold what, resolved once per model from its IO signature.
 *
 * <p>Resolution ({@link #resolve(ModelInfo, DetrLayout)}), first match wins:
 *
 * <ol>
 *   <li>An explicit layout ({@link DetrLayout#RAW} / {@link DetrLayout#BAKED}) from the caller,
 *       else the descriptor hint {@code edgevision.output_layout} = {@code detr_raw} / {@code
 *       detr_baked}.
 *   <li>By name: float outputs {@code pred_logits} and {@code pred_boxes} → raw; an integer {@code
 *       labels}, float {@code boxes} and float {@code scores} → baked.
 *   <li>By shape: an integer rank-2 output plus a float rank-3 output ending in 4 and a float
 *       rank-2 output → baked; exactly two float rank-3 outputs, one ending in 4 → raw (when both
 *       end in 4, the first is taken as logits).
 * </ol>
 *
 * A baked model must also have an integer rank-2 input besides the image (the {@code
 * orig_target_sizes} the session fills with the frame size): without it the graph's boxes are in
 * unknown units.
 *
 * <p>Threading: immutable.
 *
 * @param layout {@link DetrLayout#RAW} or {@link DetrLayout#BAKED}, never AUTO
 * @param logits the raw logits output ({@code ""} for baked)
 * @param boxes the boxes output
 * @param labels the baked labels output ({@code ""} for raw)
 * @param scores the baked scores output ({@code ""} for raw)
 */
public record DetrSignature(
    DetrLayout layout, String logits, String boxes, String labels, String scores) {
  /** Raw-layout output names of DINO-style exports. */
  public static final String PRED_LOGITS = "pred_logits";

  /** Raw-layout box output name. */
  public static final String PRED_BOXES = "pred_boxes";

  /**
   * Validates the names for the layout.
   *
   * @throws IllegalArgumentException when the layout is AUTO or a name it needs is empty
   */
  public DetrSignature {
    Objects.requireNonNull(layout, "layout");
    Objects.requireNonNull(logits, "logits");
    Objects.requireNonNull(boxes, "boxes");
    Objects.requireNonNull(labels, "labels");
    Objects.requireNonNull(scores, "scores");
    if (layout == DetrLayout.AUTO) {
      throw new IllegalArgumentException("expected a resolved layout (RAW or BAKED), got AUTO");
    }
    if (boxes.isEmpty()
        || (layout == DetrLayout.RAW && logits.isEmpty())
        || (layout == DetrLayout.BAKED && (labels.isEmpty() || scores.isEmpty()))) {
      throw new IllegalArgumentException(
          "expected every output name the " + layout + " layout needs, got " + this);
    }
  }

  /**
   * Resolves the signature of a loaded model.
   *
   * @param model the model (from {@code InferenceSession.model(variant)})
   * @param requested AUTO to detect, or the layout to insist on
   * @return the signature
   * @throws EdgeVisionException {@link ErrorCode#MODEL_DESCRIPTOR_MISMATCH} when the model's
   *     outputs (or, for baked, its inputs) do not fit a DETR layout; the message lists what was
   *     expected and what the model has
   */
  public static DetrSignature resolve(ModelInfo model, DetrLayout requested) {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(requested, "requested");
    DetrLayout layout = requested;
    if (layout == DetrLayout.AUTO) {
      Optional<String> hint =
          model.descriptor().outputLayout().map(h -> h.trim().toLowerCase(Locale.ROOT));
      if (hint.isPresent() && hint.get().equals("detr_raw")) {
        layout = DetrLayout.RAW;
      } else if (hint.isPresent() && hint.get().equals("detr_baked")) {
        layout = DetrLayout.BAKED;
      }
    }
    List<TensorInfo> outs = model.outputs();
    if (layout == DetrLayout.AUTO || layout == DetrLayout.RAW) {
      Optional<DetrSignature> raw = rawByName(model).or(() -> rawByShape(outs));
      if (raw.isPresent()) {
        return raw.get();
      }
      if (layout == DetrLayout.RAW) {
        throw mismatch(
            model, "the raw DETR layout: float pred_logits [N, Q, C] and pred_boxes [N, Q, 4]");
      }
    }
    Optional<DetrSignature> baked = bakedByName(model).or(() -> bakedByShape(outs));
    if (baked.isEmpty()) {
      throw mismatch(
          model,
          layout == DetrLayout.BAKED
              ? "the baked DETR layout: integer labels [N, K], float boxes [N, K, 4], float scores [N, K]"
              : "a DETR-family layout: raw (float pred_logits [N, Q, C] + pred_boxes [N, Q, 4]) or baked"
                  + " (integer labels [N, K] + float boxes [N, K, 4] + float scores [N, K], with an"
                  + " orig_target_sizes input)");
    }
    boolean hasSizeInput =
        model.inputs().stream().anyMatch(t -> isInteger(t.type()) && t.rank() == 2);
    if (!hasSizeInput) {
      throw mismatch(
          model,
          "an integer orig_target_sizes [N, 2] input for the baked layout (its boxes are scaled by it)");
    }
    return baked.get();
  }

  private static Optional<DetrSignature> rawByName(ModelInfo m) {
    Optional<TensorInfo> l = m.output(PRED_LOGITS);
    Optional<TensorInfo> b = m.output(PRED_BOXES);
    if (l.isPresent() && b.isPresent() && isFloat3(l.get()) && isBoxes(b.get())) {
      return Optional.of(new DetrSignature(DetrLayout.RAW, PRED_LOGITS, PRED_BOXES, "", ""));
    }
    return Optional.empty();
  }

  private static Optional<DetrSignature> rawByShape(List<TensorInfo> outs) {
    List<TensorInfo> f3 = new ArrayList<>();
    for (TensorInfo t : outs) {
      if (isFloat3(t)) {
        f3.add(t);
      }
    }
    if (f3.size() != 2 || outs.stream().anyMatch(t -> isInteger(t.type()))) {
      return Optional.empty();
    }
    TensorInfo a = f3.get(0);
    TensorInfo b = f3.get(1);
    if (isBoxes(b)) {
      return Optional.of(new DetrSignature(DetrLayout.RAW, a.name(), b.name(), "", ""));
    }
    if (isBoxes(a)) {
      return Optional.of(new DetrSignature(DetrLayout.RAW, b.name(), a.name(), "", ""));
    }
    return Optional.empty();
  }

  private static Optional<DetrSignature> bakedByName(ModelInfo m) {
    Optional<TensorInfo> l = m.output("labels");
    Optional<TensorInfo> b = m.output("boxes");
    Optional<TensorInfo> s = m.output("scores");
    if (l.isPresent()
        && b.isPresent()
        && s.isPresent()
        && isInteger(l.get().type())
        && isBoxes(b.get())
        && s.get().type() == ElementType.FLOAT32) {
      return Optional.of(new DetrSignature(DetrLayout.BAKED, "", "boxes", "labels", "scores"));
    }
    return Optional.empty();
  }

  private static Optional<DetrSignature> bakedByShape(List<TensorInfo> outs) {
    TensorInfo labels = null;
    TensorInfo boxes = null;
    TensorInfo scores = null;
    for (TensorInfo t : outs) {
      if (labels == null && isInteger(t.type()) && t.rank() == 2) {
        labels = t;
      } else if (boxes == null && isBoxes(t)) {
        boxes = t;
      } else if (scores == null && t.type() == ElementType.FLOAT32 && t.rank() == 2) {
        scores = t;
      }
    }
    if (labels == null || boxes == null || scores == null) {
      return Optional.empty();
    }
    return Optional.of(
        new DetrSignature(DetrLayout.BAKED, "", boxes.name(), labels.name(), scores.name()));
  }

  private static boolean isFloat3(TensorInfo t) {
    return t.type() == ElementType.FLOAT32 && t.rank() == 3;
  }

  private static boolean isBoxes(TensorInfo t) {
    return isFloat3(t) && (t.isDynamic(2) || t.dim(2) == 4);
  }

  private static boolean isInteger(ElementType t) {
    return t == ElementType.INT64 || t == ElementType.INT32;
  }

  private static EdgeVisionException mismatch(ModelInfo m, String expected) {
    return new EdgeVisionException(
        ErrorCode.MODEL_DESCRIPTOR_MISMATCH,
        "model "
            + m.name()
            + " does not look like a DETR-family detector: expected "
            + expected
            + "; got inputs "
            + m.inputs()
            + ", outputs "
            + m.outputs());
  }
}
