package io.edgevision.postprocess;

/**
 * What a classifier output vector holds.
 *
 * <p>Threading: immutable constants.
 */
public enum ScoreKind {
  /** Raw logits; the decoder applies a softmax (in {@code double}). */
  LOGITS,
  /**
   * Probabilities: each in {@code [0, 1]}, summing to 1 within {@code 1e-3}; the decoder
   * renormalises them to sum exactly to 1.
   */
  PROBABILITIES
}
