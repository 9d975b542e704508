package io.edgevision.postprocess;

import io.edgevision.postprocess.internal.Checks;
import io.edgevision.postprocess.internal.Probabilities;
import java.util.Objects;

/**
 * Decodes the output of a single-head state classifier (one softmax over the joint classes of a
 * {@link LabelSchema}) into a {@link LightState}: state, confidence, and marginals {@code
 * P(colour)}, {@code P(arrow)}, {@code P(flashing)} summed over the joint classes.
 *
 * <p>Example:
 *
 * <pre>{@code
 * StateDecoder decoder = StateDecoder.builder(LabelSchema.read(schemaFile)).confidenceFloor(0.6f).build();
 * LightState s = decoder.decode(headOutput, ScoreKind.LOGITS);
 * if (s.isKnown() && s.colour() == Colour.RED && s.arrows().contains(Arrow.LEFT)) { ... }
 * }</pre>
 *
 * <p>Errors: a NaN or infinite input raises {@link IllegalArgumentException} naming its index,
 * never a state.
 *
 * <p>Defaults: {@link #DEFAULT_CONFIDENCE_FLOOR} 0.5: below it the best joint class is less likely
 * than all the others together, so no single state should be asserted.
 *
 * <p>Lifecycle: build once. Threading: immutable and thread-safe; each call allocates its result.
 */
public final class StateDecoder {
  /** Default confidence floor: below it the state is unknown. */
  public static final float DEFAULT_CONFIDENCE_FLOOR = 0.5f;

  private final LabelSchema schema;
  private final float confidenceFloor;

  private StateDecoder(LabelSchema schema, float confidenceFloor) {
    this.schema = schema;
    this.confidenceFloor = confidenceFloor;
  }

  /**
   * @param schema the joint classes of the head
   * @return a builder with default settings
   */
  public static Builder builder(LabelSchema schema) {
    return new Builder(Objects.requireNonNull(schema, "schema"));
  }

  /**
   * @return the schema
   */
  public LabelSchema schema() {
    return schema;
  }

  /**
   * @return the confidence floor
   */
  public float confidenceFloor() {
    return confidenceFloor;
  }

  /**
   * Decodes a whole vector of {@code schema().size()} values.
   *
   * @param values the head output
   * @param kind logits or probabilities
   * @return the state
   * @throws IllegalArgumentException when the length differs from the schema, a value is NaN or
   *     infinite, or probabilities are out of range
   */
  public LightState decode(float[] values, ScoreKind kind) {
    Checks.checkArgument(
        values.length == schema.size(),
        "expected %d values (one per schema class), got %d",
        schema.size(),
        values.length);
    return decode(values, 0, kind);
  }

  /**
   * Decodes {@code schema().size()} values starting at {@code offset} (e.g. one row of a batch).
   *
   * @param values the head outputs
   * @param offset the first value of this row
   * @param kind logits or probabilities
   * @return the state
   * @throws IllegalArgumentException when the row is out of bounds, a value is NaN or infinite, or
   *     probabilities are out of range
   */
  public LightState decode(float[] values, int offset, ScoreKind kind) {
    Objects.requireNonNull(kind, "kind");
    double[] p = new double[schema.size()];
    Probabilities.normalise(values, offset, schema.size(), kind, "values", p);
    return fromDistribution(p);
  }

  /**
   * Decodes the state of a DETR detection whose classes are the schema's joint classes: its label's
   * score and its alternatives' scores are taken as evidence over the joint classes and
   * renormalised.
   *
   * @param detection a detection from a detector trained on the schema's classes
   * @return the state
   * @throws IllegalArgumentException when a class index is outside the schema or all evidence is
   *     zero
   */
  public LightState decodeDetection(Detection detection) {
    double[] p = new double[schema.size()];
    add(p, detection.classId(), detection.score());
    for (LabelScore alternative : detection.alternatives()) {
      add(p, alternative.classId(), alternative.score());
    }
    double sum = 0;
    for (double v : p) {
      sum += v;
    }
    Checks.checkArgument(sum > 0, "expected positive label evidence, got a sum of %s", sum);
    for (int i = 0; i < p.length; i++) {
      p[i] /= sum;
    }
    return fromDistribution(p);
  }

  private void add(double[] p, int classId, float score) {
    Checks.checkArgument(
        classId < schema.size(),
        "expected a class index below %d (schema size), got %d",
        schema.size(),
        classId);
    Checks.checkArgument(score >= 0f, "expected a non-negative score, got %s", score);
    p[classId] = Math.max(p[classId], score);
  }

  /** Builds the state of a normalised distribution over the schema's classes. */
  LightState fromDistribution(double[] p) {
    int best = 0;
    for (int i = 1; i < p.length; i++) {
      if (p[i] > p[best]) {
        best = i;
      }
    }
    float[] probabilities = new float[p.length];
    double[] colours = new double[Colour.values().length];
    double[] arrows = new double[Arrow.values().length];
    double flashing = 0;
    for (int i = 0; i < p.length; i++) {
      StateClass c = schema.stateClass(i);
      probabilities[i] = (float) p[i];
      colours[c.colour().ordinal()] += p[i];
      for (Arrow a : c.arrows()) {
        arrows[a.ordinal()] += p[i];
      }
      if (c.flashing()) {
        flashing += p[i];
      }
    }
    float confidence = (float) p[best];
    return new LightState(
        confidence >= confidenceFloor,
        schema.stateClass(best),
        confidence,
        probabilities,
        toFloats(colours),
        toFloats(arrows),
        (float) flashing);
  }

  private static float[] toFloats(double[] d) {
    float[] f = new float[d.length];
    for (int i = 0; i < d.length; i++) {
      f[i] = (float) d[i];
    }
    return f;
  }

  /**
   * Builds an immutable {@link StateDecoder}; validates in {@link #build()}. Threading: use from
   * one thread.
   */
  public static final class Builder {
    private final LabelSchema schema;
    private float confidenceFloor = DEFAULT_CONFIDENCE_FLOOR;

    private Builder(LabelSchema schema) {
      this.schema = schema;
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
     * @return the decoder
     * @throws IllegalArgumentException when the floor is outside {@code [0, 1]}
     */
    public StateDecoder build() {
      Checks.checkUnit(confidenceFloor, "confidenceFloor");
      return new StateDecoder(schema, confidenceFloor);
    }
  }
}
