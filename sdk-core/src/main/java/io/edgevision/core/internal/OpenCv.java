package io.edgevision.core.internal;

import io.edgevision.core.EdgeVisionException;
import io.edgevision.core.ErrorCode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Loads OpenCV's native library once. Order: on the desktop the {@code org.openpnp:opencv} jar's
 * bundled library, from the {@link NativeLibraryCache} (extracted on the first launch only; {@code
 * -Dedgevision.native.cache=off} skips this step), else by {@code nu.pattern.OpenCV.loadLocally()}
 * (which extracts it to a new temporary file every time); otherwise (Android, or a system install)
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
      @Nullable Throwable first = null;
      try {
        if (loadCached()) {
          loaded = true;
          return;
        }
      } catch (IOException | LinkageError | SecurityException e) {
        first = e; // fall back to the bundle's own loader below
      }
      try {
        Class<?> c = Class.forName("nu.pattern.OpenCV");
        c.getMethod("loadLocally").invoke(null);
        loaded = true;
        return;
      } catch (ReflectiveOperationException | LinkageError e) {
        if (first != null) {
          e.addSuppressed(first);
        }
        first = e;
      }
      try {
        System.loadLibrary(org.opencv.core.Core.NATIVE_LIBRARY_NAME);
        loaded = true;
      } catch (LinkageError e) {
        if (first != null) {
          e.addSuppressed(first);
        }
        throw new EdgeVisionException(
            ErrorCode.NATIVE_FAILURE,
            "OpenCV native library could not be loaded (tried org.openpnp bundle and System.loadLibrary("
                + org.opencv.core.Core.NATIVE_LIBRARY_NAME
                + "))",
            e);
      }
    }
  }

  /**
   * @return whether the bundled library was loaded from the cache; false when there is no cache or
   *     bundle
   */
  private static boolean loadCached() throws IOException {
    Optional<Path> dir = NativeLibraryCache.directory();
    Optional<String> resource =
        NativeLibraryCache.openPnpResource(org.opencv.core.Core.NATIVE_LIBRARY_NAME);
    if (dir.isEmpty() || resource.isEmpty()) {
      return false;
    }
    Optional<Path> file =
        NativeLibraryCache.extract(OpenCv.class.getClassLoader(), resource.get(), dir.get());
    if (file.isEmpty()) {
      return false;
    }
    System.load(file.get().toAbsolutePath().toString());
    return true;
  }
}
