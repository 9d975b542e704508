package io.edgevision.core;

import static io.edgevision.core.internal.Checks.checkArgument;
import static io.edgevision.core.internal.Checks.checkInput;

import io.edgevision.core.ModelDescriptor.ColorOrder;
import io.edgevision.core.ModelDescriptor.Layout;
import io.edgevision.core.ModelDescriptor.ResizeMode;
import io.edgevision.core.internal.AndroidCompat;
import io.edgevision.core.internal.OpenCv;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Rect;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/**
 * Turns frames into a model's input tensor as its {@link ModelDescriptor} says: colour conversion,
 * resize (stretch, letterbox, pad to a multiple), scaling and per-channel normalisation, NCHW or
 * NHWC, written into a reused direct native-order buffer that ONNX Runtime reads without a copy.
 *
 * <p>Every step runs in OpenCV native code (bilinear {@code INTER_LINEAR} resize, as {@code
 * Dnn.blobFromImage}), and the output equals {@code Dnn.blobFromImage} for the same settings up to
 * float rounding. In steady state (frames of one size, the same direct buffer or Mat) a call
 * allocates nothing on the Java heap: intermediate Mats, the output buffer and the returned {@link
 * PreprocessTransform} are cached.
 *
 * <h2>Example</h2>
 *
 * <pre>{@code
 * try (ImagePreprocessor pre = ImagePreprocessor.create(descriptor, 1)) {
 *   PreprocessTransform t = pre.preprocess(frame, 0);
 *   FloatBuffer chw = pre.output(1, t);   // 3 * t.tensorHeight() * t.tensorWidth() floats
 * }
 * }</pre>
 *
 * <h2>Lifecycle</h2>
 *
 * Owns native OpenCV Mats: close it (idempotent). Use after close throws {@link
 * IllegalStateException}.
 *
 * <h2>Threading</h2>
 *
 * Not thread-safe: one instance per thread. {@link InferenceSession} keeps a pool of them.
 */
public final class ImagePreprocessor implements AutoCloseable {
  static {
    OpenCv.ensureLoaded(); // before any Mat field initialiser runs
  }

  private final ModelDescriptor descriptor;
  private final int maxBatch;
  private final ResizeMode mode;
  private final ColorOrder color;
  private final Layout layout;
  private final int channels;
  private final int @Nullable [] inputSize;
  private final int padMultiple;
  private final boolean centered;
  private final double padValue;
  private final double[] alpha;
  private final double[] beta;
  private final boolean uniformNorm;
  private final Scalar alphaScalar;
  private final Scalar betaScalar;
  private final Size resizeSize = new Size();

  // Reused state, rebuilt only when the geometry or the source changes.
  private final Mat yuvConverted = new Mat();
  private final Mat resized = new Mat();
  private final Mat channel8 = new Mat();
  private final Mat staging = new Mat();
  private @Nullable Geometry geometry;
  private @Nullable SourceCache sourceCache;
  private @Nullable PreprocessTransform lastTransform;
  private ByteBuffer out = ByteBuffer.allocateDirect(0);
  private byte @Nullable [] rowScratch;
  private boolean closed;

  private ImagePreprocessor(ModelDescriptor descriptor, int maxBatch) {
    this.descriptor = descriptor;
    this.maxBatch = maxBatch;
    this.mode = descriptor.resize();
    this.color = descriptor.color();
    this.layout = descriptor.layout();
    this.channels = color.channels();
    this.inputSize = descriptor.inputSize().orElse(null);
    checkArgument(
        inputSize != null || mode == ResizeMode.PAD_TO_MULTIPLE,
        "%s needs %s (or resize=pad_to_multiple for dynamic inputs)",
        mode,
        ModelDescriptor.INPUT_SIZE);
    this.padMultiple = descriptor.padMultiple();
    this.centered = descriptor.letterboxCentered();
    this.padValue = descriptor.padValue();
    float[] mean = descriptor.mean();
    float[] std = descriptor.std();
    float scale = descriptor.scale();
    alpha = new double[channels];
    beta = new double[channels];
    boolean uniform = true;
    for (int c = 0; c < channels; c++) {
      alpha[c] = scale / (double) std[c];
      beta[c] = -mean[c] / (double) std[c];
      uniform &= alpha[c] == alpha[0] && beta[c] == beta[0];
    }
    this.uniformNorm = uniform;
    this.alphaScalar = new Scalar(pad4(alpha));
    this.betaScalar = new Scalar(pad4(beta));
  }

