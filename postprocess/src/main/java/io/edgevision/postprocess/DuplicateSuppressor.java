package io.edgevision.postprocess;

import io.edgevision.postprocess.internal.Checks;
import io.edgevision.postprocess.internal.Overlaps;
import io.edgevision.postprocess.internal.PrimitiveSort;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * DETR duplicate suppression: removes the duplicates that DETR-family detectors still emit in dense scenes
 * (the same query under several labels; near-identical or nested boxes from different queries, sometimes with
 * different labels) while never touching side-by-side neighbours, and reports every decision.
 *
 * <p>Candidates are processed once, highest score first (ties: lower input index first). Each candidate is
 * compared with the survivors kept so far, and the first rule that fires suppresses it:
 *
 * <ol>
 *   <li><b>Same query</b> ({@link SuppressionRule#SAME_QUERY}): a later label of a query that already has a
 *       detection collapses into it; its label and probability become an alternative of the survivor.
 *   <li><b>Cross-class duplicate</b> ({@link SuppressionRule#CROSS_CLASS}): a different label on a box with IoU
 *       {@code > crossClassIou} to a survivor, or nested in it with IoMin {@code > crossClassIoMin} while its
 *       area is at least {@code nestedAreaRatio} of the larger box. Its class evidence is folded into the
 *       survivor's alternatives.
 *   <li><b>Per-class NMS</b> ({@link SuppressionRule#PER_CLASS}): the same label with overlap
 *       ({@code perClassMetric}) {@code > perClassThreshold}.
 *   <li><b>Neighbour guard</b>: rules 2 and 3 only apply when the centre of one box lies strictly inside the
 *       other. Two boxes side by side that overlap by less than half the extent of each along the touching axis
 *       (adjacent lamps, rows of lights) can therefore never suppress each other, whatever their labels or the
 *       thresholds.
 *   <li><b>Report</b>: every suppression is recorded with its survivor, rule, measure and overlap value.
 * </ol>
 *
 * <p>Alternatives: a survivor keeps up to {@code maxAlternatives} other labels, best first, one per class (the
 * highest probability seen); its own class is never listed. When a query's best label is itself suppressed by
 * another survivor, that survivor becomes the owner of the query: the query's later labels collapse into it
 * (reported as {@code SAME_QUERY}).
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
 *   <li>{@link #DEFAULT_PER_CLASS_IOU} 0.5: the usual NMS operating point (torchvision/COCO practice); same-label
 *       objects in crowds (partly occluding lights, pedestrians) rarely exceed it, true duplicates do.
 *   <li>{@link #DEFAULT_CROSS_CLASS_IOU} 0.7: two different labels on boxes overlapping this much are one object
 *       read two ways ("red" and "red + left arrow"); genuinely different objects of different classes (rider on
 *       a bicycle, person by a car) typically overlap less, so they are kept.
 *   <li>{@link #DEFAULT_CROSS_CLASS_IOMIN} 0.85 with {@link #DEFAULT_NESTED_AREA_RATIO} 0.5: a box 85 % inside
 *       another of at most twice its area is the same object at two extents (a crop missing one lamp); the area
 *       ratio protects small objects nested in big ones (a tie on a person, a person in front of a bus), whose
 *       IoMin is also near 1.
 *   <li>Neighbour guard on: adjacent lamps and lights must never merge, and the guard holds for any threshold.
 *   <li>{@link #DEFAULT_MAX_ALTERNATIVES} 5: enough for every label of a query seen in practice (COCO 359 shows
 *       4 labels on one query) at a fixed, allocation-free cost.
 * </ul>
 *
 * <p>Lifecycle: build once with {@link #builder()}, derive variants with {@link #toBuilder()}.
 *
 * <p>Threading: immutable and thread-safe; share one instance between threads, each with its own
 * {@link SuppressionWorkspace}. {@link #suppressInto} allocates nothing once the workspace has grown to the
 * input size; {@link #suppress} also allocates its result objects.
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
  }

  /** @return a builder with every default */
  public static Builder builder() {
    return new Builder();
  }

  /** @return the shared suppressor with every default */
  public static DuplicateSuppressor defaults() {
    return DEFAULTS;
  }

  /** @return a suppressor with rules 1–3 off: every valid candidate survives (useful as a baseline) */
  public static DuplicateSuppressor disabled() {
    return builder().sameQuery(false).crossClass(false).perClass(false).build();
  }

  /** @return a builder holding this suppressor's configuration */
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

  /** @return the lowest score a survivor needs to be output */
  public float scoreThreshold() {
    return scoreThreshold;
  }

  /** @return the maximum number of alternative labels per survivor */
  public int maxAlternatives() {
    return maxAlternatives;
  }

  /**
   * Suppresses duplicates and returns owned, immutable results (allocates a fresh workspace and the result).
   *
   * @param xyxy boxes {@code x1, y1, x2, y2}, four floats per candidate
   * @param scores one score (probability) per candidate
   * @param classIds one class per candidate
   * @param queries one DETR query index per candidate ({@code -1} = unknown), or null when unknown for all
   * @param count the number of candidates
   * @return survivors, report and invalid count
   * @throws IllegalArgumentException when an array holds fewer than {@code count} entries, or a class or query
   *     index is out of range
   */
  public SuppressionResult suppress(
      float[] xyxy, float[] scores, int[] classIds, int @Nullable [] queries, int count) {
    SuppressionWorkspace ws = new SuppressionWorkspace();
    suppressInto(xyxy, scores, classIds, queries, count, ws);
    return ws.toResult();
  }

  /**
   * Suppresses duplicates into a reusable workspace: allocation-free once {@code ws} has grown to {@code count}.
   * Read the output through {@code ws}'s accessors.
   *
   * @param xyxy boxes {@code x1, y1, x2, y2}, four floats per candidate
   * @param scores one score per candidate
   * @param classIds one class per candidate
   * @param queries one DETR query index per candidate ({@code -1} = unknown), or null
   * @param count the number of candidates
   * @param ws the calling thread's workspace; overwritten
   * @return the number of survivors output ({@code ws.size()})
   * @throws IllegalArgumentException when an array holds fewer than {@code count} entries, or a class or query
   *     index is out of range
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
        keys[m++] = PrimitiveSort.descendingKey(s, i);
      } else {
        invalid++;
      }
    }
    if (!isSorted(keys, m)) { // candidates from a top-k decode arrive sorted: skip the O(m log m) sort
      PrimitiveSort.sort(keys, m);
    }
    boolean useQueries = sameQuery && queries != null && maxQuery >= 0;
    if (useQueries) {
      ws.resetQueries(maxQuery + 1);
    }
    ws.invalidCount = invalid;
    ws.keptCount = 0;
    ws.supCount = 0;
    float[] kept = ws.keptXyxy;
    boolean perClassPretest =
        (perClassMetric == OverlapMetric.IOU || perClassMetric == OverlapMetric.IOMIN
            || perClassThreshold >= 0f);
    // Only a per-class DIoU/GIoU rule with a negative threshold can fire on disjoint boxes.
    boolean mustTouch = neighbourGuard || !perClass || perClassPretest;
    boolean pairRules = perClass || crossClass;
    for (int a = 0; a < m; a++) {
      int c = PrimitiveSort.indexOf(keys[a]);
      int q = queries != null ? queries[c] : -1;
      int cls = classIds[c];
      if (useQueries && q >= 0 && ws.queryStamp[q] == ws.generation) {
        int owner = ws.queryOwner[q];
        record(ws, xyxy, scores, classIds, queries, c, owner, SuppressionRule.SAME_QUERY,
            OverlapMetric.IOU, Overlaps.iou(xyxy, c, kept, owner));
        fold(ws, owner, cls, scores[c]);
        continue;
      }
      int by = -1;
      SuppressionRule rule = SuppressionRule.PER_CLASS;
      OverlapMetric metric = OverlapMetric.IOU;
      float overlap = 0f;
      int p = 4 * c;
      float cx1 = xyxy[p];
      float cy1 = xyxy[p + 1];
      float cx2 = xyxy[p + 2];
      float cy2 = xyxy[p + 3];
      // With rules 2 and 3 both off there is nothing to compare (keeps disabled() at O(m)).
      for (int k = 0, keptCount = pairRules ? ws.keptCount : 0; k < keptCount; k++) {
        int o = 4 * k;
        boolean touching = kept[o] < cx2 && cx1 < kept[o + 2] && kept[o + 1] < cy2 && cy1 < kept[o + 3];
        if (!touching && mustTouch) {
          continue; // disjoint: no rule can fire (the common case, kept cheap)
        }
        boolean same = ws.keptClass[k] == cls;
        if (same ? !perClass : !crossClass) {
          continue;
        }
        if (neighbourGuard
            && !(touching
                && (Overlaps.centreInside(xyxy, c, kept, k) || Overlaps.centreInside(kept, k, xyxy, c)))) {
          continue;
        }
        if (same) {
          if (!touching && perClassPretest) {
            continue;
          }
          float v = perClassMetric.between(xyxy, c, kept, k);
          if (v > perClassThreshold) {
            by = k;
            rule = SuppressionRule.PER_CLASS;
            metric = perClassMetric;
            overlap = v;
            break;
          }
        } else {
          if (!touching) {
            continue;
          }
          float v = Overlaps.iou(xyxy, c, kept, k);
          if (v > crossClassIou) {
            by = k;
            rule = SuppressionRule.CROSS_CLASS;
            metric = OverlapMetric.IOU;
            overlap = v;
            break;
          }
          float areaC = Overlaps.area(xyxy, c);
          float areaK = Overlaps.area(kept, k);
          float w = Overlaps.ioMin(xyxy, c, kept, k);
          if (w > crossClassIoMin && Math.min(areaC, areaK) >= nestedAreaRatio * Math.max(areaC, areaK)) {
            by = k;
            rule = SuppressionRule.CROSS_CLASS;
            metric = OverlapMetric.IOMIN;
            overlap = w;
            break;
          }
        }
      }
      if (by >= 0) {
        record(ws, xyxy, scores, classIds, queries, c, by, rule, metric, overlap);
        fold(ws, by, cls, scores[c]);
        if (useQueries && q >= 0) {
          ws.queryStamp[q] = ws.generation;
          ws.queryOwner[q] = by;
        }
        continue;
      }
      int k = ws.keptCount++;
      System.arraycopy(xyxy, 4 * c, kept, 4 * k, 4);
      ws.keptScore[k] = scores[c];
      ws.keptClass[k] = cls;
      ws.keptQuery[k] = q;
      ws.keptCandidate[k] = c;
      ws.altCount[k] = 0;
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

  private static boolean isSorted(long[] keys, int m) {
    for (int i = 1; i < m; i++) {
      if (keys[i - 1] > keys[i]) {
        return false;
      }
    }
    return true;
  }

  private static void record(
      SuppressionWorkspace ws,
      float[] xyxy,
      float[] scores,
      int[] classIds,
      int @Nullable [] queries,
      int candidate,
      int survivor,
      SuppressionRule rule,
      OverlapMetric metric,
      float overlap) {
    int e = ws.supCount++;
    ws.supCandidate[e] = candidate;
    ws.supSurvivor[e] = survivor;
    ws.supRule[e] = (byte) rule.ordinal();
    ws.supMetric[e] = (byte) metric.ordinal();
    ws.supOverlap[e] = overlap;
    System.arraycopy(xyxy, 4 * candidate, ws.supXyxy, 4 * e, 4);
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
    System.arraycopy(ws.supXyxy, 4 * from, ws.supXyxy, 4 * to, 4);
    ws.supScore[to] = ws.supScore[from];
    ws.supClass[to] = ws.supClass[from];
    ws.supQuery[to] = ws.supQuery[from];
  }

  /**
   * Adds (cls, score) to survivor k's alternatives. Candidates arrive in non-increasing score order, so a class
   * already listed holds the higher probability and a full list holds only better ones: append or skip.
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
        sameQuery, crossClass, crossClassIou, crossClassIoMin, nestedAreaRatio, perClass, perClassMetric,
        perClassThreshold, neighbourGuard, maxAlternatives, scoreThreshold);
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
     * @param threshold rule 2 IoU threshold in {@code [0, 1]}; 1 disables the IoU test (default 0.7)
     * @return this builder
     */
    public Builder crossClassIou(float threshold) {
      crossClassIou = threshold;
      return this;
    }

    /**
     * @param threshold rule 2 IoMin threshold for nested boxes in {@code [0, 1]}; 1 disables the nested test
     *     (default 0.85)
     * @return this builder
     */
    public Builder crossClassIoMin(float threshold) {
      crossClassIoMin = threshold;
      return this;
    }

    /**
     * @param ratio smallest {@code area(smaller) / area(larger)} for the nested test, in {@code [0, 1]}; 0 lets
     *     any nested box be suppressed (default 0.5)
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
     * @param threshold the lowest score a survivor needs to be output; lower candidates still act as evidence
     *     (default 0: output every survivor)
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
          signed ? perClassThreshold >= -1f && perClassThreshold <= 1f
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
