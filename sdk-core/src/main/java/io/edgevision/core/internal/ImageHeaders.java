package io.edgevision.core.internal;

import io.edgevision.core.EdgeVisionException;
import io.edgevision.core.ErrorCode;
import java.nio.charset.StandardCharsets;

/**
 * Reads the dimensions of an encoded image from its header, without decoding it, so that a decoder
 * is never asked to allocate what a hostile header claims. JPEG (SOFn), PNG (IHDR), BMP, GIF, WebP
 * (VP8/VP8L/VP8X), TIFF (first IFD) and PNM are parsed; anything else is {@link Format#UNKNOWN} and
 * left to a guarded decode.
 *
 * <p>A header that is present but inconsistent (a BMP with 7 bits per pixel, a PNG whose IHDR is
 * cut) is {@link ErrorCode#BAD_INPUT} with what was expected and what was found. All arithmetic is
 * in {@code long}: unsigned 32-bit fields never turn negative. Internal: not for SDK users.
 *
 * <p>Threading: stateless, safe from any thread.
 */
public final class ImageHeaders {
  /** Container formats recognised by their magic bytes. */
  public enum Format {
    JPEG,
    PNG,
    BMP,
    GIF,
    WEBP,
    TIFF,
    PNM,
    UNKNOWN
  }

  /**
   * What the header says.
   *
   * @param format the container format
   * @param width claimed width in pixels, -1 when unknown
   * @param height claimed height in pixels, -1 when unknown
   * @param complete false when the file visibly ends early (a JPEG without its end-of-image marker)
   */
  public record Info(Format format, long width, long height, boolean complete) {
    /**
     * @return whether the header gave both dimensions
     */
    public boolean hasSize() {
      return width >= 0 && height >= 0;
    }
  }

  private ImageHeaders() {}