  /**
   * @param descriptor how to feed the model
   * @param maxBatch how many frames one output buffer holds, &gt;= 1
   * @return a new preprocessor (owns native memory: close it)
   * @throws IllegalArgumentException when the descriptor lacks an input size its resize mode needs
   */
  public static ImagePreprocessor create(ModelDescriptor descriptor, int maxBatch) {
    Objects.requireNonNull(descriptor, "descriptor");
    checkArgument(maxBatch >= 1, "maxBatch must be >= 1, got %s", maxBatch);
    return new ImagePreprocessor(descriptor, maxBatch);
  }

  /**
   * @return the descriptor this preprocessor follows
   */
  public ModelDescriptor descriptor() {
    return descriptor;
  }

  /**
   * @return channels of the tensor (3, or 1 for gray)
   */
  public int channels() {
    return channels;
  }

  /**
   * The geometry a frame of this size gets, without touching pixels.
   *
   * @param width source width
   * @param height source height
   * @return the transform
   */
  public PreprocessTransform transformFor(int width, int height) {
    checkInput(width > 0 && height > 0, "image size must be positive, got %dx%d", width, height);
    int tw;
    int th;
    int nw;
    int nh;
    double px = 0;
    double py = 0;
    switch (mode) {
      case STRETCH -> {
        tw = nw = inputSize[0];
        th = nh = inputSize[1];
      }
      case LETTERBOX -> {
        tw = inputSize[0];
        th = inputSize[1];
        double s = Math.min(tw / (double) width, th / (double) height);
        nw = Math.max(1, Math.min(tw, (int) Math.round(width * s)));
        nh = Math.max(1, Math.min(th, (int) Math.round(height * s)));
        if (centered) {
          px = (tw - nw) / 2;
          py = (th - nh) / 2;
        }
      }
      default -> {
        double s =
            inputSize == null
                ? 1.0
                : Math.min(inputSize[0] / (double) width, inputSize[1] / (double) height);
        nw = Math.max(1, (int) Math.round(width * s));
        nh = Math.max(1, (int) Math.round(height * s));
        tw = ceilTo(nw, padMultiple);
        th = ceilTo(nh, padMultiple);
      }
    }
    return new PreprocessTransform(
        width, height, tw, th, nw / (double) width, nh / (double) height, px, py);
  }

  /**
   * Preprocesses one frame into slot {@code batchIndex} of the output buffer.
   *
   * @param frame the frame
   * @param batchIndex slot, {@code 0 <= batchIndex < maxBatch}
   * @return the geometry applied (cached instance when the frame size repeats)
   * @throws EdgeVisionException {@link ErrorCode#BAD_INPUT} for frames the pipeline cannot take
   */
  public PreprocessTransform preprocess(ImageFrame frame, int batchIndex) {
    // Plain branches, not the varargs helpers: this is the per-frame hot path and must not
    // allocate.
    if (closed) {
      throw new IllegalStateException("ImagePreprocessor is closed");
    }
    Objects.requireNonNull(frame, "frame");
    if (batchIndex < 0 || batchIndex >= maxBatch) {
      throw new IllegalArgumentException(
          "batchIndex must be in [0, " + maxBatch + "), got " + batchIndex);
    }
    PreprocessTransform t = lastTransform;
    if (t == null || t.sourceWidth() != frame.width() || t.sourceHeight() != frame.height()) {
      t = transformFor(frame.width(), frame.height());
      lastTransform = t;
    }
    Geometry g = geometryFor(t);
    Mat src = sourceMat(frame);
    // YUV must become colour before resizing; packed formats are resized first (fewer pixels to
    // convert).
    if (frame.format().isYuv420()) {
      Imgproc.cvtColor(src, yuvConverted, cvtCode(frame.format(), color));
      src = yuvConverted;
    }
    Mat sized = src;
    if (src.cols() != g.newW || src.rows() != g.newH) {
      resizeSize.width = g.newW;
      resizeSize.height = g.newH;
      Imgproc.resize(src, resized, resizeSize, 0, 0, Imgproc.INTER_LINEAR);
      sized = resized;
    }
    Mat target = g.padded ? g.roi : g.canvas;
    int code = frame.format().isYuv420() ? -1 : cvtCode(frame.format(), color);
    if (code >= 0) {
      Imgproc.cvtColor(sized, target, code);
    } else {
      sized.copyTo(target);
    }
    if (target.dataAddr() != (g.padded ? g.roiAddr : g.canvasAddr)) {
      throw new IllegalStateException("internal error: OpenCV reallocated the canvas");
    }
    Mat[] planes = g.planes(batchIndex);
    if (layout == Layout.NCHW) {
      for (int c = 0; c < channels; c++) {
        Mat plane8 = g.canvas;
        if (channels > 1) {
          Core.extractChannel(g.canvas, channel8, c);
          plane8 = channel8;
        }
        plane8.convertTo(planes[c], CvType.CV_32F, alpha[c], beta[c]);
      }
    } else if (uniformNorm) {
      g.canvas.convertTo(planes[0], CvType.CV_32FC(channels), alpha[0], beta[0]);
    } else {
      g.canvas.convertTo(planes[0], CvType.CV_32FC(channels), 1, 0);
      Core.multiply(planes[0], alphaScalar, planes[0]);
      Core.add(planes[0], betaScalar, planes[0]);
    }
    return t;
  }

