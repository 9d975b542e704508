package io.edgevision.postprocess;

/**
 * Which member of the NMS family {@link Nms#apply} runs, chosen at run time.
 *
 * <p>Threading: immutable constants.
 */
public enum NmsStrategy {
  /** No suppression: every valid box above the score threshold is kept, highest score first. */
  NONE,
  /**
   * Greedy hard NMS (torchvision semantics): highest score first, suppress every remaining box
   * whose overlap with a kept box is <b>greater than</b> the threshold. With {@link
   * OverlapMetric#DIOU} this is DIoU-NMS.
   */
  HARD,
  /** Soft-NMS, OpenCV semantics: {@code s *= 1 - overlap} when {@code overlap > threshold}. */
  SOFT_LINEAR,
  /** Soft-NMS, OpenCV semantics: {@code s *= exp(-overlap² / sigma)} for every remaining box. */
  SOFT_GAUSSIAN,
  /**
   * Weighted box merge: greedy clusters (a leader plus every remaining box overlapping it above the
   * threshold); the cluster's box is the score-weighted mean of its members, its score the
   * leader's.
   */
  MERGE
}
