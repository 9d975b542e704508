package io.edgevision.detectors.face;

import io.edgevision.core.DecodeContext;
import io.edgevision.core.EdgeVisionException;
import io.edgevision.core.ErrorCode;
import io.edgevision.core.OutputDecoder;
import io.edgevision.core.Outputs;
import io.edgevision.core.PreprocessTransform;
import io.edgevision.postprocess.Box;
import io.edgevision.postprocess.Nms;
import io.edgevision.postprocess.NmsResult;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Decodes YuNet or SCRFD outputs of one frame into faces in original-frame pixels: anchor decoding
 * per stride, score threshold, class-agnostic hard NMS ({@link Nms}), top-k, then mapping from
 * tensor to frame pixels.
 *
 * <p>YuNet (OpenCV {@code FaceDetectorYN} scheme): {@code score = sqrt(clamp01(cls)·clamp01(obj))};
 * {@code cx = (col + b0)·s}, {@code cy = (row + b1)·s}, {@code w = exp(b2)·s}, {@code h =
 * exp(b3)·s}; landmark {@code j = ((col + k2j)·s, (row + k2j+1)·s)}.
 *
 * <p>SCRFD (InsightFace {@code scrfd.py}): anchor centre {@code (col·s, row·s)} repeated per
 * anchor; {@code box = centre ∓ (l, t, r, b)·s}; landmark {@code j = centre + (k2j, k2j+1)·s}.
 *
 * <p>Threading: immutable, safe to share.
 */
final class FaceDecoder implements OutputDecoder<List<Face>> {
  private final FaceDetectorFamily family;
  private final List<String> names;
  private final float scoreThreshold;
  private final float nmsThreshold;
  private final int topK;

  FaceDecoder(
      FaceDetectorFamily family,
      List<String> names,
      float scoreThreshold,
      float nmsThreshold,
      int topK) {
    this.family = family;
    this.names = List.copyOf(names);
    this.scoreThreshold = scoreThreshold;
    this.nmsThreshold = nmsThreshold;
    this.topK = topK;
  }

  @Override
  public List<Face> decode(Outputs outputs, DecodeContext context) {
    PreprocessTransform t = context.transform();
    Candidates c = new Candidates();
    for (int si = 0; si < FaceDetectorFamily.STRIDES.length; si++) {
      int stride = FaceDetectorFamily.STRIDES[si];
      int cols = t.tensorWidth() / stride;
      int rows = t.tensorHeight() / stride;
      if (family == FaceDetectorFamily.YUNET) {
        decodeYuNet(outputs, si, stride, rows, cols, c);
      } else {
        decodeScrfd(outputs, si, stride, rows, cols, c);
      }
    }
    return select(c, t);
  }

  private void decodeYuNet(Outputs o, int si, int s, int rows, int cols, Candidates c) {
    int cells = rows * cols;
    float[] cls = checked(o, names.get(si), cells, 1);
    float[] obj = checked(o, names.get(3 + si), cells, 1);
    float[] bbox = checked(o, names.get(6 + si), cells, 4);
    float[] kps = checked(o, names.get(9 + si), cells, 10);
    float[] lm = new float[10];
    for (int r = 0; r < rows; r++) {
      for (int col = 0; col < cols; col++) {
        int idx = r * cols + col;
        float score = (float) Math.sqrt(clamp01(cls[idx]) * clamp01(obj[idx]));
        if (score < scoreThreshold) {
          continue;
        }
        float cx = (col + bbox[4 * idx]) * s;
        float cy = (r + bbox[4 * idx + 1]) * s;
        float w = (float) Math.exp(bbox[4 * idx + 2]) * s;
        float h = (float) Math.exp(bbox[4 * idx + 3]) * s;
        for (int j = 0; j < 5; j++) {
          lm[2 * j] = (kps[10 * idx + 2 * j] + col) * s;
          lm[2 * j + 1] = (kps[10 * idx + 2 * j + 1] + r) * s;
        }
        c.add(cx - w / 2f, cy - h / 2f, cx + w / 2f, cy + h / 2f, score, lm);
      }
    }
  }

