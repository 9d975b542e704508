package io.edgevision.postprocess;

import io.edgevision.postprocess.internal.Checks;

/**
 * How raw DETR-family class outputs ({@code [Q][C']} logits, {@code C'} columns per query) become
 * scored labels.
 *
 * <p>Baked layouts (RT-DETR / D-FINE / DEIM exports that already output {@code labels}, {@code
 * boxes}, {@code scores}) need no activation: they are {@link #BAKED}, selected by calling {@link
 * DetrPostprocessor#processBaked} (three tensors, integer labels) instead of {@link
 * DetrPostprocessor#process} (two float tensors).
 *
 * <p><b>The {@link #AUTO} rule.</b> {@code C} classes and {@code C + 1} columns ("no object" last)
 * cannot be told apart by shape alone, so AUTO resolves as follows ({@link #resolve}):
 *
 * <ol>
 *   <li>When the number of classes is known ({@code DetrPostprocessor.Builder.numClasses}): {@code
 *       C' == C} → {@link #SIGMOID_TOPK}; {@code C' == C + 1} → {@link #SOFTMAX_NO_OBJECT};
 *       anything else is an error.
 *   <li>When it is unknown: {@code C' == 92} → {@link #SOFTMAX_NO_OBJECT} (the original DETR COCO
 *       head: 91 category ids plus "no object"; the sigmoid families use 80 or 91 columns); any
 *       other width → {@link #SIGMOID_TOPK}, the layout of DINO, Deformable-DETR, DEIM, D-FINE and
 *       RT-DETR raw exports.
 * </ol>
 *
 * Override by naming the mode explicitly.
 *
 * <p>Threading: immutable constants.
 */
public enum DetrDecoding {
  /** Pick one of the others from the column count, by the rule above. */
  AUTO,
  /**
   * DINO / Deformable-DETR / DEIM: sigmoid, then top-{@code numSelect} over the flattened {@code Q
   * × C} scores; label = flat index mod {@code C}, query = flat index div {@code C}. A query can
   * yield several labels. Output order: score descending (ties: lower flat index first).
   */
  SIGMOID_TOPK,
  /**
   * One label per query: sigmoid, the best class of each query only (ties: lower class index), so a
   * query never yields two detections. Output order: query order. {@code numSelect} does not apply.
   */
  SIGMOID_ONE_PER_QUERY,
  /**
   * Original DETR: softmax over {@code C + 1} columns, the last one "no object", dropped; the best
   * remaining class of each query (ties: lower class index). Output order: query order. {@code
   * numSelect} does not apply.
   */
  SOFTMAX_NO_OBJECT,
  /**
   * Baked layout: {@code labels}, {@code boxes} ({@code x1, y1, x2, y2}, pixels) and {@code scores}
   * already computed by the exported graph; rows keep their order; query indices are unknown.
   * Chosen by calling {@link DetrPostprocessor#processBaked}; never valid for raw logits.
   */
  BAKED;

  /**
   * The column count of the original DETR COCO head (91 ids + no object), which AUTO reads as
   * softmax.
   */
  public static final int DETR_COCO_COLUMNS = 92;

  /**
   * Resolves {@code requested} for a logits tensor with {@code columns} columns per query.
   *
   * @param requested the configured mode ({@link #AUTO} or explicit)
   * @param columns the logits columns per query, at least 1
   * @param numClasses the number of real classes when known, or 0
   * @return the concrete mode, never {@link #AUTO}
   * @throws IllegalArgumentException when the columns contradict {@code numClasses} or the mode
   */
  public static DetrDecoding resolve(DetrDecoding requested, int columns, int numClasses) {
    Checks.checkArgument(columns >= 1, "expected at least 1 logits column, got %d", columns);
    Checks.checkArgument(numClasses >= 0, "expected numClasses >= 0, got %d", numClasses);
    if (requested == AUTO) {
      if (numClasses > 0) {
        if (columns == numClasses) {
          return SIGMOID_TOPK;
        }
        if (columns == numClasses + 1) {
          return SOFTMAX_NO_OBJECT;
        }
        Checks.checkArgument(
            false,
            "expected %d (sigmoid) or %d (softmax + no object) logits columns, got %d",
            numClasses,
            numClasses + 1,
            columns);
      }
      return columns == DETR_COCO_COLUMNS ? SOFTMAX_NO_OBJECT : SIGMOID_TOPK;
    }
    Checks.checkArgument(
        requested != BAKED, "expected a raw-logits decoding, got BAKED (use processBaked)", 0);
    if (requested == SOFTMAX_NO_OBJECT) {
      Checks.checkArgument(
          columns >= 2, "expected at least 2 columns for softmax + no object, got %d", columns);
      Checks.checkArgument(
          numClasses == 0 || columns == numClasses + 1,
          "expected %d columns (numClasses + no object), got %d",
          numClasses + 1,
          columns);
    } else {
      Checks.checkArgument(
          numClasses == 0 || columns == numClasses,
          "expected %d columns (numClasses), got %d",
          numClasses,
          columns);
    }
    return requested;
  }
}
