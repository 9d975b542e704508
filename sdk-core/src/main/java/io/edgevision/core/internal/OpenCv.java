package io.edgevision.core.internal;

import io.edgevision.core.EdgeVisionException;
import io.edgevision.core.ErrorCode;

/**
 * Loads OpenCV's native library once. Order: on the desktop the {@code org.openpnp:opencv} jar's bundled
 * library ({@code nu.pattern.OpenCV.loadLocally()}); otherwise (Android, or a system install)
 * {@code System.loadLibrary(Core.NATIVE_LIBRARY_NAME)}. Internal.
 */
public final class OpenCv {
  private static volatile boolean loaded;

  private OpenCv() {}

  /** Loads the library if needed; thread-safe and idempotent. */
  public static void ensureLoaded() {
    if (loaded) {
      return;
    }
    synchronized (OpenCv.class) {
      if (loaded) {
        return;
      }
      Throwable first = null;
      try {
        Class<?> c = Class.forName("nu.pattern.OpenCV");
        c.getMethod("loadLocally").invoke(null);
        loaded = true;
        return;
      } catch (ReflectiveOperationException | LinkageError e) {
        first = e;
      }
      try {
        System.loadLibrary(org.opencv.core.Core.NATIVE_LIBRARY_NAME);
        loaded = true;
      } catch (LinkageError e) {
        e.addSuppressed(first);
        throw new EdgeVisionException(ErrorCode.NATIVE_FAILURE,
            "OpenCV native library could not be loaded (tried org.openpnp bundle and System.loadLibrary("
                + org.opencv.core.Core.NATIVE_LIBRARY_NAME + "))", e);
      }
    }
  }
}