  /**
   * @param b encoded bytes
   * @param name for messages
   * @return the header facts
   * @throws EdgeVisionException {@link ErrorCode#BAD_INPUT} when a recognised header is malformed
   */
  public static Info probe(byte[] b, String name) {
    if (startsWith(b, 0xFF, 0xD8, 0xFF)) {
      return jpeg(b, name);
    }
    if (startsWith(b, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
      return png(b, name);
    }
    if (startsWith(b, 'B', 'M')) {
      return bmp(b, name);
    }
    if (startsWith(b, 'G', 'I', 'F', '8')) {
      need(b, 10, name, "GIF");
      return new Info(Format.GIF, u16le(b, 6), u16le(b, 8), true);
    }
    if (startsWith(b, 'R', 'I', 'F', 'F')
        && b.length >= 12
        && b[8] == 'W'
        && b[9] == 'E'
        && b[10] == 'B'
        && b[11] == 'P') {
      return webp(b, name);
    }
    if (startsWith(b, 'I', 'I', 42, 0) || startsWith(b, 'M', 'M', 0, 42)) {
      return tiff(b, name);
    }
    if (b.length >= 2 && b[0] == 'P' && b[1] >= '1' && b[1] <= '6') {
      return pnm(b, name);
    }
    return new Info(Format.UNKNOWN, -1, -1, true);
  }

  private static Info png(byte[] b, String name) {
    need(b, 24, name, "PNG");
    if (!(b[12] == 'I' && b[13] == 'H' && b[14] == 'D' && b[15] == 'R')) {
      throw bad(
          name,
          "a PNG IHDR chunk at byte 12",
          "'" + new String(b, 12, 4, StandardCharsets.ISO_8859_1) + "'");
    }
    return new Info(Format.PNG, u32be(b, 16), u32be(b, 20), true);
  }

  private static Info jpeg(byte[] b, String name) {
    long w = -1;
    long h = -1;
    int p = 2;
    while (true) {
      // Markers may be preceded by any number of 0xFF fill bytes.
      while (p < b.length
          && (b[p] & 0xff) == 0xFF
          && p + 1 < b.length
          && (b[p + 1] & 0xff) == 0xFF) {
        p++;
      }
      if (p + 1 >= b.length) {
        return new Info(Format.JPEG, w, h, false);
      }
      if ((b[p] & 0xff) != 0xFF) {
        if (w < 0) {
          throw bad(
              name, "a JPEG marker (0xFF..) at byte " + p, String.format("0x%02X", b[p] & 0xff));
        }
        return new Info(
            Format.JPEG, w, h, false); // garbage where a marker should be: cut or damaged
      }
      int m = b[p + 1] & 0xff;
      p += 2;
      if (m == 0xD9) {
        return new Info(Format.JPEG, w, h, true);
      }
      if (m == 0x01 || (m >= 0xD0 && m <= 0xD8)) {
        continue; // markers without a length
      }
      if (p + 2 > b.length) {
        return new Info(Format.JPEG, w, h, false);
      }
      int len = u16be(b, p);
      if (len < 2) {
        throw bad(name, "a JPEG segment length >= 2 at byte " + p, Integer.toString(len));
      }
      boolean sof = m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC;
      if (sof && w < 0) {
        if (p + 7 > b.length) {
          return new Info(Format.JPEG, w, h, false);
        }
        h = u16be(b, p + 3);
        w = u16be(b, p + 5);
      }
      p += len;
      if (m == 0xDA) {
        // Entropy-coded data: runs to the next marker that is neither stuffing (FF 00) nor a
        // restart (FF D0-D7).
        while (p + 1 < b.length) {
          if ((b[p] & 0xff) == 0xFF) {
            int n = b[p + 1] & 0xff;
            if (n != 0 && n != 0xFF && !(n >= 0xD0 && n <= 0xD7)) {
              break;
            }
          }
          p++;
        }
      }
    }
  }

  private static Info bmp(byte[] b, String name) {
    need(b, 26, name, "BMP");
    long dataOffset = u32le(b, 10);
    long header = u32le(b, 14);
    long w;
    long h;
    int bpp;
    if (header == 12) {
      w = u16le(b, 18);
      h = u16le(b, 20);
      bpp = u16le(b, 24);
    } else if (header == 40
        || header == 52
        || header == 56
        || header == 64
        || header == 108
        || header == 124) {
      need(b, 30, name, "BMP");
      w = (int) u32le(b, 18); // signed
      h =
          Math.abs(
              (long)
                  (int) u32le(b, 22)); // negative = top-down; long so that MIN_VALUE stays positive
      bpp = u16le(b, 28);
      if (w <= 0) {
        throw bad(name, "a positive BMP width", Long.toString(w));
      }
    } else {
      throw bad(
          name, "a BMP DIB header size of 12, 40, 52, 56, 64, 108 or 124", Long.toString(header));
    }
    if (bpp != 1 && bpp != 4 && bpp != 8 && bpp != 16 && bpp != 24 && bpp != 32) {
      throw bad(name, "BMP bits per pixel of 1, 4, 8, 16, 24 or 32", Integer.toString(bpp));
    }
    if (dataOffset < 14 + header || dataOffset >= b.length) {
      throw bad(
          name,
          "a BMP pixel-data offset in [" + (14 + header) + ", " + b.length + ")",
          Long.toString(dataOffset));
    }
    return new Info(Format.BMP, w, h, true);
  }

  private static Info webp(byte[] b, String name) {
    need(b, 30, name, "WebP");
    String chunk = new String(b, 12, 4, StandardCharsets.ISO_8859_1);
    return switch (chunk) {
      case "VP8 " -> new Info(Format.WEBP, u16le(b, 26) & 0x3FFF, u16le(b, 28) & 0x3FFF, true);
      case "VP8L" -> {
        long bits = u32le(b, 21);
        yield new Info(Format.WEBP, (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1, true);
      }
      case "VP8X" -> new Info(Format.WEBP, u24le(b, 24) + 1, u24le(b, 27) + 1, true);
      default -> throw bad(name, "a WebP chunk VP8, VP8L or VP8X", "'" + chunk + "'");
    };
  }

  private static Info tiff(byte[] b, String name) {
    boolean le = b[0] == 'I';
    need(b, 8, name, "TIFF");
    long ifd = le ? u32le(b, 4) : u32be(b, 4);
    if (ifd < 8 || ifd + 2 > b.length) {
      throw bad(name, "a TIFF IFD offset in [8, " + (b.length - 2) + "]", Long.toString(ifd));
    }
    int n = le ? u16le(b, (int) ifd) : u16be(b, (int) ifd);
    long w = -1;
    long h = -1;
    for (int i = 0; i < n; i++) {
      int e = (int) ifd + 2 + 12 * i;
      if (e + 12 > b.length) {
        break;
      }
      int tag = le ? u16le(b, e) : u16be(b, e);
      int type = le ? u16le(b, e + 2) : u16be(b, e + 2);
      long v =
          type == 3
              ? (le ? u16le(b, e + 8) : u16be(b, e + 8))
              : (le ? u32le(b, e + 8) : u32be(b, e + 8));
      if (tag == 256) {
        w = v;
      } else if (tag == 257) {
        h = v;
      }
    }
    return new Info(Format.TIFF, w, h, true);
  }

  private static Info pnm(byte[] b, String name) {
    long[] v = new long[2];
    int p = 2;
    for (int k = 0; k < 2; k++) {
      while (p < b.length && (Character.isWhitespace(b[p]) || b[p] == '#')) {
        if (b[p] == '#') {
          while (p < b.length && b[p] != '\n') {
            p++;
          }
        } else {
          p++;
        }
      }
      long x = 0;
      int digits = 0;
      while (p < b.length && b[p] >= '0' && b[p] <= '9' && digits < 12) {
        x = x * 10 + (b[p++] - '0');
        digits++;
      }
      if (digits == 0) {
        throw bad(
            name,
            "PNM width and height as decimal numbers",
            "a header that ends or has a non-digit at byte " + p);
      }
      v[k] = x;
    }
    return new Info(Format.PNM, v[0], v[1], true);
  }

  private static void need(byte[] b, int n, String name, String what) {
    if (b.length < n) {
      throw bad(
          name, "a " + what + " header of at least " + n + " bytes", b.length + " bytes in all");
    }
  }

  private static EdgeVisionException bad(String name, String expected, String got) {
    return new EdgeVisionException(
        ErrorCode.BAD_INPUT,
        "cannot decode image " + name + ": expected " + expected + ", got " + got);
  }

  private static boolean startsWith(byte[] b, int... magic) {
    if (b.length < magic.length) {
      return false;
    }
    for (int i = 0; i < magic.length; i++) {
      if ((b[i] & 0xff) != magic[i]) {
        return false;
      }
    }
    return true;
  }

  private static int u16be(byte[] b, int p) {
    return ((b[p] & 0xff) << 8) | (b[p + 1] & 0xff);
  }

  private static int u16le(byte[] b, int p) {
    return (b[p] & 0xff) | ((b[p + 1] & 0xff) << 8);
  }

  private static long u24le(byte[] b, int p) {
    return (b[p] & 0xff) | ((b[p + 1] & 0xff) << 8) | ((long) (b[p + 2] & 0xff) << 16);
  }

  private static long u32be(byte[] b, int p) {
    return ((long) (b[p] & 0xff) << 24)
        | ((b[p + 1] & 0xff) << 16)
        | ((b[p + 2] & 0xff) << 8)
        | (b[p + 3] & 0xff);
  }

  private static long u32le(byte[] b, int p) {
    return (b[p] & 0xff)
        | ((b[p + 1] & 0xff) << 8)
        | ((b[p + 2] & 0xff) << 16)
        | ((long) (b[p + 3] & 0xff) << 24);
  }
}
