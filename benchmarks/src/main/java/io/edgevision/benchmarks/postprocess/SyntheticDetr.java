package io.edgevision.benchmarks.postprocess;

import java.util.Arrays;
import java.util.Random;

/**
 * Realistic synthetic raw DETR outputs ({@code pred_logits [Q][C]}, {@code pred_boxes [Q][4]}
 * normalised {@code cx, cy, w, h}) with a fixed seed.
 *
 * <p>Shape of the scene: about one object per ten queries. Each object is seen by three queries
 * with jittered boxes (the dense duplicates DETR emits in crowded scenes); the best query sometimes
 * carries a second label (the COCO 359 pattern), a duplicate query sometimes another class. A third
 * of the objects are small lamp-like boxes in touching rows. Every other query is background
 * (sigmoid around 0.001).
 */
final class SyntheticDetr {
  final int queries;
  final int classes;
  final float[] logits;
  final float[] boxes;

  SyntheticDetr(int queries, int classes, long seed) {
    this.queries = queries;
    this.classes = classes;
    Random rnd = new Random(seed);
    logits = new float[queries * classes];
    boxes = new float[4 * queries];
    for (int i = 0; i < logits.length; i++) {
      logits[i] = (float) (-7 + 1.5 * rnd.nextGaussian());
    }
    for (int q = 0; q < queries; q++) {
      boxes[4 * q] = rnd.nextFloat();
      boxes[4 * q + 1] = rnd.nextFloat();
      boxes[4 * q + 2] = 0.02f + 0.3f * rnd.nextFloat();
      boxes[4 * q + 3] = 0.02f + 0.3f * rnd.nextFloat();
    }
    int objects = queries / 10;
    int[] order = shuffled(queries, rnd);
    float lampX = 0.05f;
    float lampY = 0.1f;
    for (int o = 0; o < objects; o++) {
      int cls = rnd.nextInt(classes);
      float score = 0.35f + 0.6f * rnd.nextFloat();
      float cx;
      float cy;
      float w;
      float h;
      if (o % 3 == 0) { // small lamp in a touching row: 10x25 px at 640 px
        w = 10f / 640;
        h = 25f / 640;
        cx = lampX + w / 2;
        cy = lampY;
        lampX += w - rnd.nextInt(3) / 640f;
        if (lampX > 0.9f) {
          lampX = 0.05f;
          lampY += 0.06f;
        }
      } else {
        cx = 0.1f + 0.8f * rnd.nextFloat();
        cy = 0.1f + 0.8f * rnd.nextFloat();
        w = 0.03f + 0.2f * rnd.nextFloat();
        h = 0.03f + 0.2f * rnd.nextFloat();
      }
      for (int d = 0; d < 3; d++) {
        int q = order[3 * o + d];
        float jitter = d == 0 ? 0f : 0.004f * (rnd.nextFloat() - 0.5f);
        boxes[4 * q] = cx + jitter;
        boxes[4 * q + 1] = cy - jitter;
        boxes[4 * q + 2] = w * (1 + jitter);
        boxes[4 * q + 3] = h;
        int label = d > 0 && rnd.nextInt(3) == 0 ? rnd.nextInt(classes) : cls;
        float s = d == 0 ? score : score * (0.5f + 0.4f * rnd.nextFloat());
        logits[q * classes + label] = logit(s);
        if (d == 0 && rnd.nextBoolean()) {
          logits[q * classes + (label + 1 + rnd.nextInt(classes - 1)) % classes] =
              logit(0.1f + 0.2f * rnd.nextFloat());
        }
      }
    }
  }

  private static int[] shuffled(int n, Random rnd) {
    int[] a = new int[n];
    Arrays.setAll(a, i -> i);
    for (int i = n - 1; i > 0; i--) {
      int j = rnd.nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
    return a;
  }

  private static float logit(float p) {
    return (float) Math.log(p / (1 - p));
  }
}
