package io.edgevision.core;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtProvider;
import java.util.EnumSet;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * ONNX Runtime execution providers the SDK can ask for, in the order a session tries them.
 *
 * <p>Which ones exist depends on the ONNX Runtime artifact on the classpath: {@code
 * com.microsoft.onnxruntime:onnxruntime} (CPU, and XNNPACK where built) or {@code onnxruntime_gpu}
 * (adds CUDA and TensorRT; needs a matching CUDA/cuDNN/TensorRT install), and the Android AAR
 * (NNAPI, XNNPACK). {@link #available()} asks the loaded library. {@link #TENSORRT_NATIVE} is not
 * an ONNX Runtime provider: an {@link io.edgevision.core.spi.ExecutionBackend} runs it.
 *
 * <p>Threading: immutable enum.
 */
public enum ExecutionProvider {
  TENSORRT(OrtProvider.TENSOR_RT),
  /**
   * TensorRT engines built, cached and run by the SDK itself (module {@code edgevision-jni}, not
   * ONNX Runtime); needs that module on the class path and TensorRT 11 + CUDA 13 libraries on the
   * machine.
   */
  TENSORRT_NATIVE(null),
  CUDA(OrtProvider.CUDA),
  NNAPI(OrtProvider.NNAPI),
  XNNPACK(OrtProvider.XNNPACK),
  COREML(OrtProvider.CORE_ML),
  CPU(OrtProvider.CPU);

  private final @Nullable OrtProvider ort;

  ExecutionProvider(@Nullable OrtProvider ort) {
    this.ort = ort;
  }

  /**
   * @return ONNX Runtime's name, e.g. {@code CUDAExecutionProvider}
   */
  public String nativeName() {
    return ort == null ? "EdgeVisionTensorRT" : ort.getName();
  }

  /**
   * @return true for a provider run by an {@link io.edgevision.core.spi.ExecutionBackend}, not by
   *     ONNX Runtime
   */
  boolean isBackend() {
    return ort == null;
  }

  /**
   * @return the providers compiled into the ONNX Runtime library on the classpath (a fresh copy)
   */
  public static EnumSet<ExecutionProvider> available() {
    EnumSet<OrtProvider> ort = OrtEnvironment.getAvailableProviders();
    EnumSet<ExecutionProvider> out = EnumSet.noneOf(ExecutionProvider.class);
    for (ExecutionProvider p : values()) {
      if (ort.contains(p.ort)) {
        out.add(p);
      }
    }
    return out;
  }

  /**
   * @param name a constant name ({@code cuda}) or native name ({@code CUDAExecutionProvider}), any
   *     case
   * @return the provider
   * @throws IllegalArgumentException for an unknown name, listing the known ones
   */
  public static ExecutionProvider parse(String name) {
    for (ExecutionProvider p : values()) {
      if (p.name().equalsIgnoreCase(name) || p.nativeName().equalsIgnoreCase(name)) {
        return p;
      }
    }
    throw new IllegalArgumentException(
        "unknown execution provider '"
            + name
            + "', expected one of "
            + java.util.Arrays.toString(values()).toLowerCase(Locale.ROOT));
  }
}
