package io.edgevision.postprocess.internal;

/**
 * Overlap kernels over flat {@code float[]} boxes laid out as {@code x1, y1, x2, y2} per box (box
 * {@code i} starts at {@code 4 * i}).
 *
 * <p>Every kernel computes in {@code float} with the operation order of {@code torchvision.ops}
 * (areas {@code (x2 - x1) * (y2 - y1)}, union {@code (areaA + areaB) - inter}), so that thresholds
 * decide exactly as the reference does. Inputs are assumed valid (finite, positive area): callers
 * drop invalid boxes first. Threading: stateless.
 */
public final class Overlaps {
  /** The epsilon torchvision adds to the squared enclosing diagonal in {@code distance_box_iou}. */
  public static final float DIOU_EPS = 1e-7f;

  private Overlaps() {}

  /**
   * Intersection area of box {@code i} of {@code a} and box {@code j} of {@code b}.
   *
   * @param a boxes, 4 floats per box
   * @param i box index in {@code a}
   * @param b boxes, 4 floats per box
   * @param j box index in {@code b}
   * @return the intersection area, 0 when disjoint
   */
  public static float intersection(float[] a, int i, float[] b, int j) {
    int p = 4 * i;
    int q = 4 * j;
    float w = Math.min(a[p + 2], b[q + 2]) - Math.max(a[p], b[q]);
    float h = Math.min(a[p + 3], b[q + 3]) - Math.max(a[p + 1], b[q + 1]);
    return Math.max(0f, w) * Math.max(0f, h);
  }

  /**
   * Area {@code (x2 - x1) * (y2 - y1)} of box {@code i}.
   *
   * @param a boxes
   * @param i box index
   * @return the area
   */
  public static float area(float[] a, int i) {
    int p = 4 * i;
    return (a[p + 2] - a[p]) * (a[p + 3] - a[p + 1]);
  }

  /**
   * Intersection over union.
   *
   * @param a boxes
   * @param i box index in {@code a}
   * @param b boxes
   * @param j box index in {@code b}
   * @return IoU in {@code [0, 1]}; 0 when the union is empty
   */
  public static float iou(float[] a, int i, float[] b, int j) {
    float inter = intersection(a, i, b, j);
    float union = area(a, i) + area(b, j) - inter;
    return union > 0f ? inter / union : 0f;
  }

  /**
   * Intersection over union from a precomputed intersection and areas (same operation order as
   * {@link #iou(float[], int, float[], int)}, so bit-identical to it).
   *
   * @param inter the intersection area
   * @param areaA the area of the first box
   * @param areaB the area of the second box
   * @return IoU in {@code [0, 1]}; 0 when the union is empty
   */
  public static float iou(float inter, float areaA, float areaB) {
    float union = areaA + areaB - inter;
    return union > 0f ? inter / union : 0f;
  }

  /**
   * Intersection over the smaller area from a precomputed intersection and areas (bit-identical to
   * {@link #ioMin(float[], int, float[], int)}).
   *
   * @param inter the intersection area
   * @param areaA the area of the first box
   * @param areaB the area of the second box
   * @return IoMin in {@code [0, 1]}; 0 when the smaller area is 0
   */
  public static float ioMin(float inter, float areaA, float areaB) {
    float smaller = Math.min(areaA, areaB);
    return smaller > 0f ? inter / smaller : 0f;
  }

  /**
   * Intersection over the smaller of the two areas (IoMin, also called intersection over smaller).
   *
   * @param a boxes
   * @param i box index in {@code a}
   * @param b boxes
   * @param j box index in {@code b}
   * @return IoMin in {@code [0, 1]}; 0 when the smaller area is 0
   */
  public static float ioMin(float[] a, int i, float[] b, int j) {
    float inter = intersection(a, i, b, j);
    float smaller = Math.min(area(a, i), area(b, j));
    return smaller > 0f ? inter / smaller : 0f;
  }

  /**
   * Distance IoU as {@code torchvision.ops.distance_box_iou}: {@code IoU - rho^2 / (c^2 + 1e-7)}.
   *
   * @param a boxes
   * @param i box index in {@code a}
   * @param b boxes
   * @param j box index in {@code b}
   * @return DIoU in {@code [-1, 1]}
   */
  public static float diou(float[] a, int i, float[] b, int j) {
    int p = 4 * i;
    int q = 4 * j;
    float ew = Math.max(0f, Math.max(a[p + 2], b[q + 2]) - Math.min(a[p], b[q]));
    float eh = Math.max(0f, Math.max(a[p + 3], b[q + 3]) - Math.min(a[p + 1], b[q + 1]));
    float diagonal = ew * ew + eh * eh + DIOU_EPS;
    float dx = (a[p] + a[p + 2]) / 2f - (b[q] + b[q + 2]) / 2f;
    float dy = (a[p + 1] + a[p + 3]) / 2f - (b[q + 1] + b[q + 3]) / 2f;
    return iou(a, i, b, j) - (dx * dx + dy * dy) / diagonal;
  }

