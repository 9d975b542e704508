package io.edgevision.android.frames;

import io.edgevision.core.ImageFrame;
import io.edgevision.core.ImageFrames;
import io.edgevision.core.PixelFormat;
import java.nio.ByteBuffer;
import org.opencv.core.Mat;
import org.opencv.core.Rect;
import org.opencv.imgproc.Imgproc;

/**
 * Test support: a photo as a phone camera would deliver it — {@code YUV_420_888} planes with the
 * layout most phones report (Y rows padded to a multiple of 64, chroma semi-planar with pixel
 * stride 2, the V and U planes interleaved in one VU block), made from the photo by OpenCV's BGR to
 * I420 conversion.
 *
 * @param width even width
 * @param height even height
 * @param y Y plane
 * @param u U plane
 * @param v V plane
 */
public record CameraPlanes(int width, int height, Yuv420.Plane y, Yuv420.Plane u, Yuv420.Plane v) {
  /**
   * @param encoded a JPEG/PNG
   * @param name for messages
   * @return the planes (the photo cropped to even dimensions)
   */
  public static CameraPlanes fromPhoto(byte[] encoded, String name) {
    ImageFrame bgr = ImageFrames.decode(encoded, name);
    int w = bgr.width() & ~1;
    int h = bgr.height() & ~1;
    Mat full = ImageFrames.toBgrMat(bgr);
    Mat i420 = new Mat();
    try {
      Imgproc.cvtColor(full.submat(new Rect(0, 0, w, h)), i420, Imgproc.COLOR_BGR2YUV_I420);
      byte[] yuv = new byte[w * h * 3 / 2];
      i420.get(0, 0, yuv);
      int yStride = (w + 63) / 64 * 64;
      ByteBuffer yb = ByteBuffer.allocateDirect(yStride * h);
      for (int r = 0; r < h; r++) {
        yb.position(r * yStride);
        yb.put(yuv, r * w, w);
      }
      yb.clear();
      int cw = w / 2;
      int ch = h / 2;
      int cStride = yStride;
      ByteBuffer vu = ByteBuffer.allocateDirect(cStride * ch);
      int uOff = w * h;
      int vOff = uOff + cw * ch;
      for (int r = 0; r < ch; r++) {
        for (int c = 0; c < cw; c++) {
          vu.put(r * cStride + 2 * c, yuv[vOff + r * cw + c]);
          vu.put(r * cStride + 2 * c + 1, yuv[uOff + r * cw + c]);
        }
      }
      ByteBuffer vPlane = vu.duplicate();
      vPlane.limit(cStride * ch - 1);
      ByteBuffer uPlane = vu.duplicate();
      uPlane.position(1);
      return new CameraPlanes(
          w,
          h,
          new Yuv420.Plane(yb, yStride, 1),
          new Yuv420.Plane(uPlane.slice(), cStride, 2),
          new Yuv420.Plane(vPlane.slice(), cStride, 2));
    } finally {
      full.release();
      i420.release();
    }
  }

  /**
   * @return the planes converted by the app's own path into a new NV21 frame
   */
  public ImageFrame toNv21() {
    ImageFrame f =
        Yuv420.toNv21(
            width, height, y, u, v, ByteBuffer.allocateDirect(Yuv420.nv21Size(width, height)));
    if (f.format() != PixelFormat.NV21) {
      throw new AssertionError(f);
    }
    return f;
  }
}
