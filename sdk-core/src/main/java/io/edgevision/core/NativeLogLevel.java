package io.edgevision.core;

import ai.onnxruntime.OrtLoggingLevel;

/**
 * Severity from which ONNX Runtime's own log messages for a session are printed (they go to the
 * native stderr, not to SLF4J). Immutable enum.
 */
public enum NativeLogLevel {
  VERBOSE(OrtLoggingLevel.ORT_LOGGING_LEVEL_VERBOSE),
  INFO(OrtLoggingLevel.ORT_LOGGING_LEVEL_INFO),
  /** ONNX Runtime's default. */
  WARNING(OrtLoggingLevel.ORT_LOGGING_LEVEL_WARNING),
  ERROR(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR),
  FATAL(OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL);

  private final OrtLoggingLevel ort;

  NativeLogLevel(OrtLoggingLevel ort) {
    this.ort = ort;
  }

  OrtLoggingLevel ort() {
    return ort;
  }
}
