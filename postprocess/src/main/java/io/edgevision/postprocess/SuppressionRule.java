package io.edgevision.postprocess;

/**
 * The rule of the {@link DuplicateSuppressor} that removed a detection.
 *
 * <p>Threading: immutable constants.
 */
public enum SuppressionRule {
  /**
   * Rule 1: another label of the same DETR query. The survivor is the query's best label (or the
   * detection that absorbed it); the overlap is the IoU of the two boxes (1 for the same query's
   * identical boxes).
   */
  SAME_QUERY,
  /**
   * Rule 2: a different label on a near-identical box (IoU) or on a box nested in the survivor's
   * (IoMin), at a high overlap; its class evidence was folded into the survivor's alternatives.
   */
  CROSS_CLASS,
  /** Rule 3: ordinary per-class NMS, same label at a lower overlap. */
  PER_CLASS
}
