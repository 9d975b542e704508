package io.edgevision.postprocess;

import io.edgevision.postprocess.internal.Checks;
import io.edgevision.postprocess.internal.Overlaps;
import io.edgevision.postprocess.internal.PrimitiveSort;
import java.util.Arrays;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The NMS family as short static functions over primitive arrays: hard NMS, batched (per-class)
 * NMS, DIoU-NMS, Soft-NMS (linear and Gaussian, OpenCV semantics) and weighted box merge, selected
 * at run time by {@link NmsOptions}.
 *
 * <p>Example:
 *
 * <pre>{@code
 * NmsResult kept = Nms.apply(NmsOptions.batched(0.5f), xyxy, scores, classIds);
 * for (int k = 0; k < kept.size(); k++) {
 *   int i = kept.index(k);   // index into the inputs, highest score first
 * }
 * }</pre>
 *
 * <p>Inputs: {@code xyxy} holds {@code x1, y1, x2, y2} per box (any single coordinate space,
 * typically pixels of the original frame), {@code scores} one finite score per box, {@code
 * classIds} one class per box (may be null when class-agnostic). The box count is {@code
 * scores.length}. <b>Validity:</b> boxes with a non-finite coordinate or non-positive width or
 * height, and non-finite scores, are dropped before any NMS and counted in {@link
 * NmsResult#invalidCount()}; they never reach the output.
 *
 * <p>Parity: {@link NmsStrategy#HARD} with IoU matches {@code torchvision.ops.nms} (class-agnostic)
 * and {@code batched_nms} (per-class); with DIoU it matches greedy NMS over {@code
 * distance_box_iou}; the Soft-NMS strategies match {@code cv2.dnn.softNMSBoxes} including its
 * selection order and decayed scores (IoU computed in {@code double} like OpenCV's {@code
 * jaccardDistance}, bit-identical on integer boxes). Ties in score keep the lower input index
 * first.
 *
 * <p>Cost: {@code O(n log n + n·k)} for {@code k} kept boxes; each call allocates its scratch
 * arrays and result (this family is not the DETR hot path, see {@link DuplicateSuppressor} for the
 * allocation-free one). Threading: stateless; safe from any thread.
 */
public final class Nms {
  private Nms() {}

  /**
   * Runs the NMS family member {@code options} selects.
   *
   * @param options strategy, metric, threshold, class handling, score floor
   * @param xyxy boxes, four floats per box
   * @param scores one score per box; {@code scores.length} is the box count
   * @param classIds one class per box; may be null only when {@code options.classAgnostic()}
   * @return the kept boxes, highest (decayed) score first
   * @throws IllegalArgumentException when array lengths disagree or class ids are missing
   */
  public static NmsResult apply(
      NmsOptions options, float[] xyxy, float[] scores, int @Nullable [] classIds) {
    Objects.requireNonNull(options, "options");
    int n = scores.length;
    Checks.checkArgument(
        xyxy.length == 4 * n,
        "expected xyxy.length == 4 * scores.length = %d, got %d",
        4 * n,
        xyxy.length);
    Checks.checkArgument(
        options.classAgnostic() || classIds != null,
        "expected classIds for class-aware NMS, got null",
        0);
    if (classIds != null) {
      Checks.checkArgument(
          classIds.length == n, "expected classIds.length == %d, got %d", n, classIds.length);
    }
    int[] valid = new int[n];
    long[] keys = new long[n];
    int m = 0;
    int invalid = 0;
    for (int i = 0; i < n; i++) {
      float s = scores[i];
      if (!Overlaps.isValid(xyxy, i) || !Float.isFinite(s)) {
        invalid++;
      } else if (s >= options.scoreThreshold()) {
        keys[m++] = PrimitiveSort.descendingKey(s, i);
      }
    }
    PrimitiveSort.sort(keys, m);
    for (int k = 0; k < m; k++) {
      valid[k] = PrimitiveSort.indexOf(keys[k]);
    }
    switch (options.strategy()) {
      case NONE:
        return select(xyxy, scores, Arrays.copyOf(valid, m), invalid);
      case HARD:
        return hardSorted(options, xyxy, scores, classIds, valid, m, invalid);
      case SOFT_LINEAR:
      case SOFT_GAUSSIAN:
        return softSorted(options, xyxy, scores, classIds, valid, m, invalid);
      case MERGE:
        return mergeSorted(options, xyxy, scores, classIds, valid, m, invalid);
      default:
        throw new AssertionError(options.strategy());
    }
  }

  /**
   * Class-agnostic hard NMS with IoU ({@code torchvision.ops.nms}).
   *
   * @param xyxy boxes, four floats per box
   * @param scores one score per box
   * @param iouThreshold suppress when IoU is greater than this, in {@code [0, 1]}
   * @return the kept boxes, highest score first
   * @throws IllegalArgumentException when array lengths disagree or the threshold is out of range
   */
  public static NmsResult hard(float[] xyxy, float[] scores, float iouThreshold) {
    return apply(NmsOptions.hard(iouThreshold), xyxy, scores, null);
  }

  /**
   * Per-class hard NMS with IoU ({@code torchvision.ops.batched_nms}).
   *
   * @param xyxy boxes, four floats per box
   * @param scores one score per box
   * @param classIds one class per box
   * @param iouThreshold suppress when IoU is greater than this, in {@code [0, 1]}
   * @return every class's survivors together, highest score first
   * @throws IllegalArgumentException when array lengths disagree or the threshold is out of range
   */
  public static NmsResult batched(
      float[] xyxy, float[] scores, int[] classIds, float iouThreshold) {
    return apply(NmsOptions.batched(iouThreshold), xyxy, scores, classIds);
  }

  /**
   * Class-agnostic DIoU-NMS: suppress when {@code IoU - ρ²/c²} is greater than the threshold.
   *
   * @param xyxy boxes, four floats per box
   * @param scores one score per box
   * @param threshold the DIoU threshold, in {@code [-1, 1]}
   * @return the kept boxes, highest score first
   * @throws IllegalArgumentException when array lengths disagree or the threshold is out of range
   */
  public static NmsResult diou(float[] xyxy, float[] scores, float threshold) {
    return apply(NmsOptions.diou(threshold), xyxy, scores, null);
  }

  /**
   * Converts OpenCV-style {@code x, y, w, h} rectangles to {@code x1, y1, x2, y2} (exact for
   * integer values below 2<sup>24</sup>), e.g. to feed {@code cv::Rect} data to the Soft-NMS
   * strategies.
   *
   * @param xywh rectangles, four values per box
   * @return corner boxes
   */
  public static float[] xywhToXyxy(float[] xywh) {
    float[] out = new float[xywh.length];
    for (int p = 0; p + 3 < xywh.length; p += 4) {
      out[p] = xywh[p];
      out[p + 1] = xywh[p + 1];
      out[p + 2] = xywh[p] + xywh[p + 2];
      out[p + 3] = xywh[p + 1] + xywh[p + 3];
    }
    return out;
  }

  private static NmsResult select(float[] xyxy, float[] scores, int[] kept, int invalid) {
    float[] keptScores = new float[kept.length];
    float[] keptBoxes = new float[4 * kept.length];
    for (int k = 0; k < kept.length; k++) {
      keptScores[k] = scores[kept[k]];
      System.arraycopy(xyxy, 4 * kept[k], keptBoxes, 4 * k, 4);
    }
    return new NmsResult(kept, keptScores, keptBoxes, invalid);
  }

  private static boolean interacts(boolean agnostic, int @Nullable [] classIds, int i, int j) {
    return agnostic || classIds == null || classIds[i] == classIds[j];
  }

  /**
   * Whether disjoint boxes can never pass the threshold, so the cheap intersection pre-test is
   * exact.
   */
  private static boolean disjointNeverPasses(OverlapMetric metric, float threshold) {
    return (metric == OverlapMetric.IOU || metric == OverlapMetric.IOMIN) && threshold >= 0f;
  }

  private static NmsResult hardSorted(
      NmsOptions o,
      float[] xyxy,
      float[] scores,
      int @Nullable [] classIds,
      int[] order,
      int m,
      int invalid) {
    boolean[] suppressed = new boolean[m];
    int[] kept = new int[m];
    int keptCount = 0;
    boolean pretest = disjointNeverPasses(o.metric(), o.threshold());
    for (int a = 0; a < m; a++) {
      if (suppressed[a]) {
        continue;
      }
      int i = order[a];
      kept[keptCount++] = i;
      for (int b = a + 1; b < m; b++) {
        if (suppressed[b]) {
          continue;
        }
        int j = order[b];
        if (!interacts(o.classAgnostic(), classIds, i, j)) {
          continue;
        }
        if (pretest && !Overlaps.intersects(xyxy, i, xyxy, j)) {
          continue;
        }
        if (o.metric().between(xyxy, i, xyxy, j) > o.threshold()) {
          suppressed[b] = true;
        }
      }
    }
    return select(xyxy, scores, Arrays.copyOf(kept, keptCount), invalid);
  }

  /**
   * OpenCV {@code softNMSBoxes}: repeatedly pick the best remaining (decayed) score (ties: lower
   * index), stop when it is below the score threshold, decay every remaining box that is not below
   * it.
   */
  private static NmsResult softSorted(
      NmsOptions o,
      float[] xyxy,
      float[] scores,
      int @Nullable [] classIds,
      int[] order,
      int m,
      int invalid) {
    boolean gaussian = o.strategy() == NmsStrategy.SOFT_GAUSSIAN;
    boolean openCvIou = o.metric() == OverlapMetric.IOU;
    float[] s = new float[m];
    int[] idx = Arrays.copyOf(order, m);
    for (int k = 0; k < m; k++) {
      s[k] = scores[idx[k]];
    }
    int[] kept = new int[m];
    float[] keptScores = new float[m];
    int keptCount = 0;
    for (int start = 0; start < m; start++) {
      int best = start;
      for (int k = start + 1; k < m; k++) {
        if (s[k] > s[best] || (s[k] == s[best] && idx[k] < idx[best])) {
          best = k;
        }
      }
      if (s[best] < o.scoreThreshold()) {
        break;
      }
      int bi = idx[best];
      kept[keptCount] = bi;
      keptScores[keptCount++] = s[best];
      s[best] = s[start];
      idx[best] = idx[start];
      s[start] = keptScores[keptCount - 1];
      idx[start] = bi;
      for (int k = start + 1; k < m; k++) {
        if (s[k] < o.scoreThreshold() || !interacts(o.classAgnostic(), classIds, bi, idx[k])) {
          continue;
        }
        float overlap =
            openCvIou
                ? Overlaps.iouOpenCv(xyxy, bi, xyxy, idx[k])
                : o.metric().between(xyxy, bi, xyxy, idx[k]);
        if (gaussian) {
          s[k] *= (float) Math.exp(-(overlap * overlap) / o.sigma());
        } else if (overlap > o.threshold()) {
          s[k] *= 1f - overlap;
        }
      }
    }
    int[] keptIdx = Arrays.copyOf(kept, keptCount);
    float[] keptBoxes = new float[4 * keptCount];
    for (int k = 0; k < keptCount; k++) {
      System.arraycopy(xyxy, 4 * keptIdx[k], keptBoxes, 4 * k, 4);
    }
    return new NmsResult(keptIdx, Arrays.copyOf(keptScores, keptCount), keptBoxes, invalid);
  }

  private static NmsResult mergeSorted(
      NmsOptions o,
      float[] xyxy,
      float[] scores,
      int @Nullable [] classIds,
      int[] order,
      int m,
      int invalid) {
    boolean[] assigned = new boolean[m];
    int[] kept = new int[m];
    float[] keptScores = new float[m];
    float[] keptBoxes = new float[4 * m];
    int keptCount = 0;
    boolean pretest = disjointNeverPasses(o.metric(), o.threshold());
    for (int a = 0; a < m; a++) {
      if (assigned[a]) {
        continue;
      }
      int i = order[a];
      double w = scores[i];
      double x1 = w * xyxy[4 * i];
      double y1 = w * xyxy[4 * i + 1];
      double x2 = w * xyxy[4 * i + 2];
      double y2 = w * xyxy[4 * i + 3];
      for (int b = a + 1; b < m; b++) {
        int j = order[b];
        if (assigned[b] || !interacts(o.classAgnostic(), classIds, i, j)) {
          continue;
        }
        if (pretest && !Overlaps.intersects(xyxy, i, xyxy, j)) {
          continue;
        }
        if (o.metric().between(xyxy, i, xyxy, j) > o.threshold()) {
          assigned[b] = true;
          double sj = scores[j];
          w += sj;
          x1 += sj * xyxy[4 * j];
          y1 += sj * xyxy[4 * j + 1];
          x2 += sj * xyxy[4 * j + 2];
          y2 += sj * xyxy[4 * j + 3];
        }
      }
      int p = 4 * keptCount;
      if (w > 0) {
        keptBoxes[p] = (float) (x1 / w);
        keptBoxes[p + 1] = (float) (y1 / w);
        keptBoxes[p + 2] = (float) (x2 / w);
        keptBoxes[p + 3] = (float) (y2 / w);
      } else {
        System.arraycopy(xyxy, 4 * i, keptBoxes, p, 4);
      }
      kept[keptCount] = i;
      keptScores[keptCount++] = scores[i];
    }
    return new NmsResult(
        Arrays.copyOf(kept, keptCount),
        Arrays.copyOf(keptScores, keptCount),
        Arrays.copyOf(keptBoxes, 4 * keptCount),
        invalid);
  }
}
