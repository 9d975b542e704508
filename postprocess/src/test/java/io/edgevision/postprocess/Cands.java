package io.edgevision.postprocess;

import java.util.ArrayList;
import java.util.List;

/** Test fixture: a list of candidate rows turned into the primitive arrays the suppressor takes. */
final class Cands {
  final List<float[]> boxes = new ArrayList<>();
  final List<Float> scores = new ArrayList<>();
  final List<Integer> classes = new ArrayList<>();
  final List<Integer> queries = new ArrayList<>();

  static Cands of() {
    return new Cands();
  }

  /** Adds a candidate; returns this. */
  Cands add(float x1, float y1, float x2, float y2, float score, int cls, int query) {
    boxes.add(new float[] {x1, y1, x2, y2});
    scores.add(score);
    classes.add(cls);
    queries.add(query);
    return this;
  }

  int size() {
    return scores.size();
  }

  float[] xyxy() {
    float[] out = new float[4 * size()];
    for (int i = 0; i < size(); i++) {
      System.arraycopy(boxes.get(i), 0, out, 4 * i, 4);
    }
    return out;
  }

  float[] scores() {
    float[] out = new float[size()];
    for (int i = 0; i < size(); i++) {
      out[i] = scores.get(i);
    }
    return out;
  }

  int[] classes() {
    return classes.stream().mapToInt(Integer::intValue).toArray();
  }

  int[] queries() {
    return queries.stream().mapToInt(Integer::intValue).toArray();
  }

  SuppressionResult run(DuplicateSuppressor s) {
    return s.suppress(xyxy(), scores(), classes(), queries(), size());
  }

  @Override
  public String toString() {
    return size() + " candidates";
  }
}
