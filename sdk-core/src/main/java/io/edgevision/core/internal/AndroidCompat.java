package io.edgevision.core.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;

/**
 * Java 9-17 library calls that Android's library lacks before API 33/34 ({@code HexFormat}, {@code
 * ByteBuffer.slice(int, int)}, absolute {@code ByteBuffer.get(int, byte[], int, int)}, {@code
 * InputStream.readAllBytes()}), written with what API 26 has, so that the SDK classes the Android
 * app loads link there (checked by android-demo's {@code AndroidApiCheckTest}). Stateless,
 * thread-safe. Internal.
 */
public final class AndroidCompat {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private AndroidCompat() {}

  /**
   * @return lower-case hex of the bytes, as {@code HexFormat.of().formatHex(bytes)}
   */
  public static String hex(byte[] bytes) {
    char[] out = new char[bytes.length * 2];
    for (int i = 0; i < bytes.length; i++) {
      out[2 * i] = HEX[(bytes[i] >> 4) & 0xF];
      out[2 * i + 1] = HEX[bytes[i] & 0xF];
    }
    return new String(out);
  }

  /**
   * @return {@code b.slice(index, length)} (Java 13): a view of that range, independent position
   *     and limit
   */
  public static ByteBuffer slice(ByteBuffer b, int index, int length) {
    ByteBuffer d = b.duplicate();
    d.limit(index + length).position(index);
    return d.slice();
  }

  /**
   * {@code b.get(index, dst, offset, length)} (Java 13): an absolute bulk get; {@code b} is not
   * changed.
   */
  public static void get(ByteBuffer b, int index, byte[] dst, int offset, int length) {
    ByteBuffer d = b.duplicate();
    d.position(index);
    d.get(dst, offset, length);
  }

  /**
   * @return every remaining byte of the stream, as {@code in.readAllBytes()} (Java 9)
   */
  public static byte[] readAllBytes(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[8192];
    for (int n; (n = in.read(buf)) != -1; ) {
      out.write(buf, 0, n);
    }
    return out.toByteArray();
  }
}
