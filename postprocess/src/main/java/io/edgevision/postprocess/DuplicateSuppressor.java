package io.edgevision.postprocess;

import io.edgevision.postprocess.internal.Checks;
import io.edgevision.postprocess.internal.Overlaps;
import io.edgevision.postprocess.internal.PrimitiveSort;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * DETR duplicate suppression: removes the duplicates that DETR-family detectors still emit in dense
 * scenes (the same query under several labels; near-identical or nested boxes from different
 * queries, sometimes with different labels) while never touching side-by-side neighbours, and
 * reports every decision.
 *
 * <p>Candidates are processed once, highest score first (ties: lower input index first). Each
 * candidate is compared with the survivors kept so far, and the first rule that fires suppresses
 * it:
 *
 * <ol>
 *   <li><b>Same query</b> ({@link SuppressionRule#SAME_QUERY}): a later label of a query that
 *       already has a detection collapses into it; its label and probability become an alternative
 *       of the survivor.
 *   <li><b>Cross-class duplicate</b> ({@link SuppressionRule#CROSS_CLASS}): a different label on a
 *       box with IoU {@code > crossClassIou} to a survivor, or nested in it with IoMin {@code >
 *       crossClassIoMin} while its area is at least {@code nestedAreaRatio} of the larger box. Its
 *       class evidence is folded into the survivor's alternatives.
 *   <li><b>Per-class NMS</b> ({@link SuppressionRule#PER_CLASS}): the same label with overlap
 *       ({@code perClassMetric}) {@code > perClassThreshold}.
 *   <li><b>Neighbour guard</b>: rules 2 and 3 only apply when the centre of one box lies strictly
 *       inside the other. Two boxes side by side that overlap by less than half the extent of each
 *       along the touching axis (adjacent lamps, rows of lights) can therefore never suppress each
 *       other, whatever their labels or the thresholds.
 *   <li><b>Report</b>: every suppression is recorded with its survivor, rule, measure and overlap
 *       value.
 * </ol>
 *
 * <p>Alternatives: a survivor keeps up to {@code maxAlternatives} other labels, best first, one per
 * class (the highest probability seen); its own class is never listed. When a query's best label is
 * itself suppressed by another survivor, that survivor becomes the owner of the query: the query's
 * later labels collapse into it (reported as {@code SAME_QUERY}).
 *
 * <p>Example:
 *
 * <pre>{@code
 * DuplicateSuppressor suppressor = DuplicateSuppressor.defaults();       // shared, immutable
 * SuppressionResult r = suppressor.suppress(xyxy, scores, classIds, queries, count);
 * for (Suppression s : r.suppressions()) {
 *   log(s.suppressed() + " removed by " + s.survivor() + " (" + s.rule() + ", " + s.overlap() + ")");
 * }
 * }</pre>
 *
 * <p>Defaults and their reasoning:
 *
 * <ul>
 *   <li>{@link #DEFAULT_PER_CLASS_IOU} 0.5: the usual NMS operating point (torchvision/COCO
 *       practice); same-label objects in crowds (partly occluding lights, pedestrians) rarely
 *       exceed it, true duplicates do.
 *   <li>{@link #DEFAULT_CROSS_CLASS_IOU} 0.7: two different labels on boxes overlapping this much
 *       are one object read two ways ("red" and "red + left arrow"); genuinely different objects of
 *       different classes (rider on a bicycle, person by a car) typically overlap less, so they are
 *       kept.
 *   <li>{@link #DEFAULT_CROSS_CLASS_IOMIN} 0.85 with {@link #DEFAULT_NESTED_AREA_RATIO} 0.5: a box
 *       85 % inside another of at most twice its area is the same object at two extents (a crop
 *       missing one lamp); the area ratio protects small objects nested in big ones (a tie on a
 *       person, a person in front of a bus), whose IoMin is also near 1.
 *   <li>Neighbour guard on: adjacent lamps and lights must never merge, and the guard holds for any
 *       threshold.
 *   <li>{@link #DEFAULT_MAX_ALTERNATIVES} 5: enough for every label of a query seen in practice
 *       (COCO 359 shows 4 labels on one query) at a fixed, allocation-free cost.
 * </ul>
 *
 * <p>Lifecycle: build once with {@link #builder()}, derive variants with {@link #toBuilder()}.
 *
 * <p>Threading: immutable and thread-safe; share one instance between threads, each with its own
 * {@link SuppressionWorkspace}. {@link #suppressInto} allocates nothing once the workspace has
 * grown to the input size; {@link #suppress} also allocates its result objects.
 *
 * <p>Performance: one pass validates the input and detects score order (the candidates of a top-k
 * decode arrive sorted, and then the {@code O(m log m)} sort is skipped). Each candidate is then
 * compared with the survivors so far by a separating-axis scan over structure-of-arrays edges;
 * areas and centres are computed once per box, and the guard and ratios only for intersecting
 * pairs. Worst case {@code O(m²)} pair tests, about half a nanosecond each.
 */
public final class DuplicateSuppressor {
  /** Default per-class NMS threshold (rule 3), IoU. */
  public static final float DEFAULT_PER_CLASS_IOU = 0.5f;

  /** Default cross-class IoU threshold (rule 2). */
  public static final float DEFAULT_CROSS_CLASS_IOU = 0.7f;

  /** Default cross-class IoMin threshold for nested boxes (rule 2). */
  public static final float DEFAULT_CROSS_CLASS_IOMIN = 0.85f;

  /** Default smallest area ratio (smaller / larger) for the nested IoMin test of rule 2. */
  public static final float DEFAULT_NESTED_AREA_RATIO = 0.5f;

  /** Default number of alternative labels kept per survivor. */
  public static final int DEFAULT_MAX_ALTERNATIVES = 5;

  /** Largest query index accepted (keeps the query table bounded). */
  public static final int MAX_QUERY_INDEX = (1 << 24) - 1;

  private static final DuplicateSuppressor DEFAULTS = builder().build();
  private static final byte SAME_QUERY = (byte) SuppressionRule.SAME_QUERY.ordinal();
  private static final byte IOU = (byte) OverlapMetric.IOU.ordinal();

  private final boolean sameQuery;
  private final boolean crossClass;
  private final float crossClassIou;
  private final float crossClassIoMin;
  private final float nestedAreaRatio;
  private final boolean perClass;
  private final OverlapMetric perClassMetric;
  private final float perClassThreshold;
  private final boolean neighbourGuard;
  private final int maxAlternatives;
  private final float scoreThreshold;
  // Derived: whether a per-class pair must intersect to fire (false only for DIoU/GIoU below 0),
  // and whether
  // any pair must (then only intersecting survivors are visited).
  private final boolean perClassNeedsTouch;
  private final boolean mustTouch;

  private DuplicateSuppressor(Builder b) {
    sameQuery = b.sameQuery;
    crossClass = b.crossClass;
    crossClassIou = b.crossClassIou;
    crossClassIoMin = b.crossClassIoMin;
    nestedAreaRatio = b.nestedAreaRatio;
    perClass = b.perClass;
    perClassMetric = b.perClassMetric;
    perClassThreshold = b.perClassThreshold;
    neighbourGuard = b.neighbourGuard;
    maxAlternatives = b.maxAlternatives;
    scoreThreshold = b.scoreThreshold;
    perClassNeedsTouch =
        perClassMetric == OverlapMetric.IOU
            || perClassMetric == OverlapMetric.IOMIN
            || perClassThreshold >= 0f;
    mustTouch = neighbourGuard || !perClass || perClassNeedsTouch;
  }

  /**
   * @return a builder with every default
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * @return the shared suppressor with every default
   */
  public static DuplicateSuppressor defaults() {
    return DEFAULTS;
  }

  /**
   * @return a suppressor with rules 1–3 off: every valid candidate survives (useful as a baseline)
   */
  public static DuplicateSuppressor disabled() {
    return builder().sameQuery(false).crossClass(false).perClass(false).build();
  }

  /**
   * @return a builder holding this suppressor's configuration
   */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.sameQuery = sameQuery;
    b.crossClass = crossClass;
    b.crossClassIou = crossClassIou;
    b.crossClassIoMin = crossClassIoMin;
    b.nestedAreaRatio = nestedAreaRatio;
    b.perClass = perClass;
    b.perClassMetric = perClassMetric;
    b.perClassThreshold = perClassThreshold;
    b.neighbourGuard = neighbourGuard;
    b.maxAlternatives = maxAlternatives;
    b.scoreThreshold = scoreThreshold;
    return b;
  }

  /**
   * @return the lowest score a survivor needs to be output
   */
  public float scoreThreshold() {
    return scoreThreshold;
  }

  /**
   * @return the maximum number of alternative labels per survivor
   */
  public int maxAlternatives() {
    return maxAlternatives;
  }

  /**
   * Suppresses duplicates and returns owned, immutable results (allocates a fresh workspace and the
   * result).
   *
   * @param xyxy boxes {@code x1, y1, x2, y2}, four floats per candidate
   * @param scores one score (probability) per candidate
   * @param classIds one class per candidate
   * @param queries one DETR query index per candidate ({@code -1} = unknown), or null when unknown
   *     for all
   * @param count the number of candidates
   * @return survivors, report and invalid count
   * @throws IllegalArgumentException when an array holds fewer than {@code count} entries, or a
   *     class or query index is out of range
   */
  public SuppressionResult suppress(
      float[] xyxy, float[] scores, int[] classIds, int @Nullable [] queries, int count) {
    SuppressionWorkspace ws = new SuppressionWorkspace();
    suppressInto(xyxy, scores, classIds, queries, count, ws);
    return ws.toResult();
  }

  /**
   * Suppresses duplicates into a reusable workspace: allocation-free once {@code ws} has grown to
   * {@code count}. Read the output through {@code ws}'s accessors.
   *
   * @param xyxy boxes {@code x1, y1, x2, y2}, four floats per candidate
   * @param scores one score per candidate
   * @param classIds one class per candidate
   * @param queries one DETR query index per candidate ({@code -1} = unknown), or null
   * @param count the number of candidates
   * @param ws the calling thread's workspace; overwritten
   * @return the number of survivors output ({@code ws.size()})
   * @throws IllegalArgumentException when an array holds fewer than {@code count} entries, or a
   *     class or query index is out of range
   */
  public int suppressInto(
      float[] xyxy,
      float[] scores,
      int[] classIds,
      int @Nullable [] queries,
      int count,
      SuppressionWorkspace ws) {
    return suppressInto(xyxy, scores, classIds, queries, count, ws, scoreThreshold);
  }

  int suppressInto(
      float[] xyxy,
      float[] scores,
      int[] classIds,
      int @Nullable [] queries,
      int count,
      SuppressionWorkspace ws,
      float outputThreshold) {
    Objects.requireNonNull(ws, "ws");
    Checks.checkLength(xyxy.length, count, 4, "xyxy");
    Checks.checkLength(scores.length, count, 1, "scores");
    Checks.checkLength(classIds.length, count, 1, "classIds");
    if (queries != null) {
      Checks.checkLength(queries.length, count, 1, "queries");
    }
    ws.ensure(count, maxAlternatives);
    long[] keys = ws.keys;
    int m = 0;
    int invalid = 0;
    int maxQuery = -1;
    boolean sorted = true;
    for (int i = 0; i < count; i++) {
      int cls = classIds[i];
      if (cls < 0) {
        Checks.checkArgument(false, "expected classIds[%d] >= 0, got %d", i, cls);
      }
      if (queries != null) {
        int q = queries[i];
        if (q < -1 || q > MAX_QUERY_INDEX) {
          Checks.checkArgument(false, "expected queries[%d] in [-1, 2^24), got %d", i, q);
        }
        maxQuery = Math.max(maxQuery, q);
      }
      float s = scores[i];
      if (Overlaps.isValid(xyxy, i) && Float.isFinite(s)) {
        long key = PrimitiveSort.descendingKey(s, i);
        // Candidates from a top-k decode arrive in score order: then the O(m log m) sort is
        // skipped.
        sorted &= m == 0 || keys[m - 1] <= key;
        keys[m++] = key;
      } else {
        invalid++;
      }
    }
    if (!sorted) {
      PrimitiveSort.sort(keys, m);
    }
    boolean useQueries = sameQuery && queries != null && maxQuery >= 0;
    if (useQueries) {
      ws.resetQueries(maxQuery + 1);
    }
    ws.invalidCount = invalid;
    ws.keptCount = 0;
    ws.supCount = 0;
    // With rules 2 and 3 both off there is nothing to compare (keeps disabled() at O(m)). Only a
    // per-class
    // DIoU/GIoU rule with a negative threshold and no guard can fire on disjoint boxes (mustTouch
    // false); in every
    // other configuration only the survivors whose box intersects the candidate's need a closer
    // look.
    boolean pairRules = perClass || crossClass;
    for (int a = 0; a < m; a++) {
      int c = PrimitiveSort.indexOf(keys[a]);
      int q = queries != null ? queries[c] : -1;
      int cls = classIds[c];
      ws.candidate(xyxy, c);
      if (useQueries && q >= 0 && ws.queryStamp[q] == ws.generation) {
        int owner = ws.queryOwner[q];
        float iou = Overlaps.iou(ws.candIntersection(owner), ws.candArea, ws.keptArea[owner]);
        record(ws, scores, classIds, queries, c, owner, SAME_QUERY, IOU, iou);
        fold(ws, owner, cls, scores[c]);
        continue;
      }
      int by = -1;
      if (pairRules) {
        by = mustTouch ? firstAmongTouching(ws, cls, xyxy, c) : firstAmongAll(ws, cls, xyxy, c);
      }
      if (by >= 0) {
        record(ws, scores, classIds, queries, c, by, ws.hitRule, ws.hitMetric, ws.hitOverlap);
        fold(ws, by, cls, scores[c]);
        if (useQueries && q >= 0) {
          ws.queryStamp[q] = ws.generation;
          ws.queryOwner[q] = by;
        }
        continue;
      }
      int k = ws.keep(scores[c], cls, q, c);
      if (useQueries && q >= 0) {
        ws.queryStamp[q] = ws.generation;
        ws.queryOwner[q] = k;
      }
    }
    // Survivors are in score order, so those at or above the output threshold are a prefix.
    int out = 0;
    while (out < ws.keptCount && ws.keptScore[out] >= outputThreshold) {
      out++;
    }
    ws.outputCount = out;
    int r = 0;
    for (int e = 0; e < ws.supCount; e++) {
      if (ws.supSurvivor[e] < out) {
        if (r != e) {
          moveReportLine(ws, e, r);
        }
        r++;
      }
    }
    ws.supCount = r;
    return out;
  }

  /**
   * The first survivor, in survivor order, that suppresses the workspace's current candidate, among
   * those whose box intersects it; -1 when none. This scan is the hot loop: most survivors are
   * disjoint from a given candidate and are rejected by the separating-axis test alone, over
   * structure-of-arrays edges, before any ratio.
   */
  private int firstAmongTouching(SuppressionWorkspace ws, int cls, float[] xyxy, int c) {
    float[] x1 = ws.keptX1;
    float[] y1 = ws.keptY1;
    float[] x2 = ws.keptX2;
    float[] y2 = ws.keptY2;
    float cx1 = ws.candX1;
    float cy1 = ws.candY1;
    float cx2 = ws.candX2;
    float cy2 = ws.candY2;
    for (int k = 0, n = ws.keptCount; k < n; k++) {
      if (x1[k] < cx2
          && cx1 < x2[k]
          && y1[k] < cy2
          && cy1 < y2[k]
          && fires(ws, k, true, cls, xyxy, c)) {
        return k;
      }
    }
    return -1;
  }

  /**
   * As {@link #firstAmongTouching}, visiting every survivor (rules that can fire on disjoint
   * boxes).
   */
  private int firstAmongAll(SuppressionWorkspace ws, int cls, float[] xyxy, int c) {
    for (int k = 0, n = ws.keptCount; k < n; k++) {
      if (fires(ws, k, ws.candTouches(k), cls, xyxy, c)) {
        return k;
      }
    }
    return -1;
  }

  /**
   * Whether survivor {@code k} suppresses the current candidate under rules 2–4; when it does, the
   * rule, measure and value are left in {@code ws.hit*}.
   */
  private boolean fires(
      SuppressionWorkspace ws, int k, boolean touching, int cls, float[] xyxy, int c) {
    boolean same = ws.keptClass[k] == cls;
    if (same ? !perClass : !crossClass) {
      return false;
    }
    if (neighbourGuard && !(touching && ws.centresNested(k))) {
      return false;
    }
    if (same) {
      if (!touching && perClassNeedsTouch) {
        return false;
      }
      float v;
      if (perClassMetric == OverlapMetric.IOU) {
        v = Overlaps.iou(ws.candIntersection(k), ws.candArea, ws.keptArea[k]);
      } else if (perClassMetric == OverlapMetric.IOMIN) {
        v = Overlaps.ioMin(ws.candIntersection(k), ws.candArea, ws.keptArea[k]);
      } else {
        v = perClassMetric.between(xyxy, c, ws.keptXyxy, k);
      }
      return v > perClassThreshold && hit(ws, SuppressionRule.PER_CLASS, perClassMetric, v);
    }
    if (!touching) {
      return false;
    }
    float areaC = ws.candArea;
    float areaK = ws.keptArea[k];
    float inter = ws.candIntersection(k);
    float v = Overlaps.iou(inter, areaC, areaK);
    if (v > crossClassIou) {
      return hit(ws, SuppressionRule.CROSS_CLASS, OverlapMetric.IOU, v);
    }
    float w = Overlaps.ioMin(inter, areaC, areaK);
    return w > crossClassIoMin
        && Math.min(areaC, areaK) >= nestedAreaRatio * Math.max(areaC, areaK)
        && hit(ws, SuppressionRule.CROSS_CLASS, OverlapMetric.IOMIN, w);
  }

  /**
   * Records the rule that fired (as ordinals: no reference stores, hence no GC write barriers, per
   * pair).
   */
  private static boolean hit(
      SuppressionWorkspace ws, SuppressionRule rule, OverlapMetric metric, float overlap) {
    ws.hitRule = (byte) rule.ordinal();
    ws.hitMetric = (byte) metric.ordinal();
    ws.hitOverlap = overlap;
    return true;
  }

  private static void record(
      SuppressionWorkspace ws,
      float[] scores,
      int[] classIds,
      int @Nullable [] queries,
      int candidate,
      int survivor,
      byte rule,
      byte metric,
      float overlap) {
    int e = ws.supCount++;
    ws.supCandidate[e] = candidate;
    ws.supSurvivor[e] = survivor;
    ws.supRule[e] = rule;
    ws.supMetric[e] = metric;
    ws.supOverlap[e] = overlap;
    int o = 4 * e; // the candidate's box, also held in ws.cand* (explicit stores: cheaper than a
    // 4-float arraycopy)
    ws.supXyxy[o] = ws.candX1;
    ws.supXyxy[o + 1] = ws.candY1;
    ws.supXyxy[o + 2] = ws.candX2;
    ws.supXyxy[o + 3] = ws.candY2;
    ws.supScore[e] = scores[candidate];
    ws.supClass[e] = classIds[candidate];
    ws.supQuery[e] = queries != null ? queries[candidate] : -1;
  }

  private static void moveReportLine(SuppressionWorkspace ws, int from, int to) {
    ws.supCandidate[to] = ws.supCandidate[from];
    ws.supSurvivor[to] = ws.supSurvivor[from];
    ws.supRule[to] = ws.supRule[from];
    ws.supMetric[to] = ws.supMetric[from];
    ws.supOverlap[to] = ws.supOverlap[from];
    float[] box = ws.supXyxy;
    box[4 * to] = box[4 * from];
    box[4 * to + 1] = box[4 * from + 1];
    box[4 * to + 2] = box[4 * from + 2];
    box[4 * to + 3] = box[4 * from + 3];
    ws.supScore[to] = ws.supScore[from];
    ws.supClass[to] = ws.supClass[from];
    ws.supQuery[to] = ws.supQuery[from];
  }

  /**
   * Adds (cls, score) to survivor k's alternatives. Candidates arrive in non-increasing score
   * order, so a class already listed holds the higher probability and a full list holds only better
   * ones: append or skip.
   */
  private void fold(SuppressionWorkspace ws, int k, int cls, float score) {
    if (cls == ws.keptClass[k]) {
      return;
    }
    int base = k * ws.altCapacity;
    int n = ws.altCount[k];
    for (int a = 0; a < n; a++) {
      if (ws.altClass[base + a] == cls) {
        return;
      }
    }
    if (n < maxAlternatives) {
      ws.altClass[base + n] = cls;
      ws.altScore[base + n] = score;
      ws.altCount[k] = n + 1;
    }
  }

  @Override
  public String toString() {
    return String.format(
        Locale.ROOT,
        "DuplicateSuppressor{sameQuery=%s, crossClass=%s(iou>%s, iomin>%s, areaRatio>=%s), perClass=%s(%s>%s),"
            + " neighbourGuard=%s, maxAlternatives=%d, scoreThreshold=%s}",
        sameQuery,
        crossClass,
        crossClassIou,
        crossClassIoMin,
        nestedAreaRatio,
        perClass,
        perClassMetric,
        perClassThreshold,
        neighbourGuard,
        maxAlternatives,
        scoreThreshold);
  }

  /**
   * Builds an immutable {@link DuplicateSuppressor}; validates in {@link #build()}.
   *
   * <p>Threading: not thread-safe; use from one thread.
   */
  public static final class Builder {
    private boolean sameQuery = true;
    private boolean crossClass = true;
    private float crossClassIou = DEFAULT_CROSS_CLASS_IOU;
    private float crossClassIoMin = DEFAULT_CROSS_CLASS_IOMIN;
    private float nestedAreaRatio = DEFAULT_NESTED_AREA_RATIO;
    private boolean perClass = true;
    private OverlapMetric perClassMetric = OverlapMetric.IOU;
    private float perClassThreshold = DEFAULT_PER_CLASS_IOU;
    private boolean neighbourGuard = true;
    private int maxAlternatives = DEFAULT_MAX_ALTERNATIVES;
    private float scoreThreshold = 0f;

    private Builder() {}

    /**
     * @param enabled rule 1, same-query collapse (default on)
     * @return this builder
     */
    public Builder sameQuery(boolean enabled) {
      sameQuery = enabled;
      return this;
    }

    /**
     * @param enabled rule 2, cross-class duplicates (default on)
     * @return this builder
     */
    public Builder crossClass(boolean enabled) {
      crossClass = enabled;
      return this;
    }

    /**
     * @param threshold rule 2 IoU threshold in {@code [0, 1]}; 1 disables the IoU test (default
     *     0.7)
     * @return this builder
     */
    public Builder crossClassIou(float threshold) {
      crossClassIou = threshold;
      return this;
    }

    /**
     * @param threshold rule 2 IoMin threshold for nested boxes in {@code [0, 1]}; 1 disables the
     *     nested test (default 0.85)
     * @return this builder
     */
    public Builder crossClassIoMin(float threshold) {
      crossClassIoMin = threshold;
      return this;
    }

    /**
     * @param ratio smallest {@code area(smaller) / area(larger)} for the nested test, in {@code [0,
     *     1]}; 0 lets any nested box be suppressed (default 0.5)
     * @return this builder
     */
    public Builder nestedAreaRatio(float ratio) {
      nestedAreaRatio = ratio;
      return this;
    }

    /**
     * @param enabled rule 3, per-class NMS (default on)
     * @return this builder
     */
    public Builder perClass(boolean enabled) {
      perClass = enabled;
      return this;
    }

    /**
     * @param metric the measure of rule 3 (default IoU)
     * @param threshold suppress when the measure is greater than this (default 0.5)
     * @return this builder
     */
    public Builder perClass(OverlapMetric metric, float threshold) {
      perClassMetric = Objects.requireNonNull(metric, "metric");
      perClassThreshold = threshold;
      return this;
    }

    /**
     * @param enabled rule 4, the neighbour guard (default on)
     * @return this builder
     */
    public Builder neighbourGuard(boolean enabled) {
      neighbourGuard = enabled;
      return this;
    }

    /**
     * @param max alternative labels kept per survivor, 0 to 64 (default 5)
     * @return this builder
     */
    public Builder maxAlternatives(int max) {
      maxAlternatives = max;
      return this;
    }

    /**
     * @param threshold the lowest score a survivor needs to be output; lower candidates still act
     *     as evidence (default 0: output every survivor)
     * @return this builder
     */
    public Builder scoreThreshold(float threshold) {
      scoreThreshold = threshold;
      return this;
    }

    /**
     * @return the suppressor
     * @throws IllegalArgumentException when a value is out of range
     */
    public DuplicateSuppressor build() {
      Checks.checkUnit(crossClassIou, "crossClassIou");
      Checks.checkUnit(crossClassIoMin, "crossClassIoMin");
      Checks.checkUnit(nestedAreaRatio, "nestedAreaRatio");
      boolean signed = perClassMetric == OverlapMetric.DIOU || perClassMetric == OverlapMetric.GIOU;
      Checks.checkArgument(
          signed
              ? perClassThreshold >= -1f && perClassThreshold <= 1f
              : perClassThreshold >= 0f && perClassThreshold <= 1f,
          "expected perClassThreshold in [0, 1] ([-1, 1] for DIoU/GIoU), got %s",
          perClassThreshold);
      Checks.checkArgument(
          maxAlternatives >= 0 && maxAlternatives <= 64,
          "expected maxAlternatives in [0, 64], got %d",
          maxAlternatives);
      Checks.checkArgument(
          scoreThreshold >= 0f && scoreThreshold < Float.POSITIVE_INFINITY,
          "expected scoreThreshold >= 0, got %s",
          scoreThreshold);
      return new DuplicateSuppressor(this);
    }
  }
}
