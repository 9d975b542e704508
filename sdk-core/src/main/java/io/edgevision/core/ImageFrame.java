package io.edgevision.core;

import static io.edgevision.core.internal.Checks.checkArgument;
import static io.edgevision.core.internal.Checks.checkInput;

import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;
import org.opencv.core.Mat;

/**
 * A platform-neutral image: pixel memory plus its geometry (width, height, row stride, {@link
 * PixelFormat}).
 *
 * <p>Frames are validated when created: inconsistent dimensions, strides or buffer sizes raise
 * {@link EdgeVisionException} with {@link ErrorCode#BAD_INPUT} before any native code sees the
 * memory.
 *
 * <h2>Example</h2>
 *
 * <pre>{@code
 * ImageFrame frame = ImageFrame.wrap(buffer, 1920, 1080, 1920 * 3, PixelFormat.BGR);
 * ImageFrame fromFile = ImageFrames.read(Path.of("street.jpg"));
 * ImageFrame fromMat = ImageFrames.fromMat(mat, PixelFormat.BGR);          // no copy
 * }</pre>
 *
 * <h2>Lifecycle</h2>
 *
 * A frame never owns native memory: it borrows the caller's {@link ByteBuffer} (or OpenCV {@code
 * Mat}, see {@link ImageFrames#fromMat}), which must stay unchanged and alive until every call that
 * received the frame has returned (or its future completed). Frames read from files hold
 * JVM-managed direct memory.
 *
 * <h2>Threading</h2>
 *
 * Immutable and safe to share, provided the caller does not mutate the pixel memory while it is in
 * use.
 */
public final class ImageFrame {
  private final @Nullable ByteBuffer data;
  private final int width;
  private final int height;
  private final int rowStride;
  private final PixelFormat format;
  private final long timestampNanos;
  private final @Nullable Mat mat;
  private final boolean truncated;

  private ImageFrame(
      @Nullable ByteBuffer data,
      int width,
      int height,
      int rowStride,
      PixelFormat format,
      long timestampNanos,
      @Nullable Mat mat,
      boolean truncated) {
    this.data = data;
    this.width = width;
    this.height = height;
    this.rowStride = rowStride;
    this.format = format;
    this.timestampNanos = timestampNanos;
    this.mat = mat;
    this.truncated = truncated;
  }

  /**
   * Wraps pixel memory without copying.
   *
   * @param data pixel bytes starting at {@code data.position()}; direct buffers are read without a
   *     copy
   * @param width pixels per row, &gt; 0
   * @param height rows, &gt; 0
   * @param rowStride bytes between row starts, at least {@code width * format.channels()}
   * @param format pixel layout
   * @return the frame
   * @throws EdgeVisionException {@link ErrorCode#BAD_INPUT} when the geometry and buffer disagree
   */
  public static ImageFrame wrap(
      ByteBuffer data, int width, int height, int rowStride, PixelFormat format) {
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(format, "format");
    validate(data.remaining(), width, height, rowStride, format);
    return new ImageFrame(
        data.slice(), width, height, rowStride, format, Long.MIN_VALUE, null, false);
  }

  /**
   * Wraps tightly packed pixels (row stride = width × channels).
   *
   * @param data pixel bytes
   * @param width pixels per row
   * @param height rows
   * @param format pixel layout
   * @return the frame
   */
  public static ImageFrame wrap(ByteBuffer data, int width, int height, PixelFormat format) {
    Objects.requireNonNull(format, "format");
    return wrap(data, width, height, width * format.channels(), format);
  }

  /** Internal: frames over an OpenCV Mat, built by {@code ImageFrames.fromMat}. */
  static ImageFrame ofMat(Mat mat, int width, int height, int rowStride, PixelFormat format) {
    return new ImageFrame(null, width, height, rowStride, format, Long.MIN_VALUE, mat, false);
  }

