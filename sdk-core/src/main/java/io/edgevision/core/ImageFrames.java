package io.edgevision.core;

import static io.edgevision.core.internal.Checks.checkInput;

import io.edgevision.core.internal.AndroidCompat;
import io.edgevision.core.internal.ImageHeaders;
import io.edgevision.core.internal.OpenCv;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.PixelInterleavedSampleModel;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.opencv.core.CvException;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

/**
 * Adapters that make {@link ImageFrame}s from OpenCV {@code Mat}s, AWT {@code BufferedImage}s and
 * image files, and back to a {@code Mat} for drawing.
 *
 * <p>Threading: stateless, safe from any thread.
 */
public final class ImageFrames {
  private ImageFrames() {}

  /**
   * Wraps a Mat without copying. The Mat must stay alive and unchanged while the frame is in use
   * (the caller keeps owning it).
   *
   * @param mat an 8-bit Mat: 3 channels for BGR/RGB, 4 for BGRA/RGBA, 1 for GRAY, and 1 channel
   *     with {@code rows = height * 3 / 2} for NV21/I420
   * @param format how the Mat's bytes are laid out
   * @return the frame
   * @throws EdgeVisionException {@link ErrorCode#BAD_INPUT} when the Mat does not match the format
   */
  public static ImageFrame fromMat(Mat mat, PixelFormat format) {
    Objects.requireNonNull(mat, "mat");
    Objects.requireNonNull(format, "format");
    OpenCv.ensureLoaded();
    checkInput(!mat.empty(), "Mat is empty (expected an image)");
    checkInput(
        mat.depth() == CvType.CV_8U,
        "expected an 8-bit Mat (CV_8U), got %s",
        CvType.typeToString(mat.type()));
    checkInput(
        mat.channels() == format.channels(),
        "%s needs a %d-channel Mat, got %s",
        format,
        format.channels(),
        CvType.typeToString(mat.type()));
    int width = mat.cols();
    int height = mat.rows();
    if (format.isYuv420()) {
      checkInput(
          mat.rows() % 3 == 0, "%s Mat must have height*3/2 rows, got %d rows", format, mat.rows());
      height = mat.rows() * 2 / 3;
      checkInput(mat.isContinuous(), "%s Mat must be continuous", format);
    }
    int stride = (int) mat.step1(0);
    ImageFrame.validate(Long.MAX_VALUE, width, height, stride, format);
    return ImageFrame.ofMat(mat, width, height, stride, format);
  }

  /**
   * Adapts a BufferedImage. {@code TYPE_3BYTE_BGR} and {@code TYPE_BYTE_GRAY} images are wrapped
   * without copying; every other type is converted to BGR (one copy).
   *
   * @param image the image
   * @return the frame
   */
  public static ImageFrame fromBufferedImage(BufferedImage image) {
    Objects.requireNonNull(image, "image");
    int type = image.getType();
    if ((type == BufferedImage.TYPE_3BYTE_BGR || type == BufferedImage.TYPE_BYTE_GRAY)
        && image.getRaster().getSampleModel() instanceof PixelInterleavedSampleModel sm
        && image.getRaster().getSampleModelTranslateX() == 0
        && image.getRaster().getSampleModelTranslateY() == 0
        && image.getRaster().getDataBuffer() instanceof DataBufferByte db
        && db.getNumBanks() == 1) {
      PixelFormat f = type == BufferedImage.TYPE_3BYTE_BGR ? PixelFormat.BGR : PixelFormat.GRAY;
      // TYPE_3BYTE_BGR stores bytes B,G,R per pixel (band offsets 2,1,0 of an RGB colour model).
      return ImageFrame.wrap(
          ByteBuffer.wrap(db.getData(), db.getOffset(), db.getData().length - db.getOffset()),
          image.getWidth(),
          image.getHeight(),
          sm.getScanlineStride(),
          f);
    }
    BufferedImage bgr =
        new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = bgr.createGraphics();
    try {
      g.drawImage(image, 0, 0, null);
    } finally {
      g.dispose();
    }
    return fromBufferedImage(bgr);
  }

