package io.edgevision.postprocess;

import io.edgevision.postprocess.internal.Checks;

/**
 * Maps boxes from <b>model-input pixels</b> back to <b>pixels of the original frame</b>, undoing a
 * resize or a letterbox, then optionally clamps them to the frame.
 *
 * <p>For every x coordinate: {@code original = (model - offsetX) / scaleX}; for every y coordinate:
 * {@code original = (model - offsetY) / scaleY}. That is the inverse of the preprocessing {@code
 * model = original * scale + offset} (scale the frame, then pad {@code offset} pixels on the
 * left/top). When {@code clampWidth > 0}, x is then clamped to {@code [0, clampWidth]}; when {@code
 * clampHeight > 0}, y to {@code [0, clampHeight]}; 0 means "do not clamp that axis".
 *
 * <p>Example: a 1280×720 frame letterboxed into 640×640 has scale 0.5 on both axes and offset
 * {@code (0, 140)}; {@code BoxTransform.of(0.5f, 0.5f, 0, 140).withClamp(1280, 720)} (or {@link
 * #letterbox(int, int, int, int)}) maps a model box {@code [100, 240, 200, 340]} to {@code [200,
 * 200, 400, 400]}.
 *
 * <p>Threading: immutable.
 *
 * @param scaleX model pixels per original pixel along x, finite and positive
 * @param scaleY model pixels per original pixel along y, finite and positive
 * @param offsetX left padding in model pixels, finite
 * @param offsetY top padding in model pixels, finite
 * @param clampWidth the original frame width to clamp x to, or 0 for no clamping
 * @param clampHeight the original frame height to clamp y to, or 0 for no clamping
 */