  static void validate(long available, int width, int height, int rowStride, PixelFormat format) {
    checkInput(width > 0 && height > 0, "image size must be positive, got %dx%d", width, height);
    checkInput(
        !format.isYuv420() || (width % 2 == 0 && height % 2 == 0),
        "%s needs even width and height, got %dx%d",
        format,
        width,
        height);
    long minStride = (long) width * format.channels();
    checkInput(
        rowStride >= minStride,
        "row stride for %dx%d %s must be at least %d bytes, got %d",
        width,
        height,
        format,
        minStride,
        rowStride);
    long needed = format.requiredBytes(rowStride, height) - (rowStride - minStride);
    checkInput(
        available >= needed,
        "buffer for %dx%d %s with row stride %d needs at least %d bytes, got %d",
        width,
        height,
        format,
        rowStride,
        needed,
        available);
  }

  /**
   * Returns this frame with a capture timestamp, used by video trackers and latest-frame-wins
   * runners.
   *
   * @param nanos capture time in nanoseconds on any monotonic clock the caller uses consistently
   * @return a new frame over the same memory
   */
  public ImageFrame withTimestamp(long nanos) {
    checkArgument(
        nanos != Long.MIN_VALUE, "timestamp must not be Long.MIN_VALUE (reserved for 'none')");
    return new ImageFrame(data, width, height, rowStride, format, nanos, mat, truncated);
  }

  /** Internal: the same frame marked as decoded from a truncated file. */
  ImageFrame asTruncated() {
    return new ImageFrame(data, width, height, rowStride, format, timestampNanos, mat, true);
  }

  /**
   * Whether the frame was decoded from a file that ended early (a JPEG without its end-of-image
   * marker): the missing rows hold the decoder's fill (grey for libjpeg), not the scene. Only
   * {@link ImageFrames#decode} and {@link ImageFrames#read} with {@link
   * ImageDecodeOptions.Truncated#FLAG} (the default) set it; frames wrapped from memory are never
   * truncated.
   *
   * @return true when the source file was truncated
   */
  public boolean truncated() {
    return truncated;
  }

  /**
   * @return pixels per row
   */
  public int width() {
    return width;
  }

  /**
   * @return rows
   */
  public int height() {
    return height;
  }

  /**
   * @return bytes between the starts of two rows (of the Y plane for YUV formats)
   */
  public int rowStride() {
    return rowStride;
  }

  /**
   * @return the pixel layout
   */
  public PixelFormat format() {
    return format;
  }

  /**
   * @return the capture timestamp set by {@link #withTimestamp}, if any
   */
  public OptionalLong timestampNanos() {
    return timestampNanos == Long.MIN_VALUE
        ? OptionalLong.empty()
        : OptionalLong.of(timestampNanos);
  }

  /**
   * The pixel bytes, as a read-only view positioned at the first pixel. For a frame made from an
   * OpenCV {@code Mat} this is a copy of the Mat's pixels taken now (the SDK itself never needs it:
   * it reads the Mat directly).
   *
   * @return a new read-only view (independent position and limit)
   */
  public ByteBuffer data() {
    if (data != null) {
      return data.asReadOnlyBuffer();
    }
    Mat m = Objects.requireNonNull(mat);
    byte[] bytes = new byte[(int) (m.total() * m.elemSize())];
    m.get(0, 0, bytes);
    return ByteBuffer.wrap(bytes).asReadOnlyBuffer();
  }

  /**
   * Package-private: the backing Mat when the frame was made from one (zero-copy preprocessing).
   */
  @Nullable Mat mat() {
    return mat;
  }

  /**
   * Package-private: the buffer itself (not a read-only copy) for zero-copy wrapping; null for Mat
   * frames.
   */
  @Nullable ByteBuffer buffer() {
    return data;
  }

  @Override
  public String toString() {
    return "ImageFrame["
        + width
        + "x"
        + height
        + " "
        + format
        + ", stride "
        + rowStride
        + (truncated ? ", truncated" : "")
        + "]";
  }
}
