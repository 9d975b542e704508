package io.edgevision.jni;

/**
 * The JNI peer of {@code jni/src/main/native/io_edgevision_jni_TrtNative.cpp}: only native methods.
 *
 * <p>Why there is any C++ of our own: the JavaCPP presets map TensorRT's interfaces but no way to
 * delete them (TensorRT 10 removed {@code destroy()}; objects are freed with C++ {@code delete},
 * which the presets do not expose), so without this library engines, contexts, builders and parsers
 * are never freed. Loaded by {@link NativeLoader}; when absent, {@link Trt#destroy} keeps the
 * objects and says so once.
 */
final class TrtNative {
  /** Kinds passed to {@link #destroy}; must match the switch in the C++ file. */
  static final int RUNTIME = 0;

  static final int ENGINE = 1;
  static final int CONTEXT = 2;
  static final int BUILDER = 3;
  static final int NETWORK = 4;
  static final int CONFIG = 5;
  static final int PARSER = 6;
  static final int HOST_MEMORY = 7;
  static final int TIMING_CACHE = 8;

  private TrtNative() {}

  static native void destroy(long address, int kind);

  static native int abiVersion();
}
