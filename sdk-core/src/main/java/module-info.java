/**
 * EdgeVision SDK core: frames, model loading and descriptors, sessions and execution providers,
 * preprocessing, budgeted calls, telemetry. Read first: {@link
 * io.edgevision.core.InferenceSession}.
 *
 * <p>Exports only {@code io.edgevision.core}; {@code io.edgevision.core.internal} stays inside the
 * module. On the class path (fat jars) and on Android (D8 ignores {@code module-info.class}) the
 * same jar works unchanged.
 */
module io.edgevision.core {
  requires transitive org.jspecify; // @Nullable / @NullMarked are part of the API
  requires transitive opencv; // ImageFrames.toBgrMat returns an OpenCV Mat
  requires com.microsoft.onnxruntime;
  requires com.fasterxml.jackson.databind;
  requires org.slf4j;
  requires HdrHistogram;
  requires jdk.jfr; // the io.edgevision.Inference event
  requires java.desktop; // ImageFrames' java.awt.image adapters

  exports io.edgevision.core;
  exports io.edgevision.core.spi; // execution backends (the jni module's TensorRT engine)

  uses io.edgevision.core.spi
      .ExecutionBackend; // Backends finds a TensorRT backend on the class/module path
}