public record BoxTransform(
    float scaleX, float scaleY, float offsetX, float offsetY, float clampWidth, float clampHeight) {
  /** The identity: model pixels are original pixels, no clamping. */
  public static final BoxTransform IDENTITY = new BoxTransform(1f, 1f, 0f, 0f, 0f, 0f);

  /**
   * Validates the transform.
   *
   * @param scaleX model pixels per original pixel along x, finite and positive
   * @param scaleY model pixels per original pixel along y, finite and positive
   * @param offsetX left padding in model pixels, finite
   * @param offsetY top padding in model pixels, finite
   * @param clampWidth the original frame width to clamp x to, or 0 for no clamping
   * @param clampHeight the original frame height to clamp y to, or 0 for no clamping
   * @throws IllegalArgumentException when a scale is not positive or a value is not finite
   */
  public BoxTransform {
    Checks.checkArgument(
        scaleX > 0f && scaleX < Float.POSITIVE_INFINITY, "expected scaleX > 0, got %s", scaleX);
    Checks.checkArgument(
        scaleY > 0f && scaleY < Float.POSITIVE_INFINITY, "expected scaleY > 0, got %s", scaleY);
    Checks.checkArgument(Float.isFinite(offsetX), "expected a finite offsetX, got %s", offsetX);
    Checks.checkArgument(Float.isFinite(offsetY), "expected a finite offsetY, got %s", offsetY);
    Checks.checkArgument(
        clampWidth >= 0f && clampWidth < Float.POSITIVE_INFINITY,
        "expected clampWidth >= 0 (0 = no clamp), got %s",
        clampWidth);
    Checks.checkArgument(
        clampHeight >= 0f && clampHeight < Float.POSITIVE_INFINITY,
        "expected clampHeight >= 0 (0 = no clamp), got %s",
        clampHeight);
  }

  /**
   * A transform without clamping.
   *
   * @param scaleX model pixels per original pixel along x
   * @param scaleY model pixels per original pixel along y
   * @param offsetX left padding, model pixels
   * @param offsetY top padding, model pixels
   * @return the transform
   */
  public static BoxTransform of(float scaleX, float scaleY, float offsetX, float offsetY) {
    return new BoxTransform(scaleX, scaleY, offsetX, offsetY, 0f, 0f);
  }

  /**
   * The inverse of a plain (aspect-changing) resize of a {@code frameWidth × frameHeight} frame to
   * {@code inputWidth × inputHeight}, clamped to the frame. DEIMv2 and RT-DETR exports preprocess
   * this way.
   *
   * @param frameWidth original frame width, pixels, positive
   * @param frameHeight original frame height, pixels, positive
   * @param inputWidth model input width, pixels, positive
   * @param inputHeight model input height, pixels, positive
   * @return the transform
   * @throws IllegalArgumentException when a size is not positive
   */
  public static BoxTransform resize(
      int frameWidth, int frameHeight, int inputWidth, int inputHeight) {
    checkSizes(frameWidth, frameHeight, inputWidth, inputHeight);
    return new BoxTransform(
        (float) inputWidth / frameWidth,
        (float) inputHeight / frameHeight,
        0f,
        0f,
        frameWidth,
        frameHeight);
  }

  /**
   * The inverse of an aspect-preserving, centred letterbox of a {@code frameWidth × frameHeight}
   * frame into {@code inputWidth × inputHeight}: {@code scale = min(inputWidth / frameWidth,
   * inputHeight / frameHeight)}, {@code offset = (input - frame * scale) / 2} on each axis,
   * unrounded, clamped to the frame. When the preprocessing rounds the resized size or the padding,
   * pass its exact numbers to {@link #of} instead.
   *
   * @param frameWidth original frame width, pixels, positive
   * @param frameHeight original frame height, pixels, positive
   * @param inputWidth model input width, pixels, positive
   * @param inputHeight model input height, pixels, positive
   * @return the transform
   * @throws IllegalArgumentException when a size is not positive
   */
  public static BoxTransform letterbox(
      int frameWidth, int frameHeight, int inputWidth, int inputHeight) {
    checkSizes(frameWidth, frameHeight, inputWidth, inputHeight);
    float scale = Math.min((float) inputWidth / frameWidth, (float) inputHeight / frameHeight);
    return new BoxTransform(
        scale,
        scale,
        (inputWidth - frameWidth * scale) / 2f,
        (inputHeight - frameHeight * scale) / 2f,
        frameWidth,
        frameHeight);
  }

  private static void checkSizes(int fw, int fh, int iw, int ih) {
    Checks.checkArgument(fw > 0 && fh > 0, "expected a positive frame size, got %dx%d", fw, fh);
    Checks.checkArgument(iw > 0 && ih > 0, "expected a positive input size, got %dx%d", iw, ih);
  }

  /**
   * This transform clamping to a frame of the given size.
   *
   * @param width frame width to clamp x to, or 0 for none
   * @param height frame height to clamp y to, or 0 for none
   * @return a new transform
   */
  public BoxTransform withClamp(float width, float height) {
    return new BoxTransform(scaleX, scaleY, offsetX, offsetY, width, height);
  }

  /**
   * @return whether this transform changes nothing (unit scale, zero offset, no clamping)
   */
  public boolean isIdentity() {
    return equals(IDENTITY);
  }

  /**
   * Applies the transform in place to {@code count} boxes of a flat {@code x1, y1, x2, y2} array.
   * Allocation-free.
   *
   * @param xyxy boxes, four floats per box, model-input pixels in, original-frame pixels out
   * @param count the number of boxes
   * @throws IllegalArgumentException when the array holds fewer than {@code count} boxes
   */
  public void apply(float[] xyxy, int count) {
    Checks.checkLength(xyxy.length, count, 4, "xyxy");
    float ix = 1f / scaleX;
    float iy = 1f / scaleY;
    boolean clampX = clampWidth > 0f;
    boolean clampY = clampHeight > 0f;
    for (int p = 0, end = 4 * count; p < end; p += 4) {
      float x1 = (xyxy[p] - offsetX) * ix;
      float y1 = (xyxy[p + 1] - offsetY) * iy;
      float x2 = (xyxy[p + 2] - offsetX) * ix;
      float y2 = (xyxy[p + 3] - offsetY) * iy;
      if (clampX) {
        x1 = Math.min(Math.max(x1, 0f), clampWidth);
        x2 = Math.min(Math.max(x2, 0f), clampWidth);
      }
      if (clampY) {
        y1 = Math.min(Math.max(y1, 0f), clampHeight);
        y2 = Math.min(Math.max(y2, 0f), clampHeight);
      }
      xyxy[p] = x1;
      xyxy[p + 1] = y1;
      xyxy[p + 2] = x2;
      xyxy[p + 3] = y2;
    }
  }

  /**
   * Applies the transform to one box.
   *
   * @param modelBox a box in model-input pixels
   * @return the box in original-frame pixels
   */
  public Box apply(Box modelBox) {
    float[] tmp = {modelBox.x1(), modelBox.y1(), modelBox.x2(), modelBox.y2()};
    apply(tmp, 1);
    return Box.fromArray(tmp, 0);
  }
}
