package io.edgevision.detectors.traffic;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The class names of one model variant, carried by every detection result so that callers can print
 * the label of any class index in it (detections, alternatives, suppressed readings) without going
 * back to the detector.
 *
 * <p>Names are the descriptor's {@code edgevision.labels} when the model has them, else the COCO-80
 * names ({@link CocoLabels}; models without labels are taken to be COCO exports, the common case).
 * An index with no name reads {@code "class N"}.
 *
 * <h2>Example</h2>
 *
 * <pre>{@code
 * TrafficLightResult r = detector.detect(frame, budget);
 * for (TrafficLight l : r.lights()) {
 *   for (LabelScore a : l.alternatives()) {
 *     System.out.println(r.labels().name(a.classId()) + " " + a.score());
 *   }
 * }
 * }</pre>
 *
 * <p>Lifecycle and threading: an immutable value; safe to share. Two instances are equal when they
 * hold the same names (or both fall back to COCO).
 */
public final class LabelNames {
  private static final LabelNames COCO = new LabelNames(List.of());

  private final List<String> names;

  private LabelNames(List<String> names) {
    this.names = names;
  }

  /**
   * @param labels a model's class names, index order; empty for a model without labels (COCO
   *     fallback)
   * @return the names
   * @throws NullPointerException when the list or a name is null
   */
  public static LabelNames of(List<String> labels) {
    List<String> copy = List.copyOf(labels);
    return copy.isEmpty() ? COCO : new LabelNames(copy);
  }

  /**
   * @return the COCO-80 names ({@link CocoLabels}), for models without labels
   */
  public static LabelNames coco() {
    return COCO;
  }

  /**
   * @param classId a 0-based class index (any value)
   * @return its name; {@code "class N"} when the model has no name for it
   */
  public String name(int classId) {
    if (names.isEmpty()) {
      return CocoLabels.name(classId);
    }
    return classId >= 0 && classId < names.size()
        ? names.get(classId)
        : String.format(Locale.ROOT, "class %d", classId);
  }

  /**
   * @return the model's own names (unmodifiable), empty when it has none and COCO names are used
   */
  public List<String> modelLabels() {
    return names;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LabelNames other && names.equals(other.names);
  }

  @Override
  public int hashCode() {
    return Objects.hash(names);
  }

  @Override
  public String toString() {
    return names.isEmpty() ? "LabelNames[coco]" : "LabelNames" + names;
  }
}
