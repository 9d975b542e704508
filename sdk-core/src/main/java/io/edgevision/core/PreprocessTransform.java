package io.edgevision.core;

import static io.edgevision.core.internal.Checks.checkArgument;

/**
 * The geometry preprocessing applied to one frame, to map model-input coordinates back to pixels of
 * the original frame: {@code tensorX = sourceX * scaleX + padX}, so {@code sourceX = (tensorX -
 * padX) / scaleX} (same for y).
 *
 * @param sourceWidth original frame width in pixels
 * @param sourceHeight original frame height in pixels
 * @param tensorWidth width of the model input tensor
 * @param tensorHeight height of the model input tensor
 * @param scaleX horizontal scale from source to tensor pixels
 * @param scaleY vertical scale from source to tensor pixels
 * @param padX left padding in tensor pixels
 * @param padY top padding in tensor pixels
 */
public record PreprocessTransform(
    int sourceWidth,
    int sourceHeight,
    int tensorWidth,
    int tensorHeight,
    double scaleX,
    double scaleY,
    double padX,
    double padY) {
  public PreprocessTransform {
    checkArgument(
        sourceWidth > 0 && sourceHeight > 0 && tensorWidth > 0 && tensorHeight > 0,
        "sizes must be positive, got source %dx%d tensor %dx%d",
        sourceWidth,
        sourceHeight,
        tensorWidth,
        tensorHeight);
    checkArgument(scaleX > 0 && scaleY > 0, "scales must be positive, got %s, %s", scaleX, scaleY);
  }

  /**
   * @return the source x of tensor x {@code x} (not clamped)
   */
  public double toSourceX(double x) {
    return (x - padX) / scaleX;
  }

  /**
   * @return the source y of tensor y {@code y} (not clamped)
   */
  public double toSourceY(double y) {
    return (y - padY) / scaleY;
  }

  /**
   * Maps boxes in place from tensor pixels to source pixels, clamped to the source frame.
   *
   * @param xyxy boxes as {@code [x1, y1, x2, y2]*}, tensor pixels; overwritten with source pixels
   */
  public void mapBoxesToSource(float[] xyxy) {
    checkArgument(xyxy.length % 4 == 0, "expected 4 values per box, got %d values", xyxy.length);
    for (int i = 0; i < xyxy.length; i += 4) {
      xyxy[i] = clamp(toSourceX(xyxy[i]), sourceWidth);
      xyxy[i + 1] = clamp(toSourceY(xyxy[i + 1]), sourceHeight);
      xyxy[i + 2] = clamp(toSourceX(xyxy[i + 2]), sourceWidth);
      xyxy[i + 3] = clamp(toSourceY(xyxy[i + 3]), sourceHeight);
    }
  }

  private static float clamp(double v, int max) {
    return (float) Math.max(0, Math.min(max, v));
  }
}
