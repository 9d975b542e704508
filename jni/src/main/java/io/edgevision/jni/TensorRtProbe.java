package io.edgevision.jni;

import io.edgevision.core.EdgeVisionException;
import io.edgevision.core.ErrorCode;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds out, once per JVM, whether TensorRT and CUDA can be used here.
 *
 * <p>Order: the property {@value #DISABLE_PROPERTY}{@code =true} disables the backend without
 * touching native code; then the JavaCPP bindings are initialised by name ({@code cudart}, {@code
 * nvinfer}, {@code nvonnxparser}), which loads {@code libcuda.so.1}, {@code libcudart.so.13},
 * {@code libnvinfer.so.11} and {@code libnvonnxparser.so.11} from the system library path; then
 * device 0 is queried. Any {@link LinkageError} ({@code UnsatisfiedLinkError} when a library is
 * missing, {@code NoClassDefFoundError} on a later touch of a class whose initialiser failed) is
 * caught and becomes the reason. No class of this package that names a TensorRT or CUDA type is
 * loaded before the probe succeeded.
 *
 * <p>Threading: thread-safe; the first caller probes, later callers get the same answer.
 */
public final class TensorRtProbe {
  /**
   * System property: {@code true} disables the TensorRT backend without loading any native library.
   */
  public static final String DISABLE_PROPERTY = "edgevision.tensorrt.disable";

  static final List<String> BINDINGS =
      List.of(
          "org.bytedeco.cuda.global.cudart",
          "org.bytedeco.tensorrt.global.nvinfer",
          "org.bytedeco.tensorrt.global.nvonnxparser");
  private static final Logger LOG = LoggerFactory.getLogger(TensorRtProbe.class);
  private static @Nullable Availability cached;

  private TensorRtProbe() {}

  /**
   * The probe's answer.
   *
   * @param device device 0 and the TensorRT version, when usable
   * @param reason why not, when not usable (the native message included); empty when usable
   */
  public record Availability(Optional<DeviceInfo> device, String reason) {
    public Availability {
      Objects.requireNonNull(device, "device");
      Objects.requireNonNull(reason, "reason");
    }

    /**
     * @return true when TensorRT can be used
     */
    public boolean available() {
      return device.isPresent();
    }

    /**
     * @return a {@link ErrorCode#PROVIDER_UNAVAILABLE} exception carrying {@link #reason()}
     */
    public EdgeVisionException toException() {
      return new EdgeVisionException(
          ErrorCode.PROVIDER_UNAVAILABLE, "TensorRT backend unavailable: " + reason);
    }
  }

  /**
   * @return the answer for this JVM (probed on the first call)
   */
  public static synchronized Availability probe() {
    if (cached == null) {
      cached = probe(BINDINGS, TensorRtProbe.class.getClassLoader());
      if (cached.available()) {
        LOG.info("TensorRT backend available: {}", cached.device().orElseThrow());
      } else {
        LOG.info("TensorRT backend unavailable: {}", cached.reason());
      }
    }
    return cached;
  }

  /**
   * Probes the given binding classes; only the last step names TensorRT types (through {@link
   * Cuda}).
   */
  static Availability probe(List<String> bindings, @Nullable ClassLoader loader) {
    if (Boolean.getBoolean(DISABLE_PROPERTY)) {
      return new Availability(Optional.empty(), "disabled by -D" + DISABLE_PROPERTY + "=true");
    }
    for (String name : bindings) {
      try {
        Class.forName(name, true, loader);
      } catch (ClassNotFoundException e) {
        return new Availability(
            Optional.empty(),
            "the JavaCPP bindings are not on the class path (" + name + " not found)");
      } catch (LinkageError | RuntimeException e) {
        return new Availability(
            Optional.empty(),
            "loading "
                + name.substring(name.lastIndexOf('.') + 1)
                + " failed: "
                + describe(e)
                + " (TensorRT 11 and CUDA 13 libraries must be on the library path;"
                + " see docs/TENSORRT.md)");
      }
    }
    try {
      return Cuda.probeDevice(0);
    } catch (LinkageError | RuntimeException e) {
      return new Availability(Optional.empty(), "querying the GPU failed: " + describe(e));
    }
  }

  /**
   * @return the throwable and its causes in one line
   */
  static String describe(Throwable t) {
    StringBuilder sb = new StringBuilder(t.toString());
    Throwable c = t.getCause();
    for (int i = 0; c != null && c != t && i < 5; i++, c = c.getCause()) {
      sb.append("; caused by ").append(c);
    }
    return sb.toString();
  }
}
