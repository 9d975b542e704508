package io.edgevision.jni;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads {@code libedgevision_trt.so} (the {@link TrtNative} peer), once. Order (ONNX Runtime's):
 * the skip property {@value #SKIP_PROPERTY}, then the explicit file {@value #PATH_PROPERTY}, then
 * the class-path resource {@code /native/<os>-<arch>/libedgevision_trt.so}, then {@code
 * System.loadLibrary("edgevision_trt")} (java.library.path). Thread-safe.
 */
final class NativeLoader {
  /** {@code true}: do not load the helper library. */
  static final String SKIP_PROPERTY = "edgevision.tensorrt.native.skip";

  /** Absolute path of {@code libedgevision_trt.so}. */
  static final String PATH_PROPERTY = "edgevision.tensorrt.native.path";

  static final String LIBRARY = "edgevision_trt";
  private static final Logger LOG = LoggerFactory.getLogger(NativeLoader.class);
  private static Optional<String> failure = Optional.of("not loaded yet");
  private static boolean tried;

  private NativeLoader() {}

  /**
   * @return empty when the library is loaded, else why not
   */
  static synchronized Optional<String> load() {
    if (tried) {
      return failure;
    }
    tried = true;
    failure = tryLoad();
    failure.ifPresent(
        f ->
            LOG.warn(
                "{} not loaded ({}): TensorRT objects cannot be freed and stay allocated until"
                    + " the process exits; build it with jni/CMakeLists.txt (docs/TENSORRT.md)",
                LIBRARY,
                f));
    return failure;
  }

  private static Optional<String> tryLoad() {
    if (Boolean.getBoolean(SKIP_PROPERTY)) {
      return Optional.of("-D" + SKIP_PROPERTY + "=true");
    }
    try {
      String explicit = System.getProperty(PATH_PROPERTY);
      if (explicit != null && !explicit.isBlank()) {
        System.load(Path.of(explicit).toAbsolutePath().toString());
        return check();
      }
      String resource = "/native/" + platform() + "/" + System.mapLibraryName(LIBRARY);
      try (InputStream in = NativeLoader.class.getResourceAsStream(resource)) {
        if (in != null) {
          Path tmp = Files.createTempFile(LIBRARY, ".so");
          tmp.toFile().deleteOnExit();
          Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
          System.load(tmp.toString());
          return check();
        }
      }
      System.loadLibrary(LIBRARY);
      return check();
    } catch (IOException | LinkageError | SecurityException e) {
      return Optional.of(e.toString());
    }
  }

  private static Optional<String> check() {
    int abi = TrtNative.abiVersion();
    return abi == 1 ? Optional.empty() : Optional.of("ABI version " + abi + ", expected 1");
  }

  static String platform() {
    String os =
        System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux")
            ? "linux"
            : System.getProperty("os.name", "").toLowerCase(Locale.ROOT).replace(' ', '_');
    String arch = System.getProperty("os.arch", "");
    arch =
        switch (arch) {
          case "amd64", "x86_64" -> "x86_64";
          case "aarch64", "arm64" -> "arm64";
          default -> arch;
        };
    return os + "-" + arch;
  }
}
