package io.edgevision.core;

import java.util.Objects;

/**
 * What produced a result, so it can be reproduced: the model bytes, the provider and library
 * versions, and the preprocessing descriptor.
 *
 * @param modelSha256 SHA-256 of the model that ran
 * @param variant the variant name ({@code "primary"} for the session's own model)
 * @param provider the execution provider that ran it
 * @param onnxRuntimeVersion ONNX Runtime library version
 * @param sdkVersion EdgeVision version
 * @param descriptorHash {@link ModelDescriptor#hash()} of the effective descriptor
 * @param backend what ran the model when it was not ONNX Runtime, e.g. {@code TensorRT 11.2.0
 *     engine 3fa2b1c0d4e5f607} for {@link ExecutionProvider#TENSORRT_NATIVE}; empty for ONNX
 *     Runtime providers
 */
public record Fingerprint(
    String modelSha256,
    String variant,
    ExecutionProvider provider,
    String onnxRuntimeVersion,
    String sdkVersion,
    String descriptorHash,
    String backend) {
  /** A fingerprint of a model run by ONNX Runtime (empty {@link #backend()}). */
  public Fingerprint(
      String modelSha256,
      String variant,
      ExecutionProvider provider,
      String onnxRuntimeVersion,
      String sdkVersion,
      String descriptorHash) {
    this(modelSha256, variant, provider, onnxRuntimeVersion, sdkVersion, descriptorHash, "");
  }

  public Fingerprint {
    Objects.requireNonNull(modelSha256, "modelSha256");
    Objects.requireNonNull(variant, "variant");
    Objects.requireNonNull(provider, "provider");
    Objects.requireNonNull(onnxRuntimeVersion, "onnxRuntimeVersion");
    Objects.requireNonNull(sdkVersion, "sdkVersion");
    Objects.requireNonNull(descriptorHash, "descriptorHash");
    Objects.requireNonNull(backend, "backend");
  }
}
