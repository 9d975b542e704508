package io.edgevision.postprocess;

import java.util.Arrays;

/**
 * The outcome of one {@link Nms} run: the kept input indices in selection order (highest score
 * first), their scores (decayed scores for Soft-NMS), their boxes (the merged boxes for {@link
 * NmsStrategy#MERGE}, otherwise the input boxes; {@code x1, y1, x2, y2} in the input's coordinate
 * space) and how many invalid inputs were dropped.
 *
 * <p>Threading: immutable; accessors return copies of arrays.
 */
public final class NmsResult {
  private final int[] indices;
  private final float[] scores;
  private final float[] boxes;
  private final int invalidCount;

  NmsResult(int[] indices, float[] scores, float[] boxes, int invalidCount) {
    this.indices = indices;
    this.scores = scores;
    this.boxes = boxes;
    this.invalidCount = invalidCount;
  }

  /**
   * @return the number of kept boxes
   */
  public int size() {
    return indices.length;
  }

  /**
   * @return a copy of the kept input indices, in selection order
   */
  public int[] indices() {
    return indices.clone();
  }

  /**
   * @param k position in the result, {@code 0 <= k < size()}
   * @return the input index of the {@code k}-th kept box
   */
  public int index(int k) {
    return indices[k];
  }

  /**
   * @param k position in the result
   * @return the score of the {@code k}-th kept box (decayed for Soft-NMS)
   */
  public float score(int k) {
    return scores[k];
  }

  /**
   * @return a copy of the kept scores, in selection order
   */
  public float[] scores() {
    return scores.clone();
  }

  /**
   * @param k position in the result
   * @return the box of the {@code k}-th kept box (merged for MERGE)
   */
  public Box box(int k) {
    return Box.fromArray(boxes, k);
  }

  /**
   * @return a copy of the kept boxes, {@code 4 * size()} floats
   */
  public float[] boxes() {
    return boxes.clone();
  }

  /**
   * @return how many inputs were dropped before NMS because their box was degenerate (zero area,
   *     inverted) or non-finite, or their score was not finite
   */
  public int invalidCount() {
    return invalidCount;
  }

  /** Value equality: same kept indices, scores, boxes and invalid count. */
  @Override
  public boolean equals(Object o) {
    return o instanceof NmsResult r
        && invalidCount == r.invalidCount
        && java.util.Arrays.equals(indices, r.indices)
        && java.util.Arrays.equals(scores, r.scores)
        && java.util.Arrays.equals(boxes, r.boxes);
  }

  @Override
  public int hashCode() {
    return 31
            * (31 * (31 * invalidCount + java.util.Arrays.hashCode(indices))
                + java.util.Arrays.hashCode(scores))
        + java.util.Arrays.hashCode(boxes);
  }

  @Override
  public String toString() {
    return "NmsResult{indices=" + Arrays.toString(indices) + ", invalid=" + invalidCount + "}";
  }
}