  /**
   * Generalised IoU as {@code torchvision.ops.generalized_box_iou}: {@code IoU - (C - union) / C},
   * where {@code C} is the area of the smallest enclosing box.
   *
   * @param a boxes
   * @param i box index in {@code a}
   * @param b boxes
   * @param j box index in {@code b}
   * @return GIoU in {@code [-1, 1]}
   */
  public static float giou(float[] a, int i, float[] b, int j) {
    int p = 4 * i;
    int q = 4 * j;
    float inter = intersection(a, i, b, j);
    float union = area(a, i) + area(b, j) - inter;
    float iou = union > 0f ? inter / union : 0f;
    float ew = Math.max(0f, Math.max(a[p + 2], b[q + 2]) - Math.min(a[p], b[q]));
    float eh = Math.max(0f, Math.max(a[p + 3], b[q + 3]) - Math.min(a[p + 1], b[q + 1]));
    float enclosing = ew * eh;
    return enclosing > 0f ? iou - (enclosing - union) / enclosing : iou;
  }

  /**
   * IoU evaluated the way OpenCV's {@code cv::dnn::softNMSBoxes} does on {@code cv::Rect}:
   * intersection and areas in {@code double}, then {@code 1f - (float) (1.0 - inter / union)}. On
   * integer-valued boxes this is bit-identical to OpenCV.
   *
   * @param a boxes
   * @param i box index in {@code a}
   * @param b boxes
   * @param j box index in {@code b}
   * @return the OpenCV-style IoU
   */
  public static float iouOpenCv(float[] a, int i, float[] b, int j) {
    int p = 4 * i;
    int q = 4 * j;
    double areaA = ((double) a[p + 2] - a[p]) * ((double) a[p + 3] - a[p + 1]);
    double areaB = ((double) b[q + 2] - b[q]) * ((double) b[q + 3] - b[q + 1]);
    if (areaA + areaB <= 0.0) {
      return 1f;
    }
    double w = Math.min((double) a[p + 2], b[q + 2]) - Math.max((double) a[p], b[q]);
    double h = Math.min((double) a[p + 3], b[q + 3]) - Math.max((double) a[p + 1], b[q + 1]);
    double inter = (w > 0 && h > 0) ? w * h : 0.0;
    double distance = 1.0 - inter / (areaA + areaB - inter);
    return 1f - (float) distance;
  }

  /**
   * Whether the boxes intersect with positive area; a cheap pre-test before any ratio.
   *
   * @param a boxes
   * @param i box index in {@code a}
   * @param b boxes
   * @param j box index in {@code b}
   * @return {@code true} when the intersection has positive area
   */
  public static boolean intersects(float[] a, int i, float[] b, int j) {
    int p = 4 * i;
    int q = 4 * j;
    return a[p] < b[q + 2] && b[q] < a[p + 2] && a[p + 1] < b[q + 3] && b[q + 1] < a[p + 3];
  }

  /**
   * Whether the centre of box {@code i} lies strictly inside box {@code j}.
   *
   * @param a boxes
   * @param i box index in {@code a} whose centre is tested
   * @param b boxes
   * @param j box index in {@code b} that must contain the centre
   * @return {@code true} when the centre is strictly inside
   */
  public static boolean centreInside(float[] a, int i, float[] b, int j) {
    int p = 4 * i;
    int q = 4 * j;
    float cx = (a[p] + a[p + 2]) * 0.5f;
    float cy = (a[p + 1] + a[p + 3]) * 0.5f;
    return cx > b[q] && cx < b[q + 2] && cy > b[q + 1] && cy < b[q + 3];
  }

  /**
   * Whether box {@code i} is valid: four finite coordinates with {@code x2 > x1} and {@code y2 >
   * y1}.
   *
   * @param a boxes
   * @param i box index
   * @return {@code true} when valid
   */
  public static boolean isValid(float[] a, int i) {
    int p = 4 * i;
    float x1 = a[p];
    float y1 = a[p + 1];
    float x2 = a[p + 2];
    float y2 = a[p + 3];
    // Written so that NaN fails every comparison; infinities fail the width/height finiteness test.
    float w = x2 - x1;
    float h = y2 - y1;
    return w > 0f
        && h > 0f
        && w < Float.POSITIVE_INFINITY
        && h < Float.POSITIVE_INFINITY
        && Math.abs(x1) < Float.POSITIVE_INFINITY
        && Math.abs(y1) < Float.POSITIVE_INFINITY;
  }
}
