package io.edgevision.core.spi;

import io.edgevision.core.ModelInfo;
import java.util.Objects;

/**
 * What a backend gets to prepare a model: the ONNX bytes and what the session already knows about
 * them.
 *
 * @param bytes the ONNX model (the array is shared: do not modify)
 * @param info name, SHA-256, IO signature and effective descriptor, as read by ONNX Runtime
 * @param deviceId the session's device id ({@code InferenceSession.Builder.deviceId}, default 0)
 *     <p>Threading: immutable (the byte array is shared and must not be modified).
 */
public record BackendModel(byte[] bytes, ModelInfo info, int deviceId) {
  public BackendModel {
    Objects.requireNonNull(bytes, "bytes");
    Objects.requireNonNull(info, "info");
    if (deviceId < 0) {
      throw new IllegalArgumentException("deviceId must be >= 0, got " + deviceId);
    }
  }
}
