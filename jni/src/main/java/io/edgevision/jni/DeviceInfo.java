package io.edgevision.jni;

import java.util.Objects;

/**
 * The GPU and TensorRT library an engine is built for or runs on.
 *
 * @param index CUDA device index
 * @param name device name as CUDA reports it
 * @param computeCapability {@code major.minor}, e.g. {@code 8.7}
 * @param totalMemoryBytes device memory
 * @param tensorRtVersion loaded TensorRT library version, e.g. {@code 11.2.0}
 * @param cudaRuntimeVersion e.g. {@code 13.0}
 * @param dlaCores DLA cores TensorRT sees (0 outside Jetson)
 *     <p>Threading: immutable.
 */
public record DeviceInfo(
    int index,
    String name,
    String computeCapability,
    long totalMemoryBytes,
    String tensorRtVersion,
    String cudaRuntimeVersion,
    int dlaCores) {
  public DeviceInfo {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(computeCapability, "computeCapability");
    Objects.requireNonNull(tensorRtVersion, "tensorRtVersion");
    Objects.requireNonNull(cudaRuntimeVersion, "cudaRuntimeVersion");
  }

  /**
   * @param encoded TensorRT's {@code getInferLibVersion()}: major*10000 + minor*100 + patch
   *     (TensorRT 10+)
   * @return {@code major.minor.patch}
   */
  public static String tensorRtVersion(int encoded) {
    return (encoded / 10000) + "." + (encoded / 100 % 100) + "." + (encoded % 100);
  }

  /**
   * @param encoded CUDA's runtime/driver version: major*1000 + minor*10
   * @return {@code major.minor}
   */
  public static String cudaVersion(int encoded) {
    return (encoded / 1000) + "." + (encoded % 1000 / 10);
  }
}
