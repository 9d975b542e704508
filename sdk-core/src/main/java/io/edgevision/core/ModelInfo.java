package io.edgevision.core;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a loaded model is: its SHA-256, IO signature, ONNX custom metadata and the effective
 * descriptor.
 *
 * @param name the source name (path, given name or classpath resource)
 * @param sha256 SHA-256 of the model bytes, lower-case hex, computed once at load
 * @param sizeBytes size of the model file
 * @param inputs input signature in graph order
 * @param outputs output signature in graph order
 * @param customMetadata the ONNX model's custom metadata ({@code metadata_props})
 * @param producer the producer name recorded in the model
 * @param graphName the graph name
 * @param descriptor the effective descriptor (metadata, then sidecar, then builder)
 */
public record ModelInfo(
    String name,
    String sha256,
    long sizeBytes,
    List<TensorInfo> inputs,
    List<TensorInfo> outputs,
    Map<String, String> customMetadata,
    String producer,
    String graphName,
    ModelDescriptor descriptor) {
  public ModelInfo {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(sha256, "sha256");
    inputs = List.copyOf(inputs);
    outputs = List.copyOf(outputs);
    customMetadata = Map.copyOf(customMetadata);
    Objects.requireNonNull(producer, "producer");
    Objects.requireNonNull(graphName, "graphName");
    Objects.requireNonNull(descriptor, "descriptor");
  }

  /**
   * @return the input called {@code name}, if present
   */
  public Optional<TensorInfo> input(String name) {
    return inputs.stream().filter(t -> t.name().equals(name)).findFirst();
  }

  /**
   * @return the output called {@code name}, if present
   */
  public Optional<TensorInfo> output(String name) {
    return outputs.stream().filter(t -> t.name().equals(name)).findFirst();
  }
}