  /**
   * Decodes an image file (JPEG, PNG, BMP, WebP, TIFF... whatever OpenCV was built with) into a BGR
   * frame backed by JVM-managed direct memory, with {@link ImageDecodeOptions#defaults()}. EXIF
   * orientation is applied.
   *
   * @param path the file
   * @return a BGR frame; {@link ImageFrame#truncated()} tells whether the file ended early
   * @throws EdgeVisionException {@link ErrorCode#BAD_INPUT} when the file is missing, not a
   *     decodable image, or larger than the pixel limit
   */
  public static ImageFrame read(Path path) {
    return read(path, ImageDecodeOptions.defaults());
  }

  /**
   * Decodes an image file with explicit limits and truncation policy.
   *
   * @param path the file
   * @param options pixel limit and truncation policy
   * @return a BGR frame
   * @throws EdgeVisionException {@link ErrorCode#BAD_INPUT} when the file is missing, not a
   *     decodable image, larger than the pixel limit, or truncated under {@link
   *     ImageDecodeOptions.Truncated#REJECT}
   */
  public static ImageFrame read(Path path, ImageDecodeOptions options) {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(options, "options");
    byte[] bytes;
    try {
      if (Files.isDirectory(path)) {
        throw new EdgeVisionException(
            ErrorCode.BAD_INPUT,
            "cannot read image " + path + ": expected an image file, got a directory");
      }
      bytes = Files.readAllBytes(path);
    } catch (IOException e) {
      throw new EdgeVisionException(
          ErrorCode.BAD_INPUT, "cannot read image file " + path + ": " + e, e);
    }
    return decode(bytes, path.toString(), options);
  }

  /**
   * Decodes encoded image bytes into a BGR frame with {@link ImageDecodeOptions#defaults()}.
   *
   * @param encoded JPEG/PNG/... bytes
   * @param name a name for error messages
   * @return a BGR frame; {@link ImageFrame#truncated()} tells whether the data ended early
   * @throws EdgeVisionException {@link ErrorCode#BAD_INPUT} when the bytes are not a decodable
   *     image or are larger than the pixel limit
   */
  public static ImageFrame decode(byte[] encoded, String name) {
    return decode(encoded, name, ImageDecodeOptions.defaults());
  }

