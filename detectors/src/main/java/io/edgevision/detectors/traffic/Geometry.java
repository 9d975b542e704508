package io.edgevision.detectors.traffic;

import io.edgevision.postprocess.Box;

/** Box overlap helpers for matching (evaluation, tracking). Threading: stateless. */
final class Geometry {
  private Geometry() {}

  /**
   * Intersection over union of two boxes, COCO convention (continuous coordinates, no +1).
   *
   * @return IoU in {@code [0, 1]}; 0 when both boxes are empty
   */
  static double iou(Box a, Box b) {
    double iw = Math.min(a.x2(), b.x2()) - Math.max(a.x1(), b.x1());
    double ih = Math.min(a.y2(), b.y2()) - Math.max(a.y1(), b.y1());
    if (iw <= 0 || ih <= 0) {
      return 0;
    }
    double inter = iw * ih;
    double union = (double) a.width() * a.height() + (double) b.width() * b.height() - inter;
    return union <= 0 ? 0 : inter / union;
  }
}
