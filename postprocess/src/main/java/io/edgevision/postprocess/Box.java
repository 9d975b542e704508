package io.edgevision.postprocess;

import io.edgevision.postprocess.internal.Checks;

/**
 * An axis-aligned box, {@code x1, y1, x2, y2}, in <b>pixels of the original frame</b> (the image
 * the caller gave to the pipeline, after any letterbox or resize was undone), with {@code x1 <= x2}
 * and {@code y1 <= y2}.
 *
 * <p>Example: {@code new Box(10, 20, 30, 60).area()} is {@code 800}.
 *
 * <p>Threading: immutable, safe to share.
 *
 * @param x1 left edge, pixels
 * @param y1 top edge, pixels
 * @param x2 right edge, pixels, at least {@code x1}
 * @param y2 bottom edge, pixels, at least {@code y1}
 */
public record Box(float x1, float y1, float x2, float y2) {
  /**
   * Validates the box.
   *
   * @param x1 left edge, pixels
   * @param y1 top edge, pixels
   * @param x2 right edge, pixels, at least {@code x1}
   * @param y2 bottom edge, pixels, at least {@code y1}
   * @throws IllegalArgumentException when a coordinate is not finite or the box is inverted
   */
  public Box {
    Checks.checkArgument(
        Float.isFinite(x1) && Float.isFinite(y1) && Float.isFinite(x2) && Float.isFinite(y2),
        "expected finite coordinates, got [%s, %s, %s, %s]",
        x1,
        y1,
        x2,
        y2);
    Checks.checkArgument(x2 >= x1, "expected x2 >= x1, got x1=%s, x2=%s", x1, x2);
    Checks.checkArgument(y2 >= y1, "expected y2 >= y1, got y1=%s, y2=%s", y1, y2);
  }

  /**
   * Builds a box from a centre and a size, in pixels.
   *
   * @param cx centre x
   * @param cy centre y
   * @param width width, at least 0
   * @param height height, at least 0
   * @return the box {@code cx - w/2, cy - h/2, cx + w/2, cy + h/2}
   * @throws IllegalArgumentException when the result is not a valid box
   */
  public static Box ofCentre(float cx, float cy, float width, float height) {
    return new Box(cx - 0.5f * width, cy - 0.5f * height, cx + 0.5f * width, cy + 0.5f * height);
  }

  /**
   * Reads box {@code i} of a flat {@code x1, y1, x2, y2} array.
   *
   * @param xyxy boxes, four floats per box
   * @param i box index
   * @return the box
   * @throws IllegalArgumentException when the stored box is invalid
   */
  public static Box fromArray(float[] xyxy, int i) {
    int p = 4 * i;
    return new Box(xyxy[p], xyxy[p + 1], xyxy[p + 2], xyxy[p + 3]);
  }

  /**
   * @return {@code x2 - x1}
   */
  public float width() {
    return x2 - x1;
  }

  /**
   * @return {@code y2 - y1}
   */
  public float height() {
    return y2 - y1;
  }

  /**
   * @return {@code width() * height()}
   */
  public float area() {
    return width() * height();
  }

  /**
   * @return the centre x
   */
  public float centreX() {
    return (x1 + x2) * 0.5f;
  }

  /**
   * @return the centre y
   */
  public float centreY() {
    return (y1 + y2) * 0.5f;
  }

  /**
   * Writes this box into a flat array.
   *
   * @param xyxy destination, four floats per box
   * @param i box index
   */
  public void toArray(float[] xyxy, int i) {
    int p = 4 * i;
    xyxy[p] = x1;
    xyxy[p + 1] = y1;
    xyxy[p + 2] = x2;
    xyxy[p + 3] = y2;
  }
}
