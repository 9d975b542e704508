package io.edgevision.benchmarks.postprocess;

import io.edgevision.postprocess.BoxTransform;
import io.edgevision.postprocess.DetrPostprocessor;
import io.edgevision.postprocess.DetrWorkspace;
import java.util.Arrays;
import org.opencv.core.MatOfFloat;
import org.opencv.core.MatOfInt;
import org.opencv.core.MatOfRect2d;
import org.opencv.core.Rect2d;
import org.opencv.dnn.Dnn;

/**
 * The post-processing a user would write without the SDK, for the paired ratio in
 * docs/PERFORMANCE.md: a plain Java loop over all Q × C logits comparing each against the logit of
 * the score threshold (no sigmoid per logit: the careful version), boxes to pixels, then OpenCV
 * {@code Dnn.NMSBoxes} (class-agnostic, IoU 0.5) on Mats built from those arrays on every call.
 * Against it: the SDK's {@code processInto} (top-k decode, duplicate suppression with all its
 * rules) on the same outputs. Both keep boxes scoring at least the SDK's default score threshold;
 * {@link #keptQueries} lets the caller compare the two kept sets. Single-threaded.
 */
public final class FairPostprocess {
  private final SyntheticDetr detr;
  private final DetrPostprocessor sdk;
  private final DetrWorkspace ws = new DetrWorkspace();
  private final float logitThreshold;
  private final float size = 640f;
  private final MatOfInt keep = new MatOfInt();
  private int[] lastQueries = new int[0];

  /**
   * @param queries Q
   * @param classes C
   */
  public FairPostprocess(int queries, int classes) {
    detr = new SyntheticDetr(queries, classes, 359L + queries + classes);
    sdk = DetrPostprocessor.builder(640, 640).numClasses(classes).build();
    float t = DetrPostprocessor.DEFAULT_SCORE_THRESHOLD;
    logitThreshold = (float) Math.log(t / (1 - t));
  }

  /**
   * @return detections the SDK keeps
   */
  public int sdk() {
    return sdk.processInto(detr.logits, detr.boxes, detr.queries, BoxTransform.IDENTITY, ws);
  }

  /**
   * @return detections the plain loop + NMSBoxes keeps
   */
  public int plainDecodeAndNmsBoxes() {
    int q = detr.queries;
    int c = detr.classes;
    float[] logits = detr.logits;
    float[] boxes = detr.boxes;
    int n = 0;
    Rect2d[] rects = new Rect2d[16];
    float[] scores = new float[16];
    int[] query = new int[16];
    for (int i = 0; i < q; i++) {
      int best = -1;
      float bestLogit = logitThreshold;
      for (int k = 0, off = i * c; k < c; k++) {
        float x = logits[off + k];
        if (x >= bestLogit) {
          bestLogit = x;
          best = k;
        }
      }
      if (best < 0) {
        continue;
      }
      if (n == rects.length) {
        rects = Arrays.copyOf(rects, 2 * n);
        scores = Arrays.copyOf(scores, 2 * n);
        query = Arrays.copyOf(query, 2 * n);
      }
      float cx = boxes[4 * i] * size;
      float cy = boxes[4 * i + 1] * size;
      float w = boxes[4 * i + 2] * size;
      float h = boxes[4 * i + 3] * size;
      rects[n] = new Rect2d(cx - w / 2, cy - h / 2, w, h);
      scores[n] = (float) (1 / (1 + Math.exp(-bestLogit)));
      query[n] = i;
      n++;
    }
    MatOfRect2d b = new MatOfRect2d(Arrays.copyOf(rects, n));
    MatOfFloat s = new MatOfFloat(Arrays.copyOf(scores, n));
    Dnn.NMSBoxes(b, s, DetrPostprocessor.DEFAULT_SCORE_THRESHOLD, 0.5f, keep);
    int kept = keep.rows();
    int[] idx = kept == 0 ? new int[0] : keep.toArray();
    lastQueries = new int[kept];
    for (int i = 0; i < kept; i++) {
      lastQueries[i] = query[idx[i]];
    }
    b.release();
    s.release();
    return kept;
  }

  /**
   * @return {kept by the SDK, kept by plain + NMSBoxes, query indices kept by both} after one call
   *     of each
   */
  public int[] keptQueries() {
    int sdkKept = sdk();
    plainDecodeAndNmsBoxes();
    java.util.Set<Integer> sdkQ = new java.util.HashSet<>();
    var dets =
        sdk.process(detr.logits, detr.boxes, detr.queries, BoxTransform.IDENTITY).detections();
    dets.forEach(d -> sdkQ.add(d.queryIndex()));
    int both = 0;
    for (int qi : lastQueries) {
      if (sdkQ.contains(qi)) {
        both++;
      }
    }
    return new int[] {sdkKept, lastQueries.length, both};
  }

  /** Releases the reused output Mat. */
  public void close() {
    keep.release();
  }
}
