package io.edgevision.detectors.traffic;

/**
 * The output layout of a DETR-family ONNX export.
 *
 * <ul>
 *   <li>{@link #RAW}: {@code pred_logits [N, Q, C]} and {@code pred_boxes [N, Q, 4]} (normalised
 *       {@code cx, cy, w, h}); DINO, Deformable-DETR, DEIM raw. Decoded by the SDK (sigmoid top-k
 *       or softmax, see {@link io.edgevision.postprocess.DetrDecoding}).
 *   <li>{@link #BAKED}: the graph already ran its post-processor: {@code labels [N, K]} (integer),
 *       {@code boxes [N, K, 4]} ({@code x1, y1, x2, y2} pixels of the original frame) and {@code
 *       scores [N, K]}, with an integer {@code orig_target_sizes [N, 2]} input the session fills
 *       with the frame size; RT-DETR, D-FINE, DEIM exports.
 *   <li>{@link #AUTO}: detect from the IO signature ({@link DetrSignature#resolve}).
 * </ul>
 *
 * <p>Threading: immutable constants.
 */
public enum DetrLayout {
  /**
   * Detect the layout from the model's IO signature (and its {@code edgevision.output_layout}
   * hint).
   */
  AUTO,
  /** Raw logits and normalised boxes. */
  RAW,
  /** Post-processing baked into the graph, with a frame-size input. */
  BAKED
}
