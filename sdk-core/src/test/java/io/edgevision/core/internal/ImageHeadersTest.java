package io.edgevision.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgevision.core.testing.HostileImages;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The header parser reads the size every supported container claims, without decoding. */
class ImageHeadersTest {
  static byte[] gif(int w, int h) {
    // "GIF89a", logical screen width and height little-endian, then flags, background, aspect
    return new byte[] {
      'G', 'I', 'F', '8', '9', 'a', (byte) w, (byte) (w >> 8), (byte) h, (byte) (h >> 8), 0, 0, 0
    };
  }

  static Stream<Arguments> files() {
    return Stream.of(
        // OpenCV's own encoders, 40x30
        Arguments.of(HostileImages.encode(".jpg", 40, 30), ImageHeaders.Format.JPEG, 40, 30, true),
        Arguments.of(HostileImages.encode(".png", 40, 30), ImageHeaders.Format.PNG, 40, 30, true),
        Arguments.of(HostileImages.encode(".bmp", 40, 30), ImageHeaders.Format.BMP, 40, 30, true),
        Arguments.of(HostileImages.encode(".webp", 40, 30), ImageHeaders.Format.WEBP, 40, 30, true),
        Arguments.of(HostileImages.encode(".tiff", 40, 30), ImageHeaders.Format.TIFF, 40, 30, true),
        Arguments.of(HostileImages.encode(".ppm", 40, 30), ImageHeaders.Format.PNM, 40, 30, true),
        // a GIF header claiming 65535x2
        Arguments.of(gif(65535, 2), ImageHeaders.Format.GIF, 65535, 2, true),
        // a JPEG without its last two bytes (the end-of-image marker): size known, incomplete
        Arguments.of(
            Arrays.copyOf(
                HostileImages.encode(".jpg", 40, 30),
                HostileImages.encode(".jpg", 40, 30).length - 2),
            ImageHeaders.Format.JPEG,
            40,
            30,
            false),
        // a JPEG with trailing bytes after its end-of-image marker: complete
        Arguments.of(
            concat(HostileImages.encode(".jpg", 40, 30), new byte[] {1, 2, 3}),
            ImageHeaders.Format.JPEG,
            40,
            30,
            true),
        // not an image container: left to a guarded decode
        Arguments.of("hello".getBytes(), ImageHeaders.Format.UNKNOWN, -1, -1, true));
  }

  static byte[] concat(byte[] a, byte[] b) {
    byte[] c = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }

  @ParameterizedTest
  @MethodSource("files")
  void theClaimedSizeIsReadFromTheHeader(
      byte[] file, ImageHeaders.Format format, long w, long h, boolean complete) {
    ImageHeaders.Info info = ImageHeaders.probe(file, "f");
    assertThat(info).isEqualTo(new ImageHeaders.Info(format, w, h, complete));
  }
}
