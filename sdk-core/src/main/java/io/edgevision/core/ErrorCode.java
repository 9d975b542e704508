package io.edgevision.core;

/**
 * What went wrong, for {@link EdgeVisionException}. Callers switch on the code rather than parse
 * messages.
 *
 * <p>Threading: immutable enum, safe everywhere.
 */
public enum ErrorCode {
  /** The model file does not exist or cannot be read. */
  MODEL_NOT_FOUND,
  /**
   * The model bytes are not a loadable ONNX model (corrupt, truncated, wrong checksum, unsupported
   * op).
   */
  MODEL_INVALID,
  /**
   * The model's inputs or outputs do not match what its descriptor (or the caller) says it takes.
   */
  MODEL_DESCRIPTOR_MISMATCH,
  /** No execution provider in the preference list could be initialised. */
  PROVIDER_UNAVAILABLE,
  /**
   * Input data is inconsistent or does not fit the model (image size, pixel format, buffer size,
   * rank).
   */
  BAD_INPUT,
  /** The model produced outputs that cannot be used (NaN or infinite values, unexpected shapes). */
  INVALID_OUTPUT,
  /** ONNX Runtime or OpenCV failed in native code for another reason. */
  NATIVE_FAILURE
}
