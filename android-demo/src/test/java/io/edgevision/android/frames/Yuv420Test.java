package io.edgevision.android.frames;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgevision.core.EdgeVisionException;
import io.edgevision.core.ErrorCode;
import io.edgevision.core.ImageFrame;
import io.edgevision.core.PixelFormat;
import java.nio.ByteBuffer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * YUV_420_888 to NV21 with the plane layouts phones report. Each case builds the camera's planes
 * from known pixel values (Y = f(x, y), U and V distinct functions), with padding bytes set to 0x7F
 * so a stride mistake shows up as a wrong byte, and compares with the NV21 bytes written out by the
 * definition.
 */
class Yuv420Test {
  private static final byte PAD = 0x7F;

  static Stream<Arguments> layouts() {
    return Stream.of(
        // tightly packed planar chroma (pixel stride 1), as many MediaTek/Exynos devices report
        Arguments.of(8, 4, 8, 4, 1, false, false),
        // semi-planar (pixel stride 2), U and V buffers interleaved in memory (VU order: NV21 in
        // disguise)
        Arguments.of(8, 4, 8, 8, 2, true, false),
        // semi-planar with row padding (row stride 16 for width 8), as Qualcomm devices align rows
        Arguments.of(8, 4, 16, 16, 2, true, false),
        // semi-planar, separate buffers (not interleaved) with padding
        Arguments.of(6, 4, 8, 8, 2, false, false),
        // planar with chroma row padding
        Arguments.of(6, 2, 6, 8, 1, false, false),
        // last rows truncated after their last sample (the buffers end early), pixel stride 2
        Arguments.of(8, 4, 16, 16, 2, false, true),
        // last rows truncated, planar
        Arguments.of(8, 4, 12, 8, 1, false, true),
        // a realistic size: 640x480, row stride 704, semi-planar interleaved
        Arguments.of(640, 480, 704, 704, 2, true, false));
  }

  @ParameterizedTest(
      name = "{0}x{1} yStride={2} uvStride={3} pixelStride={4} interleaved={5} truncated={6}")
  @MethodSource("layouts")
  void convertsToNv21(
      int w,
      int h,
      int yStride,
      int cStride,
      int pixelStride,
      boolean interleaved,
      boolean truncated) {
    Planes p = Planes.make(w, h, yStride, cStride, pixelStride, interleaved, truncated);
    ByteBuffer out = ByteBuffer.allocateDirect(Yuv420.nv21Size(w, h) + 3);
    out.position(3); // a non-zero position is honoured and left alone
    ImageFrame frame = Yuv420.toNv21(w, h, p.y, p.u, p.v, out);

    assertThat(out.position()).isEqualTo(3);
    assertThat(frame.format()).isEqualTo(PixelFormat.NV21);
    assertThat(frame.width()).isEqualTo(w);
    assertThat(frame.height()).isEqualTo(h);
    assertThat(frame.rowStride()).isEqualTo(w);
    byte[] got = new byte[Yuv420.nv21Size(w, h)];
    frame.data().get(got);
    assertThat(got).isEqualTo(expectedNv21(w, h));
    assertThat(p.y.buffer().position()).as("input planes untouched").isZero();
  }

  static Stream<Arguments> badInput() {
    return Stream.of(
        // odd width: 4:2:0 needs even sizes
        Arguments.of(7, 4, 8, 8, 1, "positive and even, got 7x4"),
        // Y row stride below the width
        Arguments.of(8, 4, 6, 8, 1, "Y plane row stride must be at least the width 8, got 6"),
        // chroma pixel stride 3 is not a camera layout
        Arguments.of(8, 4, 8, 12, 3, "U plane pixel stride must be 1 or 2, got 3"),
        // chroma row stride too small for 4 samples at pixel stride 2
        Arguments.of(
            8, 4, 8, 4, 2, "U plane row stride must hold 4 samples at pixel stride 2, got 4"));
  }

  @ParameterizedTest(name = "{5}")
  @MethodSource("badInput")
  void rejectsInconsistentPlanes(
      int w, int h, int yStride, int cStride, int pixelStride, String message) {
    Yuv420.Plane y = new Yuv420.Plane(ByteBuffer.allocate(yStride * h), yStride, 1);
    Yuv420.Plane c = new Yuv420.Plane(ByteBuffer.allocate(cStride * h), cStride, pixelStride);
    ByteBuffer out = ByteBuffer.allocate(w * h * 2);
    assertThatThrownBy(() -> Yuv420.toNv21(w, h, y, c, c, out))
        .isInstanceOf(EdgeVisionException.class)
        .hasMessageContaining(message)
        .satisfies(
            e -> assertThat(((EdgeVisionException) e).code()).isEqualTo(ErrorCode.BAD_INPUT));
  }