  /**
   * Decodes encoded image bytes into a BGR frame. The dimensions are read from the file's header
   * first (JPEG SOFn, PNG IHDR, BMP, GIF, WebP, TIFF, PNM) and checked against {@link
   * ImageDecodeOptions#maxPixels()} before any pixel memory is allocated; other formats are decoded
   * and then checked. Every failure, including OpenCV's own, is {@link ErrorCode#BAD_INPUT} naming
   * what was expected and what was found.
   *
   * @param encoded JPEG/PNG/... bytes
   * @param name a name for error messages
   * @param options pixel limit and truncation policy
   * @return a BGR frame
   * @throws EdgeVisionException {@link ErrorCode#BAD_INPUT} as described
   */
  public static ImageFrame decode(byte[] encoded, String name, ImageDecodeOptions options) {
    Objects.requireNonNull(encoded, "encoded");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(options, "options");
    if (encoded.length == 0) {
      // OpenCV's imdecode throws its own CvException on empty input: answer before any native call.
      throw new EdgeVisionException(
          ErrorCode.BAD_INPUT,
          "cannot decode image "
              + name
              + ": expected an encoded image (JPEG, PNG, ...), got an empty file");
    }
    ImageHeaders.Info header = ImageHeaders.probe(encoded, name);
    if (header.hasSize()) {
      checkSize(name, header.width(), header.height(), options.maxPixels());
    }
    if (!header.complete() && options.truncated() == ImageDecodeOptions.Truncated.REJECT) {
      throw new EdgeVisionException(
          ErrorCode.BAD_INPUT,
          "cannot decode image "
              + name
              + ": expected a complete "
              + header.format()
              + " ending in its end-of-image marker, got "
              + encoded.length
              + " bytes that end before it (truncated file)");
    }
    OpenCv.ensureLoaded();
    Mat m;
    MatOfByte buf = new MatOfByte(encoded);
    try {
      m = Imgcodecs.imdecode(buf, Imgcodecs.IMREAD_COLOR);
    } catch (CvException e) {
      throw new EdgeVisionException(
          ErrorCode.BAD_INPUT,
          "cannot decode image "
              + name
              + ": expected "
              + describe(header)
              + ", got OpenCV error: "
              + firstLine(e.getMessage()),
          e);
    } finally {
      buf.release();
    }
    try {
      if (m.empty()) {
        String head =
            AndroidCompat.hex(java.util.Arrays.copyOf(encoded, Math.min(8, encoded.length)))
                .replaceAll("(..)(?!$)", "$1 "); // HexFormat: Android API 34+
        throw new EdgeVisionException(
            ErrorCode.BAD_INPUT,
            "cannot decode image "
                + name
                + ": expected "
                + describe(header)
                + ", got "
                + encoded.length
                + " bytes starting with ["
                + head
                + "] that OpenCV could not decode");
      }
      checkSize(name, m.cols(), m.rows(), options.maxPixels());
      long size = m.total() * m.elemSize();
      checkInput(
          size <= Integer.MAX_VALUE - 16,
          "cannot decode image %s: expected at most %d bytes of pixels," + " got %dx%d = %d bytes",
          name,
          Integer.MAX_VALUE - 16,
          m.cols(),
          m.rows(),
          size);
      ByteBuffer direct = ByteBuffer.allocateDirect((int) size);
      byte[] tmp = new byte[(int) size];
      m.get(0, 0, tmp);
      direct.put(tmp).flip();
      ImageFrame frame = ImageFrame.wrap(direct, m.cols(), m.rows(), PixelFormat.BGR);
      return header.complete() ? frame : frame.asTruncated();
    } finally {
      m.release();
    }
  }

  private static void checkSize(String name, long w, long h, long maxPixels) {
    checkInput(
        w > 0 && h > 0,
        "cannot decode image %s: expected a positive width and height, got %dx%d",
        name,
        w,
        h);
    // w, h < 2^32 each: the product fits a long.
    long pixels = w * h;
    checkInput(
        pixels <= maxPixels,
        "cannot decode image %s: expected at most %d pixels (raise the limit with"
            + " ImageDecodeOptions.withMaxPixels, -D%s or the CLI's --max-pixels), got %dx%d = %d pixels",
        name,
        maxPixels,
        ImageDecodeOptions.MAX_PIXELS_PROPERTY,
        w,
        h,
        pixels);
  }

  private static String describe(ImageHeaders.Info header) {
    return header.format() == ImageHeaders.Format.UNKNOWN
        ? "an encoded image (JPEG, PNG, ...)"
        : "a decodable "
            + header.format()
            + (header.hasSize() ? " of " + header.width() + "x" + header.height() : "");
  }

  private static String firstLine(@Nullable String s) {
    if (s == null) {
      return "(no message)";
    }
    String t = s.strip();
    int nl = t.indexOf('\n');
    return nl < 0 ? t : t.substring(0, nl);
  }

  /**
   * Copies a frame into a new 8-bit BGR Mat (for drawing or encoding). The caller owns and must
   * release it.
   *
   * @param frame any frame
   * @return a new {@code CV_8UC3} BGR Mat
   */
  public static Mat toBgrMat(ImageFrame frame) {
    OpenCv.ensureLoaded();
    Mat out = new Mat();
    try (ImagePreprocessor.SourceMat src = ImagePreprocessor.SourceMat.of(frame)) {
      int code = ImagePreprocessor.cvtCode(frame.format(), ModelDescriptor.ColorOrder.BGR);
      if (code < 0) {
        src.mat().copyTo(out);
      } else {
        Imgproc.cvtColor(src.mat(), out, code);
      }
    }
    return out;
  }
}
