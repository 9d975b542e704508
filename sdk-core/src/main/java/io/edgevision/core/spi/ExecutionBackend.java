package io.edgevision.core.spi;

import io.edgevision.core.EdgeVisionException;
import io.edgevision.core.ExecutionProvider;
import java.util.Optional;

/**
 * An execution backend that runs a model outside ONNX Runtime (e.g. a TensorRT engine through JNI),
 * plugged into {@code InferenceSession} under one {@link ExecutionProvider}.
 *
 * <p>The session keeps doing everything else: it reads the model's IO signature and descriptor with
 * ONNX Runtime (CPU), preprocesses frames, applies budgets, and decodes outputs; the backend only
 * turns input tensors into output tensors.
 *
 * <h2>Example</h2>
 *
 * <pre>{@code
 * // discovered through META-INF/services when edgevision-jni is on the class path, or registered explicitly:
 * InferenceSession s = InferenceSession.builder(ModelSource.of(path))
 *     .backend(TensorRtBackend.builder().precision(TrtPrecision.FP16).build())
 *     .providers(ExecutionProvider.TENSORRT_NATIVE, ExecutionProvider.CUDA, ExecutionProvider.CPU)
 *     .build();
 * }</pre>
 *
 * <h2>Contract</h2>
 *
 * <ul>
 *   <li>{@link #unavailableReason()} must never throw, must not crash the JVM when native libraries
 *       are missing (catch {@link LinkageError}), and should probe once per JVM.
 *   <li>{@link #open} failing with an {@link EdgeVisionException} makes the session fall back to
 *       the next provider of its preference, recording the message.
 * </ul>
 *
 * <p>Threading: implementations must be thread-safe (one backend instance serves many sessions).
 */
public interface ExecutionBackend {
  /**
   * @return the provider this backend implements (one of the non-ONNX-Runtime constants)
   */
  ExecutionProvider provider();

  /**
   * Whether this backend can run here at all (libraries and device present). Cheap after the first
   * call.
   *
   * @return empty when usable, else a {@link io.edgevision.core.ErrorCode#PROVIDER_UNAVAILABLE}
   *     exception whose message carries the native reason (e.g. the {@code UnsatisfiedLinkError}
   *     text)
   */
  Optional<EdgeVisionException> unavailableReason();

  /**
   * Prepares the model for execution (for TensorRT: load a cached engine or build one).
   *
   * @param model the model bytes and the signature the session read
   * @return the backend's session for this model (closed by the {@code InferenceSession})
   * @throws EdgeVisionException when the model cannot run on this backend
   */
  BackendSession open(BackendModel model);
}
