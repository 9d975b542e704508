package io.edgevision.jni;

import static org.bytedeco.cuda.global.cudart.cudaFree;
import static org.bytedeco.cuda.global.cudart.cudaFreeHost;
import static org.bytedeco.cuda.global.cudart.cudaMalloc;
import static org.bytedeco.cuda.global.cudart.cudaMallocHost;
import static org.bytedeco.cuda.global.cudart.cudaStreamCreateWithFlags;
import static org.bytedeco.cuda.global.cudart.cudaStreamDestroy;
import static org.bytedeco.cuda.global.cudart.cudaStreamNonBlocking;
import static org.bytedeco.cuda.global.cudart.cudaStreamSynchronize;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.bytedeco.cuda.cudart.CUstream_st;
import org.bytedeco.javacpp.Pointer;

/**
 * The CUDA and TensorRT objects an engine owns, each a {@link NativeHandle}. Names CUDA types: load
 * only after {@link TensorRtProbe} succeeded.
 */
final class CudaHandles {
  private CudaHandles() {}

  /** A non-blocking CUDA stream; closing waits for its queued work, then destroys it. */
  static final class Stream extends NativeHandle {
    final CUstream_st stream;

    private Stream(CUstream_st stream) {
      super(
          "CUDA stream",
          () -> {
            cudaStreamSynchronize(stream);
            cudaStreamDestroy(stream);
          });
      this.stream = stream;
    }

    static Stream create() {
      CUstream_st s = new CUstream_st();
      Cuda.check(cudaStreamCreateWithFlags(s, cudaStreamNonBlocking), "cudaStreamCreateWithFlags");
      return new Stream(s);
    }
  }

  /** Device memory from {@code cudaMalloc}. */
  static final class DeviceBuffer extends NativeHandle {
    final Pointer pointer;
    final long bytes;

    private DeviceBuffer(Pointer pointer, long bytes, String what) {
      super("device buffer " + what + " (" + bytes + " B)", () -> cudaFree(pointer));
      this.pointer = pointer;
      this.bytes = bytes;
    }

    static DeviceBuffer allocate(long bytes, String what) {
      Pointer p = new Pointer();
      Cuda.check(cudaMalloc(p, Math.max(1, bytes)), "cudaMalloc(" + bytes + ") for " + what);
      return new DeviceBuffer(p, bytes, what);
    }
  }

  /** Page-locked host memory from {@code cudaMallocHost}, for asynchronous copies. */
  static final class PinnedBuffer extends NativeHandle {
    final Pointer pointer;
    final long bytes;
    final ByteBuffer buffer;

    private PinnedBuffer(Pointer pointer, long bytes, String what) {
      super("pinned host buffer " + what + " (" + bytes + " B)", () -> cudaFreeHost(pointer));
      this.pointer = pointer;
      this.bytes = bytes;
      this.buffer =
          new Pointer(pointer)
              .capacity(Math.max(1, bytes))
              .asByteBuffer()
              .order(ByteOrder.nativeOrder());
    }

    static PinnedBuffer allocate(long bytes, String what) {
      if (bytes > Integer.MAX_VALUE) {
        throw new IllegalArgumentException(
            "a host buffer for " + what + " must be < 2 GiB, got " + bytes + " B");
      }
      Pointer p = new Pointer();
      Cuda.check(
          cudaMallocHost(p, Math.max(1, bytes)), "cudaMallocHost(" + bytes + ") for " + what);
      return new PinnedBuffer(p, bytes, what);
    }
  }

  /**
   * One TensorRT object (runtime, engine, context, builder, network, config, parser, host memory).
   */
  static final class TrtObject<T extends Pointer> extends NativeHandle {
    private final T object;

    TrtObject(T object, int kind, String what) {
      super("TensorRT " + what, () -> Trt.destroy(object, kind));
      this.object = object;
    }

    /**
     * @return the object @throws IllegalStateException when closed
     */
    T get() {
      checkOpen();
      return object;
    }
  }
}
