package io.edgevision.postprocess;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reusable scratch memory and output of a {@link DuplicateSuppressor}, so that steady-state calls
 * allocate nothing: after {@link DuplicateSuppressor#suppressInto}, read the survivors and the
 * report through the primitive accessors below; they stay valid until the next call with this
 * workspace.
 *
 * <p>Example:
 *
 * <pre>{@code
 * SuppressionWorkspace ws = new SuppressionWorkspace();          // one per thread, reused
 * int n = suppressor.suppressInto(xyxy, scores, classIds, queries, count, ws);
 * for (int k = 0; k < n; k++) {
 *   draw(ws.x1(k), ws.y1(k), ws.x2(k), ws.y2(k), ws.classId(k), ws.score(k));
 * }
 * SuppressionResult owned = ws.toResult();                      // allocates: an immutable copy
 * }</pre>
 *
 * <p>Lifecycle: arrays grow to the largest input seen and are then reused; nothing needs closing.
 * Coordinates are those of the input boxes (pixels of the original frame for {@link
 * DetrPostprocessor}).
 *
 * <p>Threading: <b>not thread-safe</b>; confine each workspace to one thread (one per worker
 * thread, shared immutable {@link DuplicateSuppressor}).
 */
public final class SuppressionWorkspace {
  // Sorting.
  long[] keys = new long[0];
  // Survivors in score order: box, score, class, query, input index, alternatives.
  float[] keptXyxy = new float[0];
  // The same boxes in structure-of-arrays form, with their areas and centres, for the pair tests.
  float[] keptX1 = new float[0];
  float[] keptY1 = new float[0];
  float[] keptX2 = new float[0];
  float[] keptY2 = new float[0];
  float[] keptArea = new float[0];
  float[] keptCx = new float[0];
  float[] keptCy = new float[0];
  float[] keptScore = new float[0];
  int[] keptClass = new int[0];
  int[] keptQuery = new int[0];
  int[] keptCandidate = new int[0];
  int[] altCount = new int[0];
  int[] altClass = new int[0];
  float[] altScore = new float[0];
  int altCapacity;
  int keptCount;
  int outputCount;
  // Report.
  int[] supCandidate = new int[0];
  int[] supSurvivor = new int[0];
  byte[] supRule = new byte[0];
  byte[] supMetric = new byte[0];
  float[] supOverlap = new float[0];
  float[] supXyxy = new float[0];
  float[] supScore = new float[0];
  int[] supClass = new int[0];
  int[] supQuery = new int[0];
  int supCount;
  int invalidCount;
  // Query ownership: owner[q] is valid when stamp[q] == generation.
  int[] queryOwner = new int[0];
  int[] queryStamp = new int[0];
  int generation;
  // The candidate under test: box, area, centre (the float expressions of Overlaps, so
  // bit-identical).
  float candX1;
  float candY1;
  float candX2;
  float candY2;
  float candArea;
  float candCx;
  float candCy;
  // The rule that fired in the last successful pair test.
  byte hitRule;
  byte hitMetric;
  float hitOverlap;

  private static final SuppressionRule[] RULES = SuppressionRule.values();
  private static final OverlapMetric[] METRICS = OverlapMetric.values();

  /** Creates an empty workspace; storage grows on first use. */
  public SuppressionWorkspace() {}

  void ensure(int n, int alternatives) {
    if (keys.length < n) {
      int cap = Math.max(n, 16);
      keys = new long[cap];
      keptXyxy = new float[4 * cap];
      keptX1 = new float[cap];
      keptY1 = new float[cap];
      keptX2 = new float[cap];
      keptY2 = new float[cap];
      keptArea = new float[cap];
      keptCx = new float[cap];
      keptCy = new float[cap];
      keptScore = new float[cap];
      keptClass = new int[cap];
      keptQuery = new int[cap];
      keptCandidate = new int[cap];
      altCount = new int[cap];
      supCandidate = new int[cap];
      supSurvivor = new int[cap];
      supRule = new byte[cap];
      supMetric = new byte[cap];
      supOverlap = new float[cap];
      supXyxy = new float[4 * cap];
      supScore = new float[cap];
      supClass = new int[cap];
      supQuery = new int[cap];
      altCapacity = -1;
    }
    if (altCapacity != alternatives || altClass.length < keys.length * alternatives) {
      altCapacity = alternatives;
      altClass = new int[keys.length * alternatives];
      altScore = new float[keys.length * alternatives];
    }
  }

  /**
   * Starts a new query-ownership generation, growing the table to hold query ids below {@code
   * limit}.
   */
  void resetQueries(int limit) {
    if (queryStamp.length < limit) {
      queryStamp = new int[Math.max(limit, 64)];
      queryOwner = new int[queryStamp.length];
      generation = 0;
    }
    generation++;
    if (generation == 0) {
      Arrays.fill(queryStamp, 0);
      generation = 1;
    }
  }

  /** Makes box {@code c} of {@code xyxy} the candidate under test. */
  void candidate(float[] xyxy, int c) {
    int p = 4 * c;
    float x1 = xyxy[p];
    float y1 = xyxy[p + 1];
    float x2 = xyxy[p + 2];
    float y2 = xyxy[p + 3];
    candX1 = x1;
    candY1 = y1;
    candX2 = x2;
    candY2 = y2;
    candArea = (x2 - x1) * (y2 - y1);
    candCx = (x1 + x2) * 0.5f;
    candCy = (y1 + y2) * 0.5f;
  }

  /**
   * Whether the candidate and survivor {@code k} intersect with positive area ({@code
   * Overlaps.intersects}).
   */
  boolean candTouches(int k) {
    return keptX1[k] < candX2 && candX1 < keptX2[k] && keptY1[k] < candY2 && candY1 < keptY2[k];
  }

  /**
   * Whether the centre of the candidate or of survivor {@code k} lies strictly inside the other
   * box.
   */
  boolean centresNested(int k) {
    float x1 = keptX1[k];
    float y1 = keptY1[k];
    float x2 = keptX2[k];
    float y2 = keptY2[k];
    float cx = keptCx[k];
    float cy = keptCy[k];
    return (candCx > x1 && candCx < x2 && candCy > y1 && candCy < y2)
        || (cx > candX1 && cx < candX2 && cy > candY1 && cy < candY2);
  }

  /**
   * Intersection area of the candidate and survivor {@code k}, bit-identical to {@code
   * Overlaps.intersection}: with finite coordinates, plain comparisons pick the same edges as
   * {@code Math.min}/{@code Math.max} except possibly the sign of a zero edge, and a zero-sign
   * difference cannot survive the final clamp to {@code +0} ({@code w} is {@code ±0} only when both
   * picks are equal, and then every sign combination clamps to {@code +0}). The comparisons avoid
   * the NaN and signed-zero handling of the intrinsics on this hot path.
   */
  float candIntersection(int k) {
    float kx1 = keptX1[k];
    float ky1 = keptY1[k];
    float kx2 = keptX2[k];
    float ky2 = keptY2[k];
    float w = (candX2 < kx2 ? candX2 : kx2) - (candX1 > kx1 ? candX1 : kx1);
    float h = (candY2 < ky2 ? candY2 : ky2) - (candY1 > ky1 ? candY1 : ky1);
    return (w > 0f ? w : 0f) * (h > 0f ? h : 0f);
  }

  /** Appends the candidate (input index {@code c}) as a survivor; returns its position. */
  int keep(float score, int cls, int query, int c) {
    int k = keptCount++;
    int o = 4 * k;
    keptXyxy[o] = candX1;
    keptXyxy[o + 1] = candY1;
    keptXyxy[o + 2] = candX2;
    keptXyxy[o + 3] = candY2;
    keptX1[k] = candX1;
    keptY1[k] = candY1;
    keptX2[k] = candX2;
    keptY2[k] = candY2;
    keptArea[k] = candArea;
    keptCx[k] = candCx;
    keptCy[k] = candCy;
    keptScore[k] = score;
    keptClass[k] = cls;
    keptQuery[k] = query;
    keptCandidate[k] = c;
    altCount[k] = 0;
    return k;
  }

  /**
   * @return the number of surviving detections of the last call
   */
  public int size() {
    return outputCount;
  }

  /**
   * @param k survivor position, {@code 0 <= k < size()}, highest score first
   * @return its left edge
   */
  public float x1(int k) {
    return keptXyxy[4 * check(k)];
  }

  /**
   * @param k survivor position
   * @return its top edge
   */
  public float y1(int k) {
    return keptXyxy[4 * check(k) + 1];
  }

  /**
   * @param k survivor position
   * @return its right edge
   */
  public float x2(int k) {
    return keptXyxy[4 * check(k) + 2];
  }

  /**
   * @param k survivor position
   * @return its bottom edge
   */
  public float y2(int k) {
    return keptXyxy[4 * check(k) + 3];
  }

  /**
   * @param k survivor position
   * @return its score
   */
  public float score(int k) {
    return keptScore[check(k)];
  }

  /**
   * @param k survivor position
   * @return its class
   */
  public int classId(int k) {
    return keptClass[check(k)];
  }

  /**
   * @param k survivor position
   * @return its query index, or -1 when unknown
   */
  public int queryIndex(int k) {
    return keptQuery[check(k)];
  }

  /**
   * @param k survivor position
   * @return its index in the suppressor's input
   */
  public int candidateIndex(int k) {
    return keptCandidate[check(k)];
  }

  /**
   * @param k survivor position
   * @return how many alternative labels it carries
   */
  public int alternativeCount(int k) {
    return altCount[check(k)];
  }

  /**
   * @param k survivor position
   * @param a alternative position, best first
   * @return the alternative's class
   */
  public int alternativeClassId(int k, int a) {
    return altClass[altSlot(k, a)];
  }

  /**
   * @param k survivor position
   * @param a alternative position, best first
   * @return the alternative's probability
   */
  public float alternativeScore(int k, int a) {
    return altScore[altSlot(k, a)];
  }

  /**
   * @return how many suppressions the last call reported
   */
  public int suppressionCount() {
    return supCount;
  }

  /**
   * @param r report line, {@code 0 <= r < suppressionCount()}
   * @return the suppressed detection's index in the suppressor's input
   */
  public int suppressedCandidate(int r) {
    return supCandidate[checkReport(r)];
  }

  /**
   * @param r report line
   * @return the survivor's position (as in {@link #score(int)})
   */
  public int suppressorIndex(int r) {
    return supSurvivor[checkReport(r)];
  }

  /**
   * @param r report line
   * @return the rule that fired
   */
  public SuppressionRule suppressionRule(int r) {
    return RULES[supRule[checkReport(r)]];
  }

  /**
   * @param r report line
   * @return the overlap measure the rule compared
   */
  public OverlapMetric suppressionMetric(int r) {
    return METRICS[supMetric[checkReport(r)]];
  }

  /**
   * @param r report line
   * @return the overlap value
   */
  public float suppressionOverlap(int r) {
    return supOverlap[checkReport(r)];
  }

  /**
   * @return the number of inputs dropped for an invalid box or score in the last call
   */
  public int invalidCount() {
    return invalidCount;
  }

  /**
   * Copies the last call's output into immutable objects (this allocates).
   *
   * @return the survivors, report and invalid count
   */
  public SuppressionResult toResult() {
    List<Detection> detections = new ArrayList<>(outputCount);
    for (int k = 0; k < outputCount; k++) {
      detections.add(survivor(k));
    }
    List<Suppression> report = new ArrayList<>(supCount);
    for (int r = 0; r < supCount; r++) {
      Detection suppressed = suppressed(r);
      report.add(
          new Suppression(
              supCandidate[r],
              suppressed,
              supSurvivor[r],
              detections.get(supSurvivor[r]),
              RULES[supRule[r]],
              METRICS[supMetric[r]],
              supOverlap[r]));
    }
    return new SuppressionResult(Detections.of(detections), report, invalidCount);
  }

  /**
   * Builds the {@code k}-th survivor as an immutable {@link Detection} (allocates).
   *
   * @param k survivor position
   * @return the detection
   */
  public Detection survivor(int k) {
    check(k);
    int n = altCount[k];
    List<LabelScore> alternatives = new ArrayList<>(n);
    for (int a = 0; a < n; a++) {
      alternatives.add(
          new LabelScore(altClass[k * altCapacity + a], altScore[k * altCapacity + a]));
    }
    return new Detection(
        Box.fromArray(keptXyxy, k), keptClass[k], keptScore[k], keptQuery[k], alternatives);
  }

  /**
   * Builds the {@code r}-th report line's suppressed candidate as an immutable {@link Detection}
   * (allocates; no alternatives), as {@link #toResult()} reports it.
   *
   * @param r report line, {@code 0 <= r < suppressionCount()}
   * @return the suppressed detection
   */
  public Detection suppressed(int r) {
    checkReport(r);
    return new Detection(
        Box.fromArray(supXyxy, r), supClass[r], supScore[r], supQuery[r], List.of());
  }

  private int check(int k) {
    if (k < 0 || k >= outputCount) {
      throw new IndexOutOfBoundsException("expected 0 <= k < " + outputCount + ", got " + k);
    }
    return k;
  }

  private int checkReport(int r) {
    if (r < 0 || r >= supCount) {
      throw new IndexOutOfBoundsException("expected 0 <= r < " + supCount + ", got " + r);
    }
    return r;
  }

  private int altSlot(int k, int a) {
    check(k);
    if (a < 0 || a >= altCount[k]) {
      throw new IndexOutOfBoundsException("expected 0 <= a < " + altCount[k] + ", got " + a);
    }
    return k * altCapacity + a;
  }
}
