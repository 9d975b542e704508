package io.edgevision.postprocess;

import io.edgevision.postprocess.internal.Overlaps;
import java.util.Locale;

/**
 * How much two boxes overlap. All measures use areas {@code (x2 - x1) * (y2 - y1)} on {@code x1,
 * y1, x2, y2} boxes, in {@code float}, with torchvision's operation order.
 *
 * <p>Let {@code I} be the intersection area, {@code A}, {@code B} the areas, {@code U = A + B - I}
 * the union, {@code C} the area of the smallest enclosing box, {@code ρ} the distance between the
 * centres and {@code c} the diagonal of the enclosing box:
 *
 * <ul>
 *   <li>{@link #IOU}: {@code I / U}, in {@code [0, 1]}.
 *   <li>{@link #IOMIN}: {@code I / min(A, B)}, in {@code [0, 1]}; 1 when one box is nested in the
 *       other. This is also what supervision and others call <i>intersection over smaller</i>
 *       (IoS): the same measure, so it has one constant ({@link #parse} accepts {@code "ios"} as an
 *       alias).
 *   <li>{@link #DIOU}: {@code IoU - ρ² / (c² + 1e-7)}, in {@code [-1, 1]} ({@code
 *       torchvision.ops.distance_box_iou}).
 *   <li>{@link #GIOU}: {@code IoU - (C - U) / C}, in {@code [-1, 1]} ({@code
 *       torchvision.ops.generalized_box_iou}).
 * </ul>
 *
 * <p>Threading: immutable constants.
 */
public enum OverlapMetric {
  /** Intersection over union. */
  IOU,
  /** Intersection over the smaller area (= intersection over smaller, IoS). */
  IOMIN,
  /** Distance IoU: IoU minus the squared centre distance over the squared enclosing diagonal. */
  DIOU,
  /** Generalised IoU: IoU minus the empty fraction of the enclosing box. */
  GIOU;

  /**
   * The overlap of box {@code i} of {@code a} and box {@code j} of {@code b}. Allocation-free.
   *
   * @param a boxes, {@code x1, y1, x2, y2}, four floats per box
   * @param i box index in {@code a}
   * @param b boxes, same layout
   * @param j box index in {@code b}
   * @return the overlap
   */
  public float between(float[] a, int i, float[] b, int j) {
    switch (this) {
      case IOU:
        return Overlaps.iou(a, i, b, j);
      case IOMIN:
        return Overlaps.ioMin(a, i, b, j);
      case DIOU:
        return Overlaps.diou(a, i, b, j);
      case GIOU:
        return Overlaps.giou(a, i, b, j);
      default:
        throw new AssertionError(this);
    }
  }

  /**
   * The overlap of two boxes.
   *
   * @param a a box
   * @param b a box
   * @return the overlap
   */
  public float between(Box a, Box b) {
    float[] tmp = {a.x1(), a.y1(), a.x2(), a.y2(), b.x1(), b.y1(), b.x2(), b.y2()};
    return between(tmp, 0, tmp, 1);
  }

  /**
   * Parses a name, case-insensitively: {@code iou}, {@code iomin} (alias {@code ios}), {@code
   * diou}, {@code giou}.
   *
   * @param name the name
   * @return the metric
   * @throws IllegalArgumentException for any other name
   */
  public static OverlapMetric parse(String name) {
    String n = name.trim().toLowerCase(Locale.ROOT);
    switch (n) {
      case "iou":
        return IOU;
      case "iomin":
      case "ios":
        return IOMIN;
      case "diou":
        return DIOU;
      case "giou":
        return GIOU;
      default:
        throw new IllegalArgumentException(
            "expected one of iou, iomin, ios, diou, giou, got \"" + name + "\"");
    }
  }
}
