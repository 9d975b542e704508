package io.edgevision.jni;

import io.edgevision.core.EdgeVisionException;
import io.edgevision.core.ErrorCode;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;

/**
 * The arithmetic a TensorRT engine may use, and what that means for TensorRT 11.
 *
 * <p>TensorRT 11 builds <b>strongly typed</b> networks only: {@code
 * NetworkDefinitionCreationFlag.kSTRONGLY_TYPED} is deprecated and ignored ("strongly typed mode is
 * always enabled"), and the builder flags {@code kFP16}, {@code kINT8}, {@code kBF16}, {@code kFP8}
 * and the INT8 calibrators of TensorRT 8-10 no longer exist (the {@code BuilderFlag} enum of the
 * 11.2 presets has {@code kTF32} but no precision flag). Every tensor has the type the ONNX model
 * gives it. So:
 *
 * <ul>
 *   <li>{@link #FP32}: float tensors computed in FP32; the builder flag {@code kTF32} is cleared.
 *   <li>{@link #TF32}: float tensors, with TF32 tensor-core math allowed ({@code kTF32} set,
 *       TensorRT's default).
 *   <li>{@link #FP16}: the model must already carry FP16 tensors (an FP16 or mixed-precision
 *       export, e.g. from ModelOpt AutoCast or {@code onnxconverter-common}); the build checks that
 *       the parsed network has some, and refuses an all-FP32 network instead of silently building
 *       FP32.
 *   <li>{@link #INT8}: the model must carry explicit quantisation (QuantizeLinear/DequantizeLinear,
 *       e.g. from ModelOpt); checked the same way. Implicit INT8 calibration does not exist in
 *       TensorRT 11.
 * </ul>
 *
 * <p>Threading: immutable enum.
 */
public enum TrtPrecision {
  FP32,
  TF32,
  FP16,
  INT8;

  /**
   * The lowest TensorRT major version these rules are written for (the presets bind
   * libnvinfer.so.11).
   */
  public static final int MIN_TENSORRT_MAJOR = 11;

  /**
   * @return whether the builder's {@code kTF32} flag is set for this precision (TensorRT 11)
   */
  public boolean tf32() {
    return this == TF32;
  }

  /**
   * @return the TensorRT data types ({@code DataType} constant names) of which the parsed network
   *     must contain at least one tensor; empty when none is required
   */
  public Set<String> requiredNetworkTypes() {
    return switch (this) {
      case FP32, TF32 -> Set.of();
      case FP16 -> Set.of("kHALF");
      case INT8 -> Set.of("kINT8");
    };
  }

  /**
   * Checks that this precision can be built with TensorRT {@code major.minor}.
   *
   * @param major TensorRT major version of the loaded library
   * @param minor its minor version
   * @throws EdgeVisionException {@link ErrorCode#PROVIDER_UNAVAILABLE} for a TensorRT older than 11
   */
  public void checkSupported(int major, int minor) {
    if (major < MIN_TENSORRT_MAJOR) {
      throw new EdgeVisionException(
          ErrorCode.PROVIDER_UNAVAILABLE,
          "precision "
              + this
              + ": expected TensorRT "
              + MIN_TENSORRT_MAJOR
              + ".x (these bindings are built for 11.2), got "
              + major
              + "."
              + minor);
    }
  }

  /**
   * Checks the parsed network against this precision (TensorRT 11 is strongly typed: no flag can
   * change a tensor's type).
   *
   * @param networkTypes the {@code DataType} constant names found on the network's tensors
   * @param model model name for the message
   * @throws EdgeVisionException {@link ErrorCode#MODEL_INVALID} when the model cannot run at this
   *     precision
   */
  public void checkNetwork(Set<String> networkTypes, String model) {
    Set<String> required = requiredNetworkTypes();
    if (!required.isEmpty() && required.stream().noneMatch(networkTypes::contains)) {
      String how =
          this == FP16
              ? "an FP16 or mixed-precision export of the model (e.g. ModelOpt AutoCast)"
              : "a model with explicit QuantizeLinear/DequantizeLinear nodes (e.g. ModelOpt PTQ)";
      throw new EdgeVisionException(
          ErrorCode.MODEL_INVALID,
          "precision "
              + this
              + " for "
              + model
              + ": TensorRT 11 builds strongly typed networks only, so it needs "
              + how
              + "; expected tensors of "
              + required
              + ", got only "
              + networkTypes);
    }
  }

  /**
   * @param name {@code fp32}, {@code tf32}, {@code fp16} or {@code int8}, any case
   * @return the precision
   * @throws IllegalArgumentException for anything else, listing the accepted names
   */
  public static TrtPrecision parse(String name) {
    for (TrtPrecision p : values()) {
      if (p.name().equalsIgnoreCase(name.trim())) {
        return p;
      }
    }
    throw new IllegalArgumentException(
        "unknown TensorRT precision '"
            + name
            + "', expected one of "
            + Arrays.toString(values()).toLowerCase(Locale.ROOT));
  }
}
