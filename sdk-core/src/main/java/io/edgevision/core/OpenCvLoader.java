package io.edgevision.core;

import io.edgevision.core.internal.OpenCv;

/**
 * The public way to make OpenCV's native library usable, for code that works with OpenCV types next
 * to the SDK (the {@code Mat} of {@link ImageFrames#toBgrMat}, drawing, warping): call {@link
 * #ensureLoaded()} before the first OpenCV call of your own. The SDK's own OpenCV entry points
 * ({@link ImageFrames}, {@link ImagePreprocessor}) load it themselves.
 *
 * <h2>Example</h2>
 *
 * <pre>{@code
 * OpenCvLoader.ensureLoaded();
 * Mat m = new Mat(2, 3, CvType.CV_64F);   // safe from here on
 * }</pre>
 *
 * <h2>Order</h2>
 *
 * On the desktop, the native library bundled in the {@code org.openpnp:opencv} jar ({@code
 * nu.pattern.OpenCV.loadLocally()}); otherwise (Android, or a system install) {@code
 * System.loadLibrary(Core.NATIVE_LIBRARY_NAME)}.
 *
 * <h2>Lifecycle and threading</h2>
 *
 * Loads at most once per class loader; thread-safe and idempotent. Nothing to close.
 */
public final class OpenCvLoader {
  private OpenCvLoader() {}

  /**
   * Loads OpenCV's native library if it is not loaded yet.
   *
   * @throws EdgeVisionException {@link ErrorCode#NATIVE_FAILURE} when neither way finds the library
   *     (the message names both)
   */
  public static void ensureLoaded() {
    OpenCv.ensureLoaded();
  }
}