  private void decodeScrfd(Outputs o, int si, int s, int rows, int cols, Candidates c) {
    String scoreName = names.get(si);
    long n = elements(o, scoreName);
    int cells = rows * cols;
    if (cells == 0 || n % cells != 0 || n / cells < 1 || n / cells > 8) {
      throw new EdgeVisionException(
          ErrorCode.INVALID_OUTPUT,
          "SCRFD output '"
              + scoreName
              + "' has "
              + n
              + " scores, expected a multiple of "
              + rows
              + "x"
              + cols
              + " cells for stride "
              + s);
    }
    int anchors = (int) (n / cells);
    int count = cells * anchors;
    float[] scores = checked(o, scoreName, count, 1);
    float[] dist = checked(o, names.get(3 + si), count, 4);
    float[] kps = checked(o, names.get(6 + si), count, 10);
    float[] lm = new float[10];
    for (int i = 0; i < count; i++) {
      float score = scores[i];
      if (score < scoreThreshold) {
        continue;
      }
      int cell = i / anchors;
      float ax = (cell % cols) * (float) s;
      float ay = (cell / cols) * (float) s;
      for (int j = 0; j < 5; j++) {
        lm[2 * j] = ax + kps[10 * i + 2 * j] * s;
        lm[2 * j + 1] = ay + kps[10 * i + 2 * j + 1] * s;
      }
      c.add(
          ax - dist[4 * i] * s,
          ay - dist[4 * i + 1] * s,
          ax + dist[4 * i + 2] * s,
          ay + dist[4 * i + 3] * s,
          Math.min(1f, Math.max(0f, score)),
          lm);
    }
  }

  private List<Face> select(Candidates c, PreprocessTransform t) {
    if (c.n == 0) {
      return List.of();
    }
    float[] xyxy = Arrays.copyOf(c.xyxy, 4 * c.n);
    float[] scores = Arrays.copyOf(c.scores, c.n);
    NmsResult kept = Nms.hard(xyxy, scores, nmsThreshold);
    int k = Math.min(topK, kept.size());
    List<Face> faces = new ArrayList<>(k);
    for (int m = 0; m < k; m++) {
      int i = kept.index(m);
      float x1 = (float) t.toSourceX(xyxy[4 * i]);
      float y1 = (float) t.toSourceY(xyxy[4 * i + 1]);
      float x2 = (float) t.toSourceX(xyxy[4 * i + 2]);
      float y2 = (float) t.toSourceY(xyxy[4 * i + 3]);
      float[] lm = new float[10];
      for (int j = 0; j < 5; j++) {
        lm[2 * j] = (float) t.toSourceX(c.landmarks[10 * i + 2 * j]);
        lm[2 * j + 1] = (float) t.toSourceY(c.landmarks[10 * i + 2 * j + 1]);
      }
      faces.add(new Face(new Box(x1, y1, x2, y2), scores[i], Landmarks.of(lm)));
    }
    return List.copyOf(faces);
  }

  private static float clamp01(float v) {
    return Math.min(1f, Math.max(0f, v));
  }

  private static long elements(Outputs o, String name) {
    long n = 1;
    for (long d : o.shape(name)) {
      n *= d;
    }
    return n;
  }

  /** Reads an output and checks it holds {@code rows * width} values. */
  private static float[] checked(Outputs o, String name, int rows, int width) {
    long n = elements(o, name);
    if (n != (long) rows * width) {
      throw new EdgeVisionException(
          ErrorCode.INVALID_OUTPUT,
          "output '"
              + name
              + "' has shape "
              + Arrays.toString(o.shape(name))
              + ", expected "
              + rows
              + " x "
              + width
              + " values for the input size");
    }
    return o.floats(name);
  }

  /** Growable candidate arrays (tensor pixels). */
  private static final class Candidates {
    float[] xyxy = new float[64];
    float[] scores = new float[16];
    float[] landmarks = new float[160];
    int n;

    void add(float x1, float y1, float x2, float y2, float score, float[] lm) {
      if (n == scores.length) {
        xyxy = Arrays.copyOf(xyxy, 8 * n);
        scores = Arrays.copyOf(scores, 2 * n);
        landmarks = Arrays.copyOf(landmarks, 20 * n);
      }
      xyxy[4 * n] = x1;
      xyxy[4 * n + 1] = y1;
      xyxy[4 * n + 2] = x2;
      xyxy[4 * n + 3] = y2;
      scores[n] = score;
      System.arraycopy(lm, 0, landmarks, 10 * n, 10);
      n++;
    }
  }
}
