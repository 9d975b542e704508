package io.edgevision.postprocess;

import io.edgevision.postprocess.internal.Checks;

/**
 * Box format conversions over flat {@code float[]} arrays (four floats per box, box {@code i} at
 * {@code 4 * i}): {@code cx, cy, w, h} ↔ {@code x1, y1, x2, y2}, normalised (0..1 of the image) ↔
 * pixels, and clamping.
 *
 * <p>Example, DETR boxes to pixels of a 640×480 image:
 *
 * <pre>{@code
 * Boxes.cxcywhToXyxy(predBoxes, xyxy, numQueries);   // still normalised
 * Boxes.scale(xyxy, numQueries, 640f, 480f);          // now pixels
 * Boxes.clamp(xyxy, numQueries, 640f, 480f);
 * }</pre>
 *
 * <p>Every method is allocation-free; {@code src} and {@code dst} may be the same array. Threading:
 * stateless.
 */
public final class Boxes {
  private Boxes() {}

  /**
   * {@code cx, cy, w, h} → {@code x1, y1, x2, y2} ({@code x1 = cx - 0.5 w}, as DETR's {@code
   * box_cxcywh_to_xyxy}). The unit (normalised or pixels) is unchanged.
   *
   * @param src centre-size boxes
   * @param dst receives corner boxes (may be {@code src})
   * @param count the number of boxes
   * @throws IllegalArgumentException when an array holds fewer than {@code count} boxes
   */
  public static void cxcywhToXyxy(float[] src, float[] dst, int count) {
    Checks.checkLength(src.length, count, 4, "src");
    Checks.checkLength(dst.length, count, 4, "dst");
    for (int p = 0, end = 4 * count; p < end; p += 4) {
      float cx = src[p];
      float cy = src[p + 1];
      float hw = 0.5f * src[p + 2];
      float hh = 0.5f * src[p + 3];
      dst[p] = cx - hw;
      dst[p + 1] = cy - hh;
      dst[p + 2] = cx + hw;
      dst[p + 3] = cy + hh;
    }
  }

  /**
   * {@code x1, y1, x2, y2} → {@code cx, cy, w, h}. The unit is unchanged.
   *
   * @param src corner boxes
   * @param dst receives centre-size boxes (may be {@code src})
   * @param count the number of boxes
   * @throws IllegalArgumentException when an array holds fewer than {@code count} boxes
   */
  public static void xyxyToCxcywh(float[] src, float[] dst, int count) {
    Checks.checkLength(src.length, count, 4, "src");
    Checks.checkLength(dst.length, count, 4, "dst");
    for (int p = 0, end = 4 * count; p < end; p += 4) {
      float x1 = src[p];
      float y1 = src[p + 1];
      float x2 = src[p + 2];
      float y2 = src[p + 3];
      dst[p] = (x1 + x2) * 0.5f;
      dst[p + 1] = (y1 + y2) * 0.5f;
      dst[p + 2] = x2 - x1;
      dst[p + 3] = y2 - y1;
    }
  }

  /**
   * Multiplies x coordinates by {@code width} and y coordinates by {@code height} in place:
   * normalised → pixels (works for either box format).
   *
   * @param boxes boxes, four floats per box
   * @param count the number of boxes
   * @param width image width, pixels, positive
   * @param height image height, pixels, positive
   * @throws IllegalArgumentException when the size is not positive or the array is too short
   */
  public static void scale(float[] boxes, int count, float width, float height) {
    Checks.checkArgument(
        width > 0f && height > 0f, "expected a positive size, got %sx%s", width, height);
    Checks.checkLength(boxes.length, count, 4, "boxes");
    for (int p = 0, end = 4 * count; p < end; p += 4) {
      boxes[p] *= width;
      boxes[p + 1] *= height;
      boxes[p + 2] *= width;
      boxes[p + 3] *= height;
    }
  }

  /**
   * Divides x coordinates by {@code width} and y coordinates by {@code height} in place: pixels →
   * normalised.
   *
   * @param boxes boxes, four floats per box
   * @param count the number of boxes
   * @param width image width, pixels, positive
   * @param height image height, pixels, positive
   * @throws IllegalArgumentException when the size is not positive or the array is too short
   */
  public static void normalise(float[] boxes, int count, float width, float height) {
    Checks.checkArgument(
        width > 0f && height > 0f, "expected a positive size, got %sx%s", width, height);
    Checks.checkLength(boxes.length, count, 4, "boxes");
    for (int p = 0, end = 4 * count; p < end; p += 4) {
      boxes[p] /= width;
      boxes[p + 1] /= height;
      boxes[p + 2] /= width;
      boxes[p + 3] /= height;
    }
  }

  /**
   * Clamps {@code x1, y1, x2, y2} boxes in place to {@code [0, width] × [0, height]}. A box
   * entirely outside becomes zero-area; the NMS family and the suppressor then drop and count it.
   *
   * @param xyxy corner boxes, pixels
   * @param count the number of boxes
   * @param width image width, pixels, positive
   * @param height image height, pixels, positive
   * @throws IllegalArgumentException when the size is not positive or the array is too short
   */
  public static void clamp(float[] xyxy, int count, float width, float height) {
    Checks.checkArgument(
        width > 0f && height > 0f, "expected a positive size, got %sx%s", width, height);
    Checks.checkLength(xyxy.length, count, 4, "xyxy");
    for (int p = 0, end = 4 * count; p < end; p += 4) {
      xyxy[p] = Math.min(Math.max(xyxy[p], 0f), width);
      xyxy[p + 1] = Math.min(Math.max(xyxy[p + 1], 0f), height);
      xyxy[p + 2] = Math.min(Math.max(xyxy[p + 2], 0f), width);
      xyxy[p + 3] = Math.min(Math.max(xyxy[p + 3], 0f), height);
    }
  }

  /**
   * Intersection over union of two boxes, COCO convention (continuous coordinates, no +1), in
   * double precision: the measure evaluation matches boxes by (pycocotools) and the tracker
   * associates them by.
   *
   * @param a one box
   * @param b the other
   * @return IoU in {@code [0, 1]}; 0 when they do not overlap or both are empty
   */
  public static double iou(Box a, Box b) {
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
