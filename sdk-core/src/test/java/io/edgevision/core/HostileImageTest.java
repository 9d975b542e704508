package io.edgevision.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgevision.core.testing.HostileImages;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 16, defects 1, 2 and 6: hostile image files end in BAD_INPUT before any large allocation.
 */
class HostileImageTest {
  static Stream<Arguments> hostile() {
    return Stream.of(
        // PNG IHDR claims 100000x100000 (was OpenCV's CvException)
        Arguments.of(
            "png 100000^2",
            (Supplier<byte[]>) () -> HostileImages.pngClaiming(100_000, 100_000),
            "100000x100000"),
        // PNG IHDR claims 65535^2 (was CvException)
        Arguments.of(
            "png 65535^2",
            (Supplier<byte[]>) () -> HostileImages.pngClaiming(65535, 65535),
            "65535x65535"),
        // PNG IHDR claims 46341^2: the square just past 2^31 pixels (was CvException)
        Arguments.of(
            "png 46341^2",
            (Supplier<byte[]>) () -> HostileImages.pngClaiming(46341, 46341),
            "46341x46341"),
        // PNG IHDR width with the top bit set: 2^31 read as unsigned, not negative
        Arguments.of(
            "png 2^31 wide",
            (Supplier<byte[]>) () -> HostileImages.pngClaiming(1L << 31, 1),
            "2147483648x1"),
        // PNG IHDR claims zero width
        Arguments.of(
            "png 0 wide", (Supplier<byte[]>) () -> HostileImages.pngClaiming(0, 16), "0x16"),
        // JPEG SOF claims 65500^2 (was CvException)
        Arguments.of(
            "jpeg 65500^2",
            (Supplier<byte[]>) () -> HostileImages.jpegClaiming(65500, 65500),
            "65500x65500"),
        // JPEG SOF claims 40000^2 (was CvException)
        Arguments.of(
            "jpeg 40000^2",
            (Supplier<byte[]>) () -> HostileImages.jpegClaiming(40000, 40000),
            "40000x40000"),
        // JPEG SOF claims 30000^2 (was IllegalArgumentException: capacity < 0, an int overflow)
        Arguments.of(
            "jpeg 30000^2",
            (Supplier<byte[]>) () -> HostileImages.jpegClaiming(30000, 30000),
            "30000x30000"),
        // the decompression bomb: 632 bytes claiming 20000^2 decoded for 12 s into 1.2 GB
        Arguments.of(
            "jpeg 20000^2",
            (Supplier<byte[]>) () -> HostileImages.jpegClaiming(20000, 20000),
            "20000x20000"),
        // JPEG SOF claims a height of 0 (defined later by a DNL marker, which OpenCV does not
        // support)
        Arguments.of(
            "jpeg 0 high", (Supplier<byte[]>) () -> HostileImages.jpegClaiming(16, 0), "16x0"),
        // BMP width of -16
        Arguments.of(
            "bmp negative width",
            (Supplier<byte[]>) () -> HostileImages.bmpWithInt(18, -16),
            "width"),
        // BMP height of Integer.MIN_VALUE (abs overflows in int arithmetic)
        Arguments.of(
            "bmp min height",
            (Supplier<byte[]>) () -> HostileImages.bmpWithInt(22, Integer.MIN_VALUE),
            "2147483648"),
        // BMP claims 100000x100000
        Arguments.of(
            "bmp 100000 wide",
            (Supplier<byte[]>)
                () -> {
                  byte[] b = HostileImages.bmpWithInt(18, 100_000);
                  java.nio.ByteBuffer.wrap(b)
                      .order(java.nio.ByteOrder.LITTLE_ENDIAN)
                      .putInt(22, 100_000);
                  return b;
                },
            "100000x100000"),
        // BMP 7 bits per pixel
        Arguments.of(
            "bmp 7 bpp",
            (Supplier<byte[]>) () -> HostileImages.bmpWithShort(28, 7),
            "bits per pixel"),
        // BMP DIB header size 999
        Arguments.of(
            "bmp header size",
            (Supplier<byte[]>) () -> HostileImages.bmpWithInt(14, 999),
            "header size"),
        // BMP pixel-data offset past the end of the file
        Arguments.of(
            "bmp data offset",
            (Supplier<byte[]>) () -> HostileImages.bmpWithInt(10, 1 << 30),
            "offset"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("hostile")
  void hostileHeadersAreBadInputNamingWhatWasClaimed(
      String name, Supplier<byte[]> file, String claimed) {
    byte[] bytes = file.get();
    assertThatThrownBy(() -> ImageFrames.decode(bytes, name))
        .isInstanceOf(EdgeVisionException.class)
        .hasMessageContaining(claimed)
        .hasMessageContaining("expected")
        .extracting(e -> ((EdgeVisionException) e).code())
        .isEqualTo(ErrorCode.BAD_INPUT);
  }

  @Test
  void thePixelLimitIsConfigurableAndCheckedBeforeDecoding() {
    byte[] png = HostileImages.encode(".png", 64, 48); // 3072 pixels
    assertThat(
            ImageFrames.decode(png, "ok", ImageDecodeOptions.defaults().withMaxPixels(3072))
                .width())
        .isEqualTo(64);
    assertThatThrownBy(
            () ->
                ImageFrames.decode(
                    png, "small limit", ImageDecodeOptions.defaults().withMaxPixels(3071)))
        .isInstanceOf(EdgeVisionException.class)
        .hasMessageContaining("at most 3071 pixels")
        .hasMessageContaining("64x48 = 3072");
    assertThatThrownBy(() -> ImageDecodeOptions.defaults().withMaxPixels(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("got 0");
  }

  static Stream<Arguments> truncated() {
    return Stream.of(
        // most of the entropy-coded data is present
        Arguments.of(0.9),
        // half of it
        Arguments.of(0.5),
        // only the end-of-image marker is missing
        Arguments.of(1.0));
  }

  @ParameterizedTest
  @MethodSource("truncated")
  void aTruncatedJpegIsFlaggedByDefaultAndRejectedOnRequest(double keep) {
    byte[] cut = HostileImages.jpegTruncated(keep);
    ImageFrame flagged = ImageFrames.decode(cut, "cut");
    assertThat(flagged.truncated()).isTrue();
    assertThat(flagged.width()).isEqualTo(64);
    assertThatThrownBy(
            () ->
                ImageFrames.decode(
                    cut,
                    "cut",
                    ImageDecodeOptions.defaults()
                        .withTruncated(ImageDecodeOptions.Truncated.REJECT)))
        .isInstanceOf(EdgeVisionException.class)
        .hasMessageContaining("end-of-image marker")
        .extracting(e -> ((EdgeVisionException) e).code())
        .isEqualTo(ErrorCode.BAD_INPUT);
  }

  static Stream<Arguments> complete() {
    return Stream.of(
        Arguments.of(".jpg"),
        Arguments.of(".png"),
        Arguments.of(".bmp"),
        Arguments.of(".webp"),
        Arguments.of(".tiff"),
        Arguments.of(".ppm"));
  }

  @ParameterizedTest
  @MethodSource("complete")
  void completeFilesOfEveryFormatDecodeUnflagged(String ext) {
    ImageFrame f = ImageFrames.decode(HostileImages.encode(ext, 40, 30), ext);
    assertThat(f.width()).isEqualTo(40);
    assertThat(f.height()).isEqualTo(30);
    assertThat(f.truncated()).isFalse();
  }
}
