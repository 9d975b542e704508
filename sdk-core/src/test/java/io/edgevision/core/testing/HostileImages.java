package io.edgevision.core.testing;

import io.edgevision.core.internal.OpenCv;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.zip.CRC32;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.Scalar;
import org.opencv.imgcodecs.Imgcodecs;

/**
 * Small valid images encoded by OpenCV, and hostile variants of them whose headers claim other
 * sizes or are damaged: the cases the robustness probe of issue 16 found. Shared by the image tests
 * and the fuzz suite.
 */
public final class HostileImages {
  private HostileImages() {}

  /**
   * A {@code w×h} BGR gradient encoded with the given extension ({@code .jpg}, {@code .png}, {@code
   * .bmp}...).
   */
  public static byte[] encode(String ext, int w, int h) {
    OpenCv.ensureLoaded();
    Mat m = new Mat(h, w, CvType.CV_8UC3, new Scalar(0, 0, 0));
    byte[] px = new byte[w * h * 3];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int i = (y * w + x) * 3;
        px[i] = (byte) (x * 255 / Math.max(1, w - 1));
        px[i + 1] = (byte) (y * 255 / Math.max(1, h - 1));
        px[i + 2] = (byte) ((x + y) * 7);
      }
    }
    m.put(0, 0, px);
    MatOfByte out = new MatOfByte();
    try {
      if (!Imgcodecs.imencode(ext, m, out)) {
        throw new IllegalStateException("OpenCV cannot encode " + ext);
      }
      return out.toArray();
    } finally {
      out.release();
      m.release();
    }
  }

  /**
   * A PNG whose IHDR claims {@code w×h} (CRC recomputed so that the header itself is well-formed).
   */
  public static byte[] pngClaiming(long w, long h) {
    byte[] b = encode(".png", 16, 16);
    ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.BIG_ENDIAN);
    bb.putInt(16, (int) w);
    bb.putInt(20, (int) h);
    CRC32 crc = new CRC32();
    crc.update(b, 12, 17); // "IHDR" + 13 data bytes
    bb.putInt(29, (int) crc.getValue());
    return b;
  }

  /** A baseline JPEG whose SOF0 claims {@code w×h}. */
  public static byte[] jpegClaiming(int w, int h) {
    byte[] b = encode(".jpg", 16, 16);
    int sof = sofOffset(b);
    b[sof + 5] = (byte) (h >> 8);
    b[sof + 6] = (byte) h;
    b[sof + 7] = (byte) (w >> 8);
    b[sof + 8] = (byte) w;
    return b;
  }

  /** Offset of the first SOFn marker's 0xFF byte in a JPEG. */
  public static int sofOffset(byte[] b) {
    int p = 2;
    while (p + 4 < b.length) {
      int m = b[p + 1] & 0xff;
      if (m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC) {
        return p;
      }
      p += 2 + (((b[p + 2] & 0xff) << 8) | (b[p + 3] & 0xff));
    }
    throw new IllegalStateException("no SOF marker");
  }

  /** A JPEG cut before its end-of-image marker, keeping {@code keep} of its bytes (0..1). */
  public static byte[] jpegTruncated(double keep) {
    byte[] b = encode(".jpg", 64, 64);
    int n = (int) Math.round(b.length * keep);
    return Arrays.copyOf(b, Math.min(n, b.length - 2));
  }

  /** A 16×16 BMP with one little-endian int of its header replaced. */
  public static byte[] bmpWithInt(int offset, int value) {
    byte[] b = encode(".bmp", 16, 16);
    ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(offset, value);
    return b;
  }

  /** A 16×16 BMP with one little-endian short of its header replaced. */
  public static byte[] bmpWithShort(int offset, int value) {
    byte[] b = encode(".bmp", 16, 16);
    ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putShort(offset, (short) value);
    return b;
  }
}
