package io.edgevision.postprocess;

import io.edgevision.postprocess.internal.Checks;
import io.edgevision.postprocess.internal.Probabilities;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Adapts a legacy multi-head state classifier (separate colour and arrow heads, optionally a binary
 * flashing head) to a {@link LabelSchema}: the joint probability of each schema class is the
 * product of its head probabilities, renormalised over the schema's classes, then decoded by the
 * {@link StateDecoder} exactly like a single head. Combinations the schema does not list have no
 * slot, so they can never be output.
 *
 * <p>Example:
 *
 * <pre>{@code
 * MultiHeadAdapter adapter = MultiHeadAdapter.builder(decoder)
 *     .colourHead(List.of(Colour.RED, Colour.YELLOW, Colour.GREEN, Colour.OFF))
 *     .arrowHead(List.of(Set.of(Arrow.NONE), Set.of(Arrow.LEFT), Set.of(Arrow.RIGHT)))
 *     .build();
 * LightState s = adapter.decode(colourLogits, arrowLogits, ScoreKind.LOGITS);
 * }</pre>
 *
 * <p>Every schema class's colour and arrow set must be a label of the corresponding head (checked
 * in {@link Builder#build()}); a flashing head is required exactly when the schema has flashing.
 *
 * <p>Threading: immutable and thread-safe; each call allocates its result.
 */
public final class MultiHeadAdapter {
  private final StateDecoder decoder;
  private final int colourCount;
  private final int arrowCount;
  private final int[] colourOf;
  private final int[] arrowOf;
  private final boolean flashingHead;

  private MultiHeadAdapter(
      StateDecoder decoder,
      int colourCount,
      int arrowCount,
      int[] colourOf,
      int[] arrowOf,
      boolean flashingHead) {
    this.decoder = decoder;
    this.colourCount = colourCount;
    this.arrowCount = arrowCount;
    this.colourOf = colourOf;
    this.arrowOf = arrowOf;
    this.flashingHead = flashingHead;
  }

  /**
   * @param decoder the single-head decoder (schema and confidence floor) to produce states with
   * @return a builder
   */
  public static Builder builder(StateDecoder decoder) {
    return new Builder(Objects.requireNonNull(decoder, "decoder"));
  }

  /**
   * The joint distribution over the schema's classes, for heads without flashing.
   *
   * @param colourValues the colour head output, one value per colour label
   * @param arrowValues the arrow head output, one value per arrow label
   * @param kind logits (softmax per head) or probabilities (per head)
   * @return one probability per schema class, summing to 1
   * @throws IllegalArgumentException for wrong lengths, NaN or infinite values (naming the index),
   *     or heads that give every valid combination zero probability
   * @throws IllegalStateException when the adapter was built with a flashing head
   */
  public float[] jointProbabilities(float[] colourValues, float[] arrowValues, ScoreKind kind) {
    if (flashingHead) {
      throw new IllegalStateException(
          "expected a flashing value: this adapter has a flashing head");
    }
    return toFloats(joint(colourValues, arrowValues, Float.NaN, kind));
  }

  /**
   * Decodes heads without flashing.
   *
   * @param colourValues the colour head output
   * @param arrowValues the arrow head output
   * @param kind logits or probabilities
   * @return the state
   * @throws IllegalArgumentException for wrong lengths, non-finite values, or zero joint mass
   * @throws IllegalStateException when the adapter was built with a flashing head
   */
  public LightState decode(float[] colourValues, float[] arrowValues, ScoreKind kind) {
    if (flashingHead) {
      throw new IllegalStateException(
          "expected a flashing value: this adapter has a flashing head");
    }
    return decoder.fromDistribution(joint(colourValues, arrowValues, Float.NaN, kind));
  }

  /**
   * Decodes heads with a binary flashing head.
   *
   * @param colourValues the colour head output
   * @param arrowValues the arrow head output
   * @param flashingValue the flashing head output: a logit (sigmoid applied) or a probability, per
   *     {@code kind}
   * @param kind logits or probabilities, for all heads
   * @return the state
   * @throws IllegalArgumentException for wrong lengths, non-finite values, or zero joint mass
   * @throws IllegalStateException when the adapter was built without a flashing head
   */
  public LightState decode(
      float[] colourValues, float[] arrowValues, float flashingValue, ScoreKind kind) {
    if (!flashingHead) {
      throw new IllegalStateException(
          "expected no flashing value: this adapter has no flashing head");
    }
    return decoder.fromDistribution(joint(colourValues, arrowValues, flashingValue, kind));
  }

  private double[] joint(
      float[] colourValues, float[] arrowValues, float flashingValue, ScoreKind kind) {
    Objects.requireNonNull(kind, "kind");
    Checks.checkArgument(
        colourValues.length == colourCount,
        "expected %d colour values, got %d",
        colourCount,
        colourValues.length);
    Checks.checkArgument(
        arrowValues.length == arrowCount,
        "expected %d arrow values, got %d",
        arrowCount,
        arrowValues.length);
    double[] pc = new double[colourCount];
    double[] pa = new double[arrowCount];
    Probabilities.normalise(colourValues, 0, colourCount, kind, "colourValues", pc);
    Probabilities.normalise(arrowValues, 0, arrowCount, kind, "arrowValues", pa);
    double pf = 0;
    if (flashingHead) {
      Checks.checkArgument(
          Float.isFinite(flashingValue),
          "flashingValue: expected a finite value, got %s",
          flashingValue);
      if (kind == ScoreKind.LOGITS) {
        pf = 1.0 / (1.0 + Math.exp(-flashingValue));
      } else {
        Checks.checkUnit(flashingValue, "flashingValue");
        pf = flashingValue;
      }
    }
    LabelSchema schema = decoder.schema();
    double[] p = new double[schema.size()];
    double sum = 0;
    for (int j = 0; j < p.length; j++) {
      double v = pc[colourOf[j]] * pa[arrowOf[j]];
      if (flashingHead) {
        v *= schema.stateClass(j).flashing() ? pf : 1 - pf;
      }
      p[j] = v;
      sum += v;
    }
    Checks.checkArgument(
        sum > 0,
        "expected the heads to give some valid schema combination a non-zero probability, got %s",
        sum);
    for (int j = 0; j < p.length; j++) {
      p[j] /= sum;
    }
    return p;
  }

  private static float[] toFloats(double[] d) {
    float[] f = new float[d.length];
    for (int i = 0; i < d.length; i++) {
      f[i] = (float) d[i];
    }
    return f;
  }

  /**
   * Builds an immutable {@link MultiHeadAdapter}; validates in {@link #build()}. Use from one
   * thread.
   */
  public static final class Builder {
    private final StateDecoder decoder;
    private List<Colour> colourHead = List.of();
    private List<Set<Arrow>> arrowHead = List.of();
    private boolean flashingHead;

    private Builder(StateDecoder decoder) {
      this.decoder = decoder;
    }

    /**
     * @param labels the colour head's labels, in output order, unique
     * @return this builder
     */
    public Builder colourHead(List<Colour> labels) {
      colourHead = List.copyOf(labels);
      return this;
    }

    /**
     * @param labels the arrow head's labels (an arrow set per output, {@code {NONE}} for no arrow),
     *     unique
     * @return this builder
     */
    public Builder arrowHead(List<? extends Set<Arrow>> labels) {
      List<Set<Arrow>> copy = new ArrayList<>();
      for (Set<Arrow> s : labels) {
        Checks.checkArgument(!s.isEmpty(), "expected non-empty arrow sets, got %s", s);
        copy.add(Collections.unmodifiableSet(EnumSet.copyOf(s)));
      }
      arrowHead = List.copyOf(copy);
      return this;
    }

    /**
     * @param present whether a binary flashing head exists (required exactly when the schema has
     *     flashing)
     * @return this builder
     */
    public Builder flashingHead(boolean present) {
      flashingHead = present;
      return this;
    }

    /**
     * @return the adapter
     * @throws IllegalArgumentException when a head is empty or repeats a label, a schema class's
     *     colour or arrows are not a head label, or the flashing head does not match the schema
     */
    public MultiHeadAdapter build() {
      Checks.checkArgument(!colourHead.isEmpty(), "expected colour head labels, got %d", 0);
      Checks.checkArgument(!arrowHead.isEmpty(), "expected arrow head labels, got %d", 0);
      Checks.checkArgument(
          new HashSet<>(colourHead).size() == colourHead.size(),
          "expected unique colour labels, got %s",
          colourHead);
      Checks.checkArgument(
          new HashSet<>(arrowHead).size() == arrowHead.size(),
          "expected unique arrow labels, got %s",
          arrowHead);
      LabelSchema schema = decoder.schema();
      Checks.checkArgument(
          flashingHead == schema.hasFlashing(),
          "expected flashingHead(%s) to match the schema's flashing attribute",
          schema.hasFlashing());
      int[] colourOf = new int[schema.size()];
      int[] arrowOf = new int[schema.size()];
      for (StateClass c : schema.classes()) {
        colourOf[c.index()] = colourHead.indexOf(c.colour());
        arrowOf[c.index()] = arrowHead.indexOf(c.arrows());
        Checks.checkArgument(
            colourOf[c.index()] >= 0,
            "expected colour %s of class \"%s\" among the colour head labels",
            c.colour(),
            c.name());
        Checks.checkArgument(
            arrowOf[c.index()] >= 0,
            "expected arrows %s of class \"%s\" among the arrow head labels",
            c.arrows(),
            c.name());
      }
      return new MultiHeadAdapter(
          decoder, colourHead.size(), arrowHead.size(), colourOf, arrowOf, flashingHead);
    }
  }
}
