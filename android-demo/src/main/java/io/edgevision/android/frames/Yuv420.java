package io.edgevision.android.frames;

import io.edgevision.core.EdgeVisionException;
import io.edgevision.core.ErrorCode;
import io.edgevision.core.ImageFrame;
import io.edgevision.core.PixelFormat;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * Converts camera frames in Android's {@code YUV_420_888} layout (three planes, each with its own
 * row stride and pixel stride, as {@code android.media.Image.getPlanes()} reports them) into the
 * SDK's NV21 {@link ImageFrame}. Pure Java, no Android classes: the same code runs in the app and
 * in desktop tests.
 *
 * <h2>Example</h2>
 *
 * <pre>{@code
 * Image.Plane[] p = image.getPlanes();
 * ByteBuffer nv21 = ByteBuffer.allocateDirect(Yuv420.nv21Size(w, h));       // reused frame to frame
 * ImageFrame frame = Yuv420.toNv21(w, h,
 *     new Yuv420.Plane(p[0].getBuffer(), p[0].getRowStride(), p[0].getPixelStride()),
 *     new Yuv420.Plane(p[1].getBuffer(), p[1].getRowStride(), p[1].getPixelStride()),
 *     new Yuv420.Plane(p[2].getBuffer(), p[2].getRowStride(), p[2].getPixelStride()), nv21);
 * }</pre>
 *
 * <h2>Copies</h2>
 *
 * The camera's planes are separate buffers that the camera reclaims when the {@code Image} is
 * closed, so one copy into a caller-owned buffer is unavoidable (and lets the camera image be
 * closed at once). The Y plane is copied with bulk row copies (one bulk copy when its row stride
 * equals the width); the chroma samples (a quarter of the pixels per plane) are interleaved V, U
 * one by one, which handles every pixel stride phones report (1: planar I420-like, 2: semi-planar).
 * The planes' positions and limits are not changed.
 *
 * <h2>Threading</h2>
 *
 * Stateless and thread-safe; callers must not write the planes or the output while a conversion
 * runs.
 */
public final class Yuv420 {
  private Yuv420() {}

  /**
   * One plane as the camera reports it.
   *
   * @param buffer the plane's bytes from its position
   * @param rowStride bytes between the starts of two rows
   * @param pixelStride bytes between two samples of a row (1 or 2 on phones)
   */
  public record Plane(ByteBuffer buffer, int rowStride, int pixelStride) {
    /**
     * @throws NullPointerException when buffer is null
     * @throws IllegalArgumentException when a stride is not positive
     */
    public Plane {
      Objects.requireNonNull(buffer, "buffer");
      if (rowStride <= 0 || pixelStride <= 0) {
        throw new IllegalArgumentException(
            "expected positive strides, got rowStride "
                + rowStride
                + ", pixelStride "
                + pixelStride);
      }
    }
  }

  /**
   * @param width frame width, even
   * @param height frame height, even
   * @return bytes of an NV21 frame: {@code width * height * 3 / 2}
   */
  public static int nv21Size(int width, int height) {
    return Math.multiplyExact(width, height) / 2 * 3;
  }

  /**
   * Writes the NV21 bytes (Y plane, then interleaved V, U at half resolution) into {@code out} from
   * its position and returns a frame over them.
   *
   * @param width frame width (even, &gt; 0)
   * @param height frame height (even, &gt; 0)
   * @param y the luma plane (pixel stride 1)
   * @param u the Cb plane
   * @param v the Cr plane
   * @param out where the NV21 bytes go; needs {@link #nv21Size} bytes remaining; its position is
   *     not changed
   * @return an NV21 frame over {@code out}'s bytes (valid until the caller reuses {@code out})
   * @throws EdgeVisionException {@link ErrorCode#BAD_INPUT} when the geometry, strides or buffer
   *     sizes disagree
   */
  public static ImageFrame toNv21(
      int width, int height, Plane y, Plane u, Plane v, ByteBuffer out) {
    Objects.requireNonNull(y, "y");
    Objects.requireNonNull(u, "u");
    Objects.requireNonNull(v, "v");
    Objects.requireNonNull(out, "out");
    check(
        width > 0 && height > 0 && width % 2 == 0 && height % 2 == 0,
        "YUV_420_888 frame size must be positive and even, got %dx%d",
        width,
        height);
    check(y.pixelStride() == 1, "Y plane pixel stride must be 1, got %d", y.pixelStride());
    check(
        y.rowStride() >= width,
        "Y plane row stride must be at least the width %d, got %d",
        width,
        y.rowStride());
    int cw = width / 2;
    int ch = height / 2;
    checkPlane("U", u, cw, ch);
    checkPlane("V", v, cw, ch);
    check(
        needed(y, width, height) <= y.buffer().remaining(),
        "Y plane of %dx%d with row stride %d needs %d bytes, got %d",
        width,
        height,
        y.rowStride(),
        needed(y, width, height),
        y.buffer().remaining());
    int size = nv21Size(width, height);
    check(
        out.remaining() >= size,
        "NV21 output for %dx%d needs %d bytes, got %d",
        width,
        height,
        size,
        out.remaining());

    ByteBuffer dst = out.duplicate();
    int base = dst.position();
    ByteBuffer ySrc = y.buffer().duplicate();
    int y0 = ySrc.position();
    if (y.rowStride() == width) {
      ySrc.limit(y0 + width * height);
      dst.put(ySrc);
    } else {
      for (int r = 0; r < height; r++) {
        ySrc.limit(y0 + r * y.rowStride() + width).position(y0 + r * y.rowStride());
        dst.put(ySrc);
      }
    }
    ByteBuffer ub = u.buffer();
    ByteBuffer vb = v.buffer();
    int u0 = ub.position();
    int v0 = vb.position();
    int o = base + width * height;
    for (int r = 0; r < ch; r++) {
      int ur = u0 + r * u.rowStride();
      int vr = v0 + r * v.rowStride();
      for (int c = 0; c < cw; c++) {
        dst.put(o++, vb.get(vr + c * v.pixelStride()));
        dst.put(o++, ub.get(ur + c * u.pixelStride()));
      }
    }
    ByteBuffer frame = out.duplicate();
    frame.limit(base + size);
    return ImageFrame.wrap(frame, width, height, width, PixelFormat.NV21);
  }

  private static void checkPlane(String name, Plane p, int cw, int ch) {
    check(
        p.pixelStride() == 1 || p.pixelStride() == 2,
        "%s plane pixel stride must be 1 or 2, got %d",
        name,
        p.pixelStride());
    check(
        p.rowStride() >= (cw - 1) * p.pixelStride() + 1,
        "%s plane row stride must hold %d samples at pixel stride %d, got %d",
        name,
        cw,
        p.pixelStride(),
        p.rowStride());
    long needed = needed(p, cw, ch);
    check(
        needed <= p.buffer().remaining(),
        "%s plane of %dx%d samples (row stride %d, pixel stride %d) needs %d bytes, got %d",
        name,
        cw,
        ch,
        p.rowStride(),
        p.pixelStride(),
        needed,
        p.buffer().remaining());
  }

  /**
   * Bytes a plane needs: full rows except the last, which phones may truncate after its last
   * sample.
   */
  private static long needed(Plane p, int samples, int rows) {
    return (long) p.rowStride() * (rows - 1) + (long) (samples - 1) * p.pixelStride() + 1;
  }

  private static void check(boolean ok, String format, Object... args) {
    if (!ok) {
      throw new EdgeVisionException(ErrorCode.BAD_INPUT, String.format(format, args));
    }
  }
}