  /**
   * The tensor data written by {@link #preprocess} for the first {@code batch} slots.
   *
   * @param batch number of slots
   * @param t the geometry they share
   * @return a direct native-order view of {@code batch * C * H * W} floats (shares memory: valid
   *     until the next call that changes the geometry)
   */
  public FloatBuffer output(int batch, PreprocessTransform t) {
    if (closed) {
      throw new IllegalStateException("ImagePreprocessor is closed");
    }
    Geometry g = geometryFor(t);
    return g.floats(batch);
  }

  /**
   * @return the tensor shape for {@code batch} frames of geometry {@code t}, in the descriptor's
   *     layout
   */
  public long[] shape(int batch, PreprocessTransform t) {
    return layout == Layout.NCHW
        ? new long[] {batch, channels, t.tensorHeight(), t.tensorWidth()}
        : new long[] {batch, t.tensorHeight(), t.tensorWidth(), channels};
  }

  private Geometry geometryFor(PreprocessTransform t) {
    Geometry g = geometry;
    if (g != null && g.matches(t)) {
      return g;
    }
    if (g != null) {
      g.release();
    }
    long floatsPerImage = (long) channels * t.tensorWidth() * t.tensorHeight();
    long bytes = floatsPerImage * 4 * maxBatch;
    checkInput(bytes <= Integer.MAX_VALUE, "tensor too large: %d bytes", bytes);
    if (out.capacity() < bytes) {
      out = ByteBuffer.allocateDirect((int) bytes).order(ByteOrder.nativeOrder());
    }
    g = new Geometry(t, floatsPerImage);
    geometry = g;
    return g;
  }

  private Mat sourceMat(ImageFrame frame) {
    Mat m = frame.mat();
    if (m != null) {
      return m;
    }
    ByteBuffer buf = Objects.requireNonNull(frame.buffer());
    int rows = frame.format().isYuv420() ? frame.height() * 3 / 2 : frame.height();
    int type = CvType.CV_8UC(frame.format().channels());
    if (buf.isDirect()) {
      SourceCache c = sourceCache;
      if (c == null || !c.matches(buf, frame)) {
        if (c != null) {
          c.mat.release();
        }
        c =
            new SourceCache(
                buf,
                frame.width(),
                rows,
                frame.rowStride(),
                frame.format(),
                new Mat(rows, frame.width(), type, buf, frame.rowStride()));
        sourceCache = c;
      }
      return c.mat;
    }
    // Heap memory cannot be wrapped by a Mat: copy it into a reused staging Mat.
    staging.create(rows, frame.width(), type);
    copyRows(buf, rows, frame.width() * frame.format().channels(), frame.rowStride(), staging);
    return staging;
  }

