package io.edgevision.postprocess;

import io.edgevision.postprocess.internal.Overlaps;
import io.edgevision.postprocess.internal.TopK;
import java.util.List;

/**
 * Reusable scratch memory of a {@link DetrPostprocessor}: the top-k heap, the decoded candidates
 * and the {@link SuppressionWorkspace} that receives the output. With one workspace per thread,
 * steady-state calls of {@link DetrPostprocessor#processInto} allocate nothing.
 *
 * <p>Example: {@code DetrWorkspace ws = new DetrWorkspace();} once per thread, then {@code int n =
 * post.processInto(logits, boxes, q, transform, ws);} and read {@code ws.output()}.
 *
 * <p>Lifecycle: arrays grow to the largest call seen and are then reused; nothing needs closing.
 *
 * <p>Threading: <b>not thread-safe</b>; confine to one thread.
 */
public final class DetrWorkspace {
  final TopK heap = new TopK();
  float[] selValues = new float[0];
  int[] selIndices = new int[0];
  float[] candXyxy = new float[0];
  float[] candScore = new float[0];
  int[] candClass = new int[0];
  int[] candQuery = new int[0];
  int candCount;
  DetrDecoding lastDecoding = DetrDecoding.AUTO;
  final SuppressionWorkspace output = new SuppressionWorkspace();

  /** Creates an empty workspace; storage grows on first use. */
  public DetrWorkspace() {}

  void ensureCandidates(int n) {
    if (candScore.length < n) {
      int cap = Math.max(n, 16);
      candXyxy = new float[4 * cap];
      candScore = new float[cap];
      candClass = new int[cap];
      candQuery = new int[cap];
    }
  }

  void ensureSelection(int k) {
    if (selValues.length < k) {
      selValues = new float[k];
      selIndices = new int[k];
    }
  }

  /**
   * The output of the last call: survivors ({@code output().size()}, highest score first, boxes in
   * pixels of the original frame) and the suppression report. Valid until the next call with this
   * workspace.
   *
   * @return the output workspace (the same object every time)
   */
  public SuppressionWorkspace output() {
    return output;
  }

  /**
   * @return the number of decoded candidates of the last call (before suppression)
   */
  public int candidateCount() {
    return candCount;
  }

  /**
   * @return the concrete decoding of the last call ({@link DetrDecoding#BAKED} after a baked call)
   */
  public DetrDecoding lastDecoding() {
    return lastDecoding;
  }

  /**
   * Whether decoded candidate {@code i} can be output: a box of positive, finite width and height
   * and a finite score (the suppressor drops and counts the others as invalid).
   *
   * @param i candidate position, {@code 0 <= i < candidateCount()}
   * @return whether it is valid
   */
  public boolean candidateValid(int i) {
    checkCandidate(i);
    return Overlaps.isValid(candXyxy, i) && Float.isFinite(candScore[i]);
  }

  /**
   * Builds decoded candidate {@code i} (before suppression) as an immutable {@link Detection}
   * (allocates; no alternatives).
   *
   * @param i candidate position, {@code 0 <= i < candidateCount()}, with {@link
   *     #candidateValid(int)} true
   * @return the candidate
   * @throws IllegalArgumentException when the candidate is not valid
   */
  public Detection candidate(int i) {
    checkCandidate(i);
    return new Detection(
        Box.fromArray(candXyxy, i), candClass[i], candScore[i], candQuery[i], List.of());
  }

  /**
   * @param i candidate position
   * @return the score of decoded candidate {@code i}
   */
  public float candidateScore(int i) {
    checkCandidate(i);
    return candScore[i];
  }

  private void checkCandidate(int i) {
    if (i < 0 || i >= candCount) {
      throw new IndexOutOfBoundsException("expected 0 <= i < " + candCount + ", got " + i);
    }
  }
}