  @org.junit.jupiter.api.Test
  void rejectsShortBuffers() {
    Planes p = Planes.make(8, 4, 8, 8, 2, false, false);
    assertThatThrownBy(() -> Yuv420.toNv21(8, 4, p.y, p.u, p.v, ByteBuffer.allocate(47)))
        .isInstanceOf(EdgeVisionException.class)
        .hasMessageContaining("NV21 output for 8x4 needs 48 bytes, got 47");
    Yuv420.Plane shortY = new Yuv420.Plane(ByteBuffer.allocate(8 * 3), 8, 1);
    assertThatThrownBy(() -> Yuv420.toNv21(8, 4, shortY, p.u, p.v, ByteBuffer.allocate(48)))
        .isInstanceOf(EdgeVisionException.class)
        .hasMessageContaining("Y plane of 8x4 with row stride 8 needs 32 bytes, got 24");
  }

  static int yAt(int x, int y) {
    return (x * 7 + y * 13) & 0xFF;
  }

  static int uAt(int x, int y) {
    return (100 + x * 3 + y * 5) & 0xFF;
  }

  static int vAt(int x, int y) {
    return (200 + x * 11 + y * 2) & 0xFF;
  }

  /** NV21 by definition: Y rows, then V, U pairs per chroma sample. */
  static byte[] expectedNv21(int w, int h) {
    byte[] out = new byte[w * h * 3 / 2];
    int o = 0;
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        out[o++] = (byte) yAt(x, y);
      }
    }
    for (int y = 0; y < h / 2; y++) {
      for (int x = 0; x < w / 2; x++) {
        out[o++] = (byte) vAt(x, y);
        out[o++] = (byte) uAt(x, y);
      }
    }
    return out;
  }

  /** Camera-style planes built from the functions above. */
  record Planes(Yuv420.Plane y, Yuv420.Plane u, Yuv420.Plane v) {
    static Planes make(
        int w,
        int h,
        int yStride,
        int cStride,
        int pixelStride,
        boolean interleaved,
        boolean truncated) {
      int cw = w / 2;
      int ch = h / 2;
      byte[] ybytes = new byte[truncated ? yStride * (h - 1) + w : yStride * h];
      java.util.Arrays.fill(ybytes, PAD);
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          ybytes[y * yStride + x] = (byte) yAt(x, y);
        }
      }
      int cLen = truncated ? cStride * (ch - 1) + (cw - 1) * pixelStride + 1 : cStride * ch;
      ByteBuffer ub;
      ByteBuffer vb;
      if (interleaved) {
        // one VUVU... memory block: V plane starts at 0, U plane at 1 (as Android reports
        // NV21-backed images)
        byte[] vu = new byte[cStride * ch];
        java.util.Arrays.fill(vu, PAD);
        for (int y = 0; y < ch; y++) {
          for (int x = 0; x < cw; x++) {
            vu[y * cStride + 2 * x] = (byte) vAt(x, y);
            vu[y * cStride + 2 * x + 1] = (byte) uAt(x, y);
          }
        }
        vb = ByteBuffer.wrap(vu, 0, cStride * ch - 1).slice();
        ub = ByteBuffer.wrap(vu, 1, cStride * ch - 1).slice();
      } else {
        byte[] u = new byte[cLen];
        byte[] v = new byte[cLen];
        java.util.Arrays.fill(u, PAD);
        java.util.Arrays.fill(v, PAD);
        for (int y = 0; y < ch; y++) {
          for (int x = 0; x < cw; x++) {
            u[y * cStride + x * pixelStride] = (byte) uAt(x, y);
            v[y * cStride + x * pixelStride] = (byte) vAt(x, y);
          }
        }
        ub = ByteBuffer.wrap(u);
        vb = ByteBuffer.wrap(v);
      }
      return new Planes(
          new Yuv420.Plane(ByteBuffer.wrap(ybytes), yStride, 1),
          new Yuv420.Plane(ub, cStride, pixelStride),
          new Yuv420.Plane(vb, cStride, pixelStride));
    }
  }
}
