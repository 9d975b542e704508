package io.edgevision.detectors.traffic;

import io.edgevision.postprocess.Box;
import io.edgevision.postprocess.LabelScore;
import io.edgevision.postprocess.LightState;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One detected traffic light.
 *
 * <p>Threading: immutable.
 *
 * @param box the box, {@code x1, y1, x2, y2} in pixels of the original frame
 * @param score the detector's score for {@code classId}
 * @param classId the detector's 0-based class (9 for COCO models; a joint state class for schema
 *     models)
 * @param label the class's name ("traffic light", or the schema class name such as "red_left")
 * @param state colour, arrows, flashing (when the schema has it), confidence and marginals; empty
 *     when no state is known ({@link StateSource#NONE})
 * @param stateSource where the state came from
 * @param alternatives the other labels the duplicate suppressor folded into this light, best first
 *     (for a COCO model on COCO 359: bird 0.18, person 0.17, teddy bear 0.15)
 * @param queryIndex the DETR query that produced it, or -1 when unknown (baked layouts)
 */
public record TrafficLight(
    Box box,
    float score,
    int classId,
    String label,
    Optional<LightState> state,
    StateSource stateSource,
    List<LabelScore> alternatives,
    int queryIndex) {
  /**
   * Validates and copies.
   *
   * @throws IllegalArgumentException when the state and its source disagree
   */
  public TrafficLight {
    Objects.requireNonNull(box, "box");
    Objects.requireNonNull(label, "label");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(stateSource, "stateSource");
    alternatives = List.copyOf(alternatives);
    if (state.isPresent() == (stateSource == StateSource.NONE)) {
      throw new IllegalArgumentException(
          "expected a state exactly when the source is not NONE, got source "
              + stateSource
              + " and "
              + (state.isPresent() ? "a state" : "no state"));
    }
  }

  /**
   * @return this light with a state from {@code source}
   */
  TrafficLight withState(LightState s, StateSource source) {
    return new TrafficLight(
        box, score, classId, label, Optional.of(s), source, alternatives, queryIndex);
  }
}