  /**
   * Copies rows of a heap (or read-only) buffer into {@code dst}. Writable heap buffers are read
   * through their backing array; read-only ones through a reused scratch row (they expose no
   * array).
   */
  private void copyRows(ByteBuffer buf, int rows, int rowBytes, int stride, Mat dst) {
    if (buf.hasArray()) {
      byte[] array = buf.array();
      int base = buf.arrayOffset() + buf.position();
      if (stride == rowBytes) {
        dst.put(0, 0, array, base, rowBytes * rows);
      } else {
        for (int r = 0; r < rows; r++) {
          dst.put(r, 0, array, base + r * stride, rowBytes);
        }
      }
      return;
    }
    byte[] scratch = rowScratch;
    if (scratch == null || scratch.length < rowBytes) {
      scratch = new byte[rowBytes];
      rowScratch = scratch;
    }
    int base = buf.position();
    for (int r = 0; r < rows; r++) {
      AndroidCompat.get(buf, base + r * stride, scratch, 0, rowBytes);
      dst.put(r, 0, scratch, 0, rowBytes);
    }
  }

  /** OpenCV colour-conversion code from {@code from} to {@code to}, or -1 when none is needed. */
  static int cvtCode(PixelFormat from, ColorOrder to) {
    return switch (to) {
      case BGR ->
          switch (from) {
            case BGR -> -1;
            case RGB -> Imgproc.COLOR_RGB2BGR;
            case BGRA -> Imgproc.COLOR_BGRA2BGR;
            case RGBA -> Imgproc.COLOR_RGBA2BGR;
            case GRAY -> Imgproc.COLOR_GRAY2BGR;
            case NV21 -> Imgproc.COLOR_YUV2BGR_NV21;
            case I420 -> Imgproc.COLOR_YUV2BGR_I420;
          };
      case RGB ->
          switch (from) {
            case BGR -> Imgproc.COLOR_BGR2RGB;
            case RGB -> -1;
            case BGRA -> Imgproc.COLOR_BGRA2RGB;
            case RGBA -> Imgproc.COLOR_RGBA2RGB;
            case GRAY -> Imgproc.COLOR_GRAY2RGB;
            case NV21 -> Imgproc.COLOR_YUV2RGB_NV21;
            case I420 -> Imgproc.COLOR_YUV2RGB_I420;
          };
      case GRAY ->
          switch (from) {
            case BGR -> Imgproc.COLOR_BGR2GRAY;
            case RGB -> Imgproc.COLOR_RGB2GRAY;
            case BGRA -> Imgproc.COLOR_BGRA2GRAY;
            case RGBA -> Imgproc.COLOR_RGBA2GRAY;
            case GRAY -> -1;
            case NV21 -> Imgproc.COLOR_YUV2GRAY_NV21;
            case I420 -> Imgproc.COLOR_YUV2GRAY_I420;
          };
    };
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (geometry != null) {
      geometry.release();
    }
    if (sourceCache != null) {
      sourceCache.mat.release();
    }
    yuvConverted.release();
    resized.release();
    channel8.release();
    staging.release();
  }

  private static int ceilTo(int v, int m) {
    return (v + m - 1) / m * m;
  }

  private static double[] pad4(double[] v) {
    double[] out = new double[4];
    System.arraycopy(v, 0, out, 0, Math.min(4, v.length));
    return out;
  }

  /** A frame wrapped as a Mat over its own memory (no copy), for {@link ImageFrames#toBgrMat}. */
  static final class SourceMat implements AutoCloseable {
    private final Mat mat;
    private final boolean owned;

    private SourceMat(Mat mat, boolean owned) {
      this.mat = mat;
      this.owned = owned;
    }

    static SourceMat of(ImageFrame frame) {
      Mat m = frame.mat();
      if (m != null) {
        return new SourceMat(m, false);
      }
      ByteBuffer buf = Objects.requireNonNull(frame.buffer());
      int rows = frame.format().isYuv420() ? frame.height() * 3 / 2 : frame.height();
      int type = CvType.CV_8UC(frame.format().channels());
      if (buf.isDirect()) {
        return new SourceMat(new Mat(rows, frame.width(), type, buf, frame.rowStride()), true);
      }
      Mat copy = new Mat(rows, frame.width(), type);
      int rowBytes = frame.width() * frame.format().channels();
      byte[] row = new byte[rowBytes];
      for (int r = 0; r < rows; r++) {
        AndroidCompat.get(buf, buf.position() + r * frame.rowStride(), row, 0, rowBytes);
        copy.put(r, 0, row);
      }
      return new SourceMat(copy, true);
    }

