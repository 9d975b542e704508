package io.edgevision.postprocess;

import java.util.AbstractList;
import java.util.ArrayList;
import java.util.List;
import java.util.RandomAccess;
import java.util.function.Predicate;

/**
 * An immutable, list-like collection of {@link Detection}s (boxes in pixels of the original frame,
 * {@code x1, y1, x2, y2}), usually highest score first. {@link #filter} and {@link #withNms} return
 * new instances.
 *
 * <p>Example:
 *
 * <pre>{@code
 * Detections lights = result.detections().filter(d -> d.classId() == 9).withMinScore(0.5f);
 * }</pre>
 *
 * <p>Threading: immutable, safe to share. Mutators of {@link java.util.List} throw {@link
 * UnsupportedOperationException}.
 */
public final class Detections extends AbstractList<Detection> implements RandomAccess {
  private static final Detections EMPTY = new Detections(new Detection[0]);

  private final Detection[] items;

  private Detections(Detection[] items) {
    this.items = items;
  }

  /**
   * Copies a list of detections.
   *
   * @param detections the detections, in the order to keep
   * @return an immutable copy
   * @throws NullPointerException when the list or an element is null
   */
  public static Detections of(List<Detection> detections) {
    if (detections instanceof Detections) {
      return (Detections) detections;
    }
    return detections.isEmpty()
        ? EMPTY
        : new Detections(List.copyOf(detections).toArray(new Detection[0]));
  }

  /**
   * @return the empty collection
   */
  public static Detections empty() {
    return EMPTY;
  }

  @Override
  public Detection get(int index) {
    return items[index];
  }

  @Override
  public int size() {
    return items.length;
  }

  /**
   * @param keep which detections to keep
   * @return the detections {@code keep} accepts, in the same order
   */
  public Detections filter(Predicate<? super Detection> keep) {
    List<Detection> out = new ArrayList<>();
    for (Detection d : items) {
      if (keep.test(d)) {
        out.add(d);
      }
    }
    return out.size() == items.length ? this : of(out);
  }

  /**
   * @param minScore the lowest score to keep
   * @return the detections scoring at least {@code minScore}
   */
  public Detections withMinScore(float minScore) {
    return filter(d -> d.score() >= minScore);
  }

  /**
   * Runs a member of the NMS family over these detections (alternatives and query indices are kept;
   * for {@link NmsStrategy#MERGE} boxes become the merged boxes, for Soft-NMS scores become the
   * decayed scores).
   *
   * @param options the NMS configuration
   * @return the kept detections, highest (decayed) score first
   */
  public Detections withNms(NmsOptions options) {
    int n = items.length;
    float[] xyxy = new float[4 * n];
    float[] scores = new float[n];
    int[] classes = new int[n];
    for (int i = 0; i < n; i++) {
      items[i].box().toArray(xyxy, i);
      scores[i] = items[i].score();
      classes[i] = items[i].classId();
    }
    NmsResult kept = Nms.apply(options, xyxy, scores, classes);
    Detection[] out = new Detection[kept.size()];
    for (int k = 0; k < out.length; k++) {
      Detection d = items[kept.index(k)];
      out[k] =
          new Detection(kept.box(k), d.classId(), kept.score(k), d.queryIndex(), d.alternatives());
    }
    return out.length == 0 ? EMPTY : new Detections(out);
  }
}
