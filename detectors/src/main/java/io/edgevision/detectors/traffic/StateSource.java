package io.edgevision.detectors.traffic;

/**
 * Where a {@link TrafficLight}'s state came from.
 *
 * <p>Threading: immutable constants.
 */
public enum StateSource {
  /**
   * No state: a generic (COCO) detector without a second-stage classifier knows only "traffic
   * light".
   */
  NONE,
  /**
   * The detector's own classes are the joint states of a label schema (single-head state decoding).
   */
  DETECTOR,
  /** The second-stage {@link StateClassifier} read the state from a crop of the light. */
  CLASSIFIER
}