    Mat mat() {
      return mat;
    }

    @Override
    public void close() {
      if (owned) {
        mat.release();
      }
    }
  }

  private record SourceCache(
      ByteBuffer buffer, int width, int rows, int stride, PixelFormat format, Mat mat) {
    boolean matches(ByteBuffer b, ImageFrame f) {
      return b == buffer
          && f.width() == width
          && f.rowStride() == stride
          && f.format() == format
          && (f.format().isYuv420() ? f.height() * 3 / 2 : f.height()) == rows;
    }
  }

  /**
   * Mats for one geometry: the 8-bit canvas (with padding), its ROI, and float planes per batch
   * slot.
   */
  private final class Geometry {
    final PreprocessTransform t;
    final int newW;
    final int newH;
    final boolean padded;
    final Mat canvas;
    final Mat roi;
    final long canvasAddr;
    final long roiAddr;
    final long floatsPerImage;
    final List<Mat[]> planesBySlot = new ArrayList<>();
    final FloatBuffer[] views;

    Geometry(PreprocessTransform t, long floatsPerImage) {
      this.t = t;
      this.floatsPerImage = floatsPerImage;
      newW = (int) Math.round(t.scaleX() * t.sourceWidth());
      newH = (int) Math.round(t.scaleY() * t.sourceHeight());
      padded = newW != t.tensorWidth() || newH != t.tensorHeight();
      canvas = new Mat(t.tensorHeight(), t.tensorWidth(), CvType.CV_8UC(channels));
      if (padded) {
        canvas.setTo(new Scalar(padValue, padValue, padValue, padValue)).release();
        roi = canvas.submat(new Rect((int) t.padX(), (int) t.padY(), newW, newH));
      } else {
        roi = canvas;
      }
      canvasAddr = canvas.dataAddr();
      roiAddr = roi.dataAddr();
      views = new FloatBuffer[maxBatch + 1];
    }

    boolean matches(PreprocessTransform other) {
      return t.equals(other);
    }

    Mat[] planes(int slot) {
      while (planesBySlot.size() <= slot) {
        int s = planesBySlot.size();
        int planeFloats = t.tensorWidth() * t.tensorHeight();
        Mat[] p;
        if (layout == Layout.NCHW) {
          p = new Mat[channels];
          for (int c = 0; c < channels; c++) {
            long off = (s * floatsPerImage + (long) c * planeFloats) * 4;
            p[c] =
                new Mat(
                    t.tensorHeight(),
                    t.tensorWidth(),
                    CvType.CV_32FC1,
                    AndroidCompat.slice(out, (int) off, planeFloats * 4)
                        .order(ByteOrder.nativeOrder()));
          }
        } else {
          long off = s * floatsPerImage * 4;
          p =
              new Mat[] {
                new Mat(
                    t.tensorHeight(),
                    t.tensorWidth(),
                    CvType.CV_32FC(channels),
                    AndroidCompat.slice(out, (int) off, (int) floatsPerImage * 4)
                        .order(ByteOrder.nativeOrder()))
              };
        }
        planesBySlot.add(p);
      }
      return planesBySlot.get(slot);
    }

    FloatBuffer floats(int batch) {
      if (batch < 1 || batch > maxBatch) {
        throw new IllegalArgumentException("batch must be in [1, " + maxBatch + "], got " + batch);
      }
      FloatBuffer v = views[batch];
      if (v == null) {
        v =
            AndroidCompat.slice(out, 0, (int) (batch * floatsPerImage * 4))
                .order(ByteOrder.nativeOrder())
                .asFloatBuffer();
        views[batch] = v;
      }
      return v;
    }

    void release() {
      for (Mat[] p : planesBySlot) {
        for (Mat m : p) {
          m.release();
        }
      }
      if (roi != canvas) {
        roi.release();
      }
      canvas.release();
    }
  }
}
