package io.edgevision.jni;

import static org.bytedeco.cuda.global.cudart.cudaDriverGetVersion;
import static org.bytedeco.cuda.global.cudart.cudaGetDeviceCount;
import static org.bytedeco.cuda.global.cudart.cudaGetDeviceProperties;
import static org.bytedeco.cuda.global.cudart.cudaGetErrorString;
import static org.bytedeco.cuda.global.cudart.cudaRuntimeGetVersion;
import static org.bytedeco.cuda.global.cudart.cudaSetDevice;
import static org.bytedeco.cuda.global.cudart.cudaSuccess;

import io.edgevision.core.EdgeVisionException;
import io.edgevision.core.ErrorCode;
import java.util.Optional;
import org.bytedeco.cuda.cudart.cudaDeviceProp;
import org.bytedeco.tensorrt.global.nvinfer;

/**
 * CUDA runtime helpers. Names CUDA types: load only after {@link TensorRtProbe} loaded the
 * bindings.
 */
final class Cuda {
  private Cuda() {}

  /**
   * @throws EdgeVisionException {@link ErrorCode#NATIVE_FAILURE} naming the call and CUDA's message
   */
  static void check(int status, String what) {
    if (status != cudaSuccess) {
      throw new EdgeVisionException(
          ErrorCode.NATIVE_FAILURE,
          what
              + " failed: CUDA error "
              + status
              + " ("
              + cudaGetErrorString(status).getString()
              + ")");
    }
  }

  static TensorRtProbe.Availability probeDevice(int index) {
    int[] count = new int[1];
    int rc = cudaGetDeviceCount(count);
    if (rc != cudaSuccess || count[0] == 0) {
      return new TensorRtProbe.Availability(
          Optional.empty(),
          "no CUDA device (cudaGetDeviceCount: "
              + (rc != cudaSuccess
                  ? "error " + rc + " " + cudaGetErrorString(rc).getString()
                  : "0 devices")
              + ")");
    }
    DeviceInfo d = device(index);
    int major = nvinfer.getInferLibVersion() / 10000;
    if (major < TrtPrecision.MIN_TENSORRT_MAJOR) {
      return new TensorRtProbe.Availability(
          Optional.empty(),
          "TensorRT "
              + d.tensorRtVersion()
              + " is loaded; these bindings need TensorRT "
              + TrtPrecision.MIN_TENSORRT_MAJOR
              + ".x");
    }
    return new TensorRtProbe.Availability(Optional.of(d), "");
  }

  /**
   * @return the device and library versions
   */
  static DeviceInfo device(int index) {
    check(cudaSetDevice(index), "cudaSetDevice(" + index + ")");
    try (cudaDeviceProp p = new cudaDeviceProp()) {
      check(cudaGetDeviceProperties(p, index), "cudaGetDeviceProperties(" + index + ")");
      int[] rt = new int[1];
      int[] drv = new int[1];
      check(cudaRuntimeGetVersion(rt), "cudaRuntimeGetVersion");
      check(cudaDriverGetVersion(drv), "cudaDriverGetVersion");
      return new DeviceInfo(
          index,
          p.name().getString().trim(),
          p.major() + "." + p.minor(),
          p.totalGlobalMem(),
          DeviceInfo.tensorRtVersion(nvinfer.getInferLibVersion()),
          DeviceInfo.cudaVersion(rt[0]),
          Trt.dlaCores());
    }
  }
}
