package io.edgevision.core;

/**
 * Pixel memory layouts an {@link ImageFrame} can hold. All are 8 bits per sample.
 *
 * <p>Packed formats store {@link #channels()} interleaved bytes per pixel, rows {@code rowStride}
 * bytes apart. {@link #NV21} and {@link #I420} are Android/camera YUV 4:2:0: a full-resolution Y
 * plane followed by chroma planes at half resolution; they need even width and height and occupy
 * {@code rowStride * height * 3 / 2} bytes (the row stride applies to the Y plane, chroma rows are
 * {@code rowStride / 2} or {@code rowStride} apart as the format defines).
 */
public enum PixelFormat {
  /** 3 bytes per pixel, blue green red (OpenCV's default). */
  BGR(3, false),
  /** 3 bytes per pixel, red green blue. */
  RGB(3, false),
  /** 4 bytes per pixel, blue green red alpha. */
  BGRA(4, false),
  /** 4 bytes per pixel, red green blue alpha (Android {@code ARGB_8888} in memory order). */
  RGBA(4, false),
  /** 1 byte per pixel, luminance. */
  GRAY(1, false),
  /** YUV 4:2:0: Y plane, then interleaved V/U at half resolution (Android camera default). */
  NV21(1, true),
  /**
   * YUV 4:2:0: Y plane, then the U plane, then the V plane, each chroma plane at half resolution.
   */
  I420(1, true);

  private final int channels;
  private final boolean planarYuv;

  PixelFormat(int channels, boolean planarYuv) {
    this.channels = channels;
    this.planarYuv = planarYuv;
  }

  /**
   * @return interleaved bytes per pixel of the (first) plane: 3, 4 or 1 (YUV formats report the Y
   *     plane)
   */
  public int channels() {
    return channels;
  }

  /**
   * @return true for the YUV 4:2:0 formats {@link #NV21} and {@link #I420}
   */
  public boolean isYuv420() {
    return planarYuv;
  }

  /**
   * Bytes a frame of this format needs.
   *
   * @param rowStride bytes between the starts of two rows (of the Y plane for YUV)
   * @param height rows
   * @return the minimum buffer size in bytes
   */
  public long requiredBytes(int rowStride, int height) {
    return planarYuv ? (long) rowStride * height * 3 / 2 : (long) rowStride * height;
  }
}
