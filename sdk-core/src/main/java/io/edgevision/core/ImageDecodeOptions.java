package io.edgevision.core;

import static io.edgevision.core.internal.Checks.checkArgument;

import java.util.Objects;

/**
 * How {@link ImageFrames#decode(byte[], String, ImageDecodeOptions)} treats large and damaged
 * files.
 *
 * <pre>{@code
 * ImageDecodeOptions strict = ImageDecodeOptions.defaults()
 *     .withMaxPixels(12_000_000)                       // refuse more than 12 MP before decoding
 *     .withTruncated(ImageDecodeOptions.Truncated.REJECT);
 * ImageFrame f = ImageFrames.read(Path.of("frame.jpg"), strict);
 * }</pre>
 *
 * <h2>Defaults</h2>
 *
 * {@link #DEFAULT_MAX_PIXELS} (50 million: a 48 MP camera frame fits, the 400 MP "decompression
 * bomb" does not), and {@link Truncated#FLAG}: a JPEG without its end-of-image marker decodes
 * (libjpeg fills the missing rows with grey) and {@link ImageFrame#truncated()} is true. The pixel
 * limit of {@link #defaults()} can be raised for a whole process with the system property {@value
 * #MAX_PIXELS_PROPERTY} (the CLI's {@code --max-pixels} sets it).
 *
 * <p>The limit is checked against the dimensions read from the file's own header (JPEG SOFn, PNG
 * IHDR, BMP, GIF, WebP, TIFF, PNM) before any pixel memory is allocated; formats without a parsed
 * header are decoded and then checked.
 *
 * <p>Threading: immutable record, safe to share.
 *
 * @param maxPixels the largest {@code width × height} accepted, &gt; 0
 * @param truncated what to do with a file that ends before its end-of-image marker
 */
public record ImageDecodeOptions(long maxPixels, Truncated truncated) {
  /** Default pixel limit: 50 million pixels. */
  public static final long DEFAULT_MAX_PIXELS = 50_000_000L;

  /** System property that overrides {@link #DEFAULT_MAX_PIXELS} in {@link #defaults()}. */
  public static final String MAX_PIXELS_PROPERTY = "edgevision.image.maxPixels";

  /** What to do with a truncated file. */
  public enum Truncated {
    /** Decode what is there and set {@link ImageFrame#truncated()} (the default). */
    FLAG,
    /** Throw {@link EdgeVisionException} with {@link ErrorCode#BAD_INPUT}. */
    REJECT
  }

  /** Validates. */
  public ImageDecodeOptions {
    checkArgument(maxPixels > 0, "maxPixels must be > 0, got %s", maxPixels);
    Objects.requireNonNull(truncated, "truncated");
  }

  /**
   * @return {@link #DEFAULT_MAX_PIXELS} (or the value of {@value #MAX_PIXELS_PROPERTY}) and {@link
   *     Truncated#FLAG}
   * @throws IllegalArgumentException when the property is set but is not a positive integer
   */
  public static ImageDecodeOptions defaults() {
    String p = System.getProperty(MAX_PIXELS_PROPERTY);
    long max = DEFAULT_MAX_PIXELS;
    if (p != null && !p.isBlank()) {
      try {
        max = Long.parseLong(p.trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            MAX_PIXELS_PROPERTY + " must be a positive integer, got '" + p + "'", e);
      }
    }
    return new ImageDecodeOptions(max, Truncated.FLAG);
  }

  /**
   * @param max the largest {@code width × height} accepted, &gt; 0
   * @return a copy with that limit
   */
  public ImageDecodeOptions withMaxPixels(long max) {
    return new ImageDecodeOptions(max, truncated);
  }

  /**
   * @param policy what to do with truncated files
   * @return a copy with that policy
   */
  public ImageDecodeOptions withTruncated(Truncated policy) {
    return new ImageDecodeOptions(maxPixels, policy);
  }
}
