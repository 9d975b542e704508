package io.edgevision.postprocess;

import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * A decoded traffic-light state: the structured attributes of the most probable joint class, its
 * confidence, and the marginal probabilities of each colour, arrow and of flashing, summed over the
 * joint classes of the {@link LabelSchema}.
 *
 * <p>When the best class's probability is below the decoder's confidence floor the state is
 * <b>unknown</b>: {@link #isKnown()} is false, {@link #colour()} is {@link Colour#UNKNOWN}, {@link
 * #arrows()} is empty and {@link #classIndex()} is -1; the confidence, the best class and the
 * marginals are still reported.
 *
 * <p>Arrow marginals: {@code P(arrow)} sums the classes whose arrow set contains the arrow, so with
 * combined arrows (left + straight) the arrow marginals can sum to more than 1; colour marginals
 * always sum to 1.
 *
 * <p>Threading: immutable.
 */
public final class LightState {
  private final boolean known;
  private final int bestClass;
  private final StateClass best;
  private final float confidence;
  private final float[] probabilities;
  private final float[] colourMarginals;
  private final float[] arrowMarginals;
  private final float flashingProbability;

  LightState(
      boolean known,
      StateClass best,
      float confidence,
      float[] probabilities,
      float[] colourMarginals,
      float[] arrowMarginals,
      float flashingProbability) {
    this.known = known;
    this.bestClass = best.index();
    this.best = best;
    this.confidence = confidence;
    this.probabilities = probabilities;
    this.colourMarginals = colourMarginals;
    this.arrowMarginals = arrowMarginals;
    this.flashingProbability = flashingProbability;
  }

  /**
   * @return whether the best class reached the confidence floor
   */
  public boolean isKnown() {
    return known;
  }

  /**
   * @return the joint class index of the state, or -1 when unknown
   */
  public int classIndex() {
    return known ? bestClass : -1;
  }

  /**
   * @return the most probable joint class, reported even when the state is unknown
   */
  public StateClass bestClass() {
    return best;
  }

  /**
   * @return the state's name, or {@code "unknown"}
   */
  public String name() {
    return known ? best.name() : "unknown";
  }

  /**
   * @return the colour, {@link Colour#UNKNOWN} when the state is unknown
   */
  public Colour colour() {
    return known ? best.colour() : Colour.UNKNOWN;
  }

  /**
   * @return the arrows (unmodifiable), empty when the state is unknown
   */
  public Set<Arrow> arrows() {
    return known ? best.arrows() : Collections.unmodifiableSet(EnumSet.noneOf(Arrow.class));
  }

  /**
   * @return whether the state is flashing (false when unknown or when the schema has no flashing)
   */
  public boolean flashing() {
    return known && best.flashing();
  }

  /**
   * @return the probability of the best joint class
   */
  public float confidence() {
    return confidence;
  }

  /**
   * @return the number of joint classes of the schema the state was decoded with
   */
  public int classCount() {
    return probabilities.length;
  }

  /**
   * @param classIndex a joint class index, in {@code [0, classCount())}
   * @return its probability
   */
  public float probability(int classIndex) {
    return probabilities[classIndex];
  }

  /**
   * @param colour a colour
   * @return the marginal {@code P(colour)}
   */
  public float colourProbability(Colour colour) {
    return colourMarginals[colour.ordinal()];
  }

  /**
   * @param arrow an arrow
   * @return the marginal {@code P(arrow among the lit arrows)}
   */
  public float arrowProbability(Arrow arrow) {
    return arrowMarginals[arrow.ordinal()];
  }

  /**
   * @return the marginal probability of flashing (0 when the schema has no flashing)
   */
  public float flashingProbability() {
    return flashingProbability;
  }

  /**
   * Value equality: same known flag, best class, confidence, class probabilities, marginals and
   * flashing probability (floats compared as {@link Float#compare}, so NaN equals NaN).
   */
  @Override
  public boolean equals(Object o) {
    return o instanceof LightState s
        && known == s.known
        && best.equals(s.best)
        && Float.compare(confidence, s.confidence) == 0
        && Float.compare(flashingProbability, s.flashingProbability) == 0
        && Arrays.equals(probabilities, s.probabilities)
        && Arrays.equals(colourMarginals, s.colourMarginals)
        && Arrays.equals(arrowMarginals, s.arrowMarginals);
  }

  @Override
  public int hashCode() {
    int h = Boolean.hashCode(known);
    h = 31 * h + best.hashCode();
    h = 31 * h + Float.hashCode(confidence);
    h = 31 * h + Float.hashCode(flashingProbability);
    h = 31 * h + Arrays.hashCode(probabilities);
    h = 31 * h + Arrays.hashCode(colourMarginals);
    return 31 * h + Arrays.hashCode(arrowMarginals);
  }

  @Override
  public String toString() {
    return String.format(
        Locale.ROOT,
        "LightState{%s, colour=%s, arrows=%s, flashing=%s, confidence=%.4f, colours=%s, arrowsP=%s}",
        name(),
        colour(),
        arrows(),
        flashing(),
        confidence,
        Arrays.toString(colourMarginals),
        Arrays.toString(arrowMarginals));
  }
}
