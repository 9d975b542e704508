package io.edgevision.jni;

import static org.bytedeco.tensorrt.global.nvinfer.createInferRuntime;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.tensorrt.nvinfer.ILogger;
import org.bytedeco.tensorrt.nvinfer.IRuntime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-JVM TensorRT state: the logger TensorRT writes to (routed to SLF4J, last errors kept for
 * exception messages) and the one {@link IRuntime} that deserializes engines. Both live as long as
 * the JVM (TensorRT holds the logger by reference). Names TensorRT types: load only after {@link
 * TensorRtProbe} succeeded. Thread-safe.
 */
final class Trt {
  private static final Logger LOG = LoggerFactory.getLogger("io.edgevision.jni.TensorRT");
  static final TrtLogger LOGGER = new TrtLogger();
  private static IRuntime runtime;

  private Trt() {}

  /**
   * @return the shared runtime; callers that set a DLA core synchronise on it
   */
  static synchronized IRuntime runtime() {
    if (runtime == null) {
      IRuntime r = createInferRuntime(LOGGER);
      if (r == null || r.isNull()) {
        throw new io.edgevision.core.EdgeVisionException(
            io.edgevision.core.ErrorCode.NATIVE_FAILURE,
            "createInferRuntime failed: " + LOGGER.lastErrors());
      }
      runtime = r;
    }
    return runtime;
  }

  /**
   * @return DLA cores TensorRT sees (0 off Jetson)
   */
  static int dlaCores() {
    return runtime().getNbDLACores();
  }

  /**
   * Deletes a TensorRT object through {@code libedgevision_trt}; keeps it (logged once by the
   * loader) when that library is missing.
   */
  static void destroy(Pointer p, int kind) {
    if (p == null || p.isNull()) {
      return;
    }
    if (NativeLoader.load().isEmpty()) {
      TrtNative.destroy(p.address(), kind);
    }
    p.setNull();
  }

  /** Routes TensorRT's log to SLF4J and keeps the last errors. */
  static final class TrtLogger extends ILogger {
    private final Deque<String> errors = new ArrayDeque<>();

    @Override
    public void log(Severity severity, String msg) {
      switch (severity) {
        case kINTERNAL_ERROR, kERROR -> {
          LOG.error(msg);
          synchronized (errors) {
            errors.addLast(msg);
            while (errors.size() > 8) {
              errors.removeFirst();
            }
          }
        }
        case kWARNING -> LOG.warn(msg);
        case kINFO -> LOG.debug(msg);
        default -> LOG.trace(msg);
      }
    }

    /**
     * @return the last errors TensorRT logged, oldest first (and forgets them)
     */
    String lastErrors() {
      synchronized (errors) {
        List<String> out = new ArrayList<>(errors);
        errors.clear();
        return out.isEmpty() ? "(TensorRT logged no error)" : String.join(" | ", out);
      }
    }
  }
}
