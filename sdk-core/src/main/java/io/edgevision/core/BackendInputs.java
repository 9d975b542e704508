package io.edgevision.core;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxTensorLike;
import io.edgevision.core.spi.BackendTensor;
import java.nio.Buffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Views of a workspace's ONNX Runtime input tensors as {@link BackendTensor}s (no copy). */
final class BackendInputs {
  private BackendInputs() {}

  static List<BackendTensor> of(Map<String, OnnxTensorLike> inputs) {
    List<BackendTensor> out = new ArrayList<>(inputs.size());
    for (Map.Entry<String, OnnxTensorLike> e : inputs.entrySet()) {
      if (!(e.getValue() instanceof OnnxTensor t)) {
        throw new IllegalStateException(
            "input '" + e.getKey() + "' is not a dense tensor: " + e.getValue());
      }
      Buffer data =
          t.getBufferRef()
              .orElseThrow(
                  () ->
                      new IllegalStateException(
                          "input '" + e.getKey() + "' has no Java buffer behind it"));
      ElementType type =
          switch (t.getInfo().type) {
            case FLOAT -> ElementType.FLOAT32;
            case INT64 -> ElementType.INT64;
            case INT32 -> ElementType.INT32;
            default ->
                throw new EdgeVisionException(
                    ErrorCode.MODEL_DESCRIPTOR_MISMATCH,
                    "input '"
                        + e.getKey()
                        + "': expected float32, int64 or int32 for an execution backend, got "
                        + t.getInfo().type);
          };
      out.add(new BackendTensor(e.getKey(), type, t.getInfo().getShape(), data));
    }
    return out;
  }
}
