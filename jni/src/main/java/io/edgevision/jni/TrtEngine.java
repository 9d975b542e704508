package io.edgevision.jni;

import static org.bytedeco.cuda.global.cudart.cudaErrorNotReady;
import static org.bytedeco.cuda.global.cudart.cudaMemcpyAsync;
import static org.bytedeco.cuda.global.cudart.cudaMemcpyDeviceToHost;
import static org.bytedeco.cuda.global.cudart.cudaMemcpyHostToDevice;
import static org.bytedeco.cuda.global.cudart.cudaSetDevice;
import static org.bytedeco.cuda.global.cudart.cudaStreamQuery;
import static org.bytedeco.cuda.global.cudart.cudaStreamSynchronize;
import static org.bytedeco.cuda.global.cudart.cudaSuccess;

import io.edgevision.core.EdgeVisionException;
import io.edgevision.core.ElementType;
import io.edgevision.core.ErrorCode;
import io.edgevision.core.Outputs;
import io.edgevision.core.spi.BackendSession;
import io.edgevision.core.spi.BackendTensor;
import io.edgevision.jni.CudaHandles.DeviceBuffer;
import io.edgevision.jni.CudaHandles.PinnedBuffer;
import io.edgevision.jni.CudaHandles.Stream;
import io.edgevision.jni.CudaHandles.TrtObject;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.tensorrt.global.nvinfer.DataType;
import org.bytedeco.tensorrt.global.nvinfer.ExecutionContextAllocationStrategy;
import org.bytedeco.tensorrt.global.nvinfer.OptProfileSelector;
import org.bytedeco.tensorrt.global.nvinfer.TensorIOMode;
import org.bytedeco.tensorrt.nvinfer.Dims64;
import org.bytedeco.tensorrt.nvinfer.ICudaEngine;
import org.bytedeco.tensorrt.nvinfer.IExecutionContext;

/**
 * A deserialized TensorRT engine with its execution context, CUDA stream, device buffers and pinned
 * host buffers (all sized for the profile's largest shapes and reused across calls), run with
 * {@code enqueueV3}.
 *
 * <h2>Cancellation</h2>
 *
 * A CUDA stream cannot abort a kernel in flight. At the timeout {@link #run} stops waiting and
 * returns a cancelled run; the queued work finishes on the GPU in the background. The buffers stay
 * reserved for it: the next call first waits for the stream ({@code cudaStreamSynchronize}), so its
 * own time includes the rest of the abandoned work, and {@link #close()} waits for it before
 * freeing anything.
 *
 * <p>Threading: thread-safe; calls are serialised (one stream, one set of buffers). Names TensorRT
 * types: load only after {@link TensorRtProbe} succeeded.
 */
final class TrtEngine extends NativeHandle implements BackendSession {
  private static final long POLL_NANOS = 20_000;

  private final String description;
  private final int deviceId;
  private final TrtObject<ICudaEngine> engine;
  private final TrtObject<IExecutionContext> context;
  private final DeviceBuffer contextMemory;
  private final Stream stream;
  private final Map<String, Io> io = new LinkedHashMap<>();
  private final List<String> outputNames = new ArrayList<>();
  private final ReentrantLock lock = new ReentrantLock();
  private boolean streamBusy; // a cancelled run's work may still be queued

  private record Io(
      String name,
      boolean input,
      DataType type,
      int elementBytes,
      long[] maxShape,
      DeviceBuffer device,
      PinnedBuffer host) {}

  private TrtEngine(
      String description,
      int deviceId,
      TrtObject<ICudaEngine> engine,
      TrtObject<IExecutionContext> context,
      DeviceBuffer contextMemory,
      Stream stream,
      List<Io> tensors) {
    super(description, releaser(stream, context, contextMemory, engine, tensors));
    this.description = description;
    this.deviceId = deviceId;
    this.engine = engine;
    this.context = context;
    this.contextMemory = contextMemory;
    this.stream = stream;
    tensors.forEach(
        t -> {
          io.put(t.name, t);
          if (!t.input) {
            outputNames.add(t.name);
          }
        });
  }

  /** Deserializes {@code plan} and allocates everything a run needs. */
  static TrtEngine load(
      byte[] plan, String description, DeviceInfo device, TrtBuildOptions options) {
    Cuda.check(cudaSetDevice(device.index()), "cudaSetDevice(" + device.index() + ")");
    List<AutoCloseable> made = new ArrayList<>();
    try {
      ICudaEngine e;
      try (BytePointer p = new BytePointer(plan)) {
        synchronized (Trt.runtime()) {
          Trt.runtime().setDLACore(options.dlaCore().orElse(-1));
          e = Trt.runtime().deserializeCudaEngine(p, plan.length);
        }
      }
      if (e == null || e.isNull()) {
        throw new EdgeVisionException(
            ErrorCode.NATIVE_FAILURE,
            "TensorRT could not deserialize the engine "
                + description
                + ": "
                + Trt.LOGGER.lastErrors());
      }
      TrtObject<ICudaEngine> engine = add(made, new TrtObject<>(e, TrtNative.ENGINE, "engine"));
      // User-managed activation memory: freed by cudaFree even where libedgevision_trt is missing.
      IExecutionContext c =
          e.createExecutionContext(ExecutionContextAllocationStrategy.kUSER_MANAGED);
      if (c == null || c.isNull()) {
        throw new EdgeVisionException(
            ErrorCode.NATIVE_FAILURE, "createExecutionContext failed: " + Trt.LOGGER.lastErrors());
      }
      TrtObject<IExecutionContext> context =
          add(made, new TrtObject<>(c, TrtNative.CONTEXT, "execution context"));
      long scratch = e.getDeviceMemorySizeV2();
      DeviceBuffer memory = add(made, DeviceBuffer.allocate(scratch, "activations"));
      c.setDeviceMemoryV2(memory.pointer, scratch);
      Stream stream = add(made, Stream.create());
      // Pass 1: every input at its profile's largest shape, so that output shapes are their largest
      // too.
      int n = e.getNbIOTensors();
      for (int i = 0; i < n; i++) {
        String name = e.getIOTensorName(i);
        if (e.getTensorIOMode(name) == TensorIOMode.kINPUT) {
          try (Dims64 d = e.getProfileShape(name, 0, OptProfileSelector.kMAX)) {
            if (!c.setInputShape(name, d)) {
              throw new EdgeVisionException(
                  ErrorCode.NATIVE_FAILURE,
                  "setInputShape(" + name + ", max) failed: " + Trt.LOGGER.lastErrors());
            }
          }
        }
      }
      // Pass 2: one device and one pinned buffer per tensor, bound once.
      List<Io> tensors = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        String name = e.getIOTensorName(i);
        boolean input = e.getTensorIOMode(name) == TensorIOMode.kINPUT;
        DataType type = e.getTensorDataType(name);
        int bytes = elementBytes(type, name);
        long[] max =
            toArray(
                input
                    ? e.getProfileShape(name, 0, OptProfileSelector.kMAX)
                    : c.getTensorShape(name));
        long elements = 1;
        for (long d : max) {
          if (d < 0) {
            throw new EdgeVisionException(
                ErrorCode.MODEL_DESCRIPTOR_MISMATCH,
                "engine tensor '"
                    + name
                    + "': expected a shape bounded by the profile, got data-dependent "
                    + Arrays.toString(max));
          }
          elements *= d;
        }
        DeviceBuffer dev = add(made, DeviceBuffer.allocate(elements * bytes, name));
        PinnedBuffer host = add(made, PinnedBuffer.allocate(elements * bytes, name));
        if (!c.setTensorAddress(name, dev.pointer)) {
          throw new EdgeVisionException(
              ErrorCode.NATIVE_FAILURE,
              "setTensorAddress(" + name + ") failed: " + Trt.LOGGER.lastErrors());
        }
        tensors.add(new Io(name, input, type, bytes, max, dev, host));
      }
      return new TrtEngine(description, device.index(), engine, context, memory, stream, tensors);
    } catch (RuntimeException | LinkageError ex) {
      for (int i = made.size() - 1; i >= 0; i--) {
        try {
          made.get(i).close();
        } catch (Exception suppressed) {
          ex.addSuppressed(suppressed);
        }
      }
      throw ex;
    }
  }

  private static <T extends AutoCloseable> T add(List<AutoCloseable> made, T t) {
    made.add(t);
    return t;
  }

  private static long[] toArray(Dims64 d) {
    long[] out = new long[d.nbDims()];
    for (int i = 0; i < out.length; i++) {
      out[i] = d.d(i);
    }
    return out;
  }

  private static int elementBytes(DataType t, String name) {
    return switch (t) {
      case kFLOAT, kINT32 -> 4;
      case kHALF, kBF16 -> 2;
      case kINT64 -> 8;
      case kINT8, kUINT8, kBOOL -> 1;
      default ->
          throw new EdgeVisionException(
              ErrorCode.MODEL_DESCRIPTOR_MISMATCH,
              "engine tensor '"
                  + name
                  + "': expected float32, float16, int32, int64 or 8-bit, got "
                  + t);
    };
  }

  @Override
  public String describe() {
    return description;
  }

  @Override
  public Run run(List<BackendTensor> inputs, long timeoutNanos) {
    acquire();
    lock.lock();
    boolean handedOver = false;
    try {
      Cuda.check(cudaSetDevice(deviceId), "cudaSetDevice(" + deviceId + ")");
      if (streamBusy) {
        Cuda.check(cudaStreamSynchronize(stream.stream), "waiting for a cancelled run's GPU work");
        streamBusy = false;
      }
      long start = System.nanoTime();
      IExecutionContext c = context.get();
      for (BackendTensor t : inputs) {
        Io in = io.get(t.name());
        if (in == null || !in.input) {
          throw new EdgeVisionException(
              ErrorCode.MODEL_DESCRIPTOR_MISMATCH,
              "engine "
                  + description
                  + ": no input '"
                  + t.name()
                  + "', inputs are "
                  + io.values().stream().filter(Io::input).map(Io::name).toList());
        }
        long[] shape = t.shape();
        for (int i = 0; i < shape.length; i++) {
          if (shape.length != in.maxShape.length || shape[i] > in.maxShape[i]) {
            throw new EdgeVisionException(
                ErrorCode.BAD_INPUT,
                "input '"
                    + t.name()
                    + "': expected a shape within"
                    + " the engine's profile (max "
                    + Arrays.toString(in.maxShape)
                    + "), got "
                    + Arrays.toString(shape));
          }
        }
        long bytes = fill(in, t);
        try (Dims64 d = EngineBuilder.dims(shape)) {
          if (!c.setInputShape(t.name(), d)) {
            throw new EdgeVisionException(
                ErrorCode.BAD_INPUT,
                "TensorRT rejected shape "
                    + Arrays.toString(shape)
                    + " for input '"
                    + t.name()
                    + "': "
                    + Trt.LOGGER.lastErrors());
          }
        }
        Cuda.check(
            cudaMemcpyAsync(
                in.device.pointer, in.host.pointer, bytes, cudaMemcpyHostToDevice, stream.stream),
            "copying input '" + t.name() + "' to the GPU");
      }
      if (!c.enqueueV3(stream.stream)) {
        throw new EdgeVisionException(
            ErrorCode.NATIVE_FAILURE,
            "enqueueV3 failed for " + description + ": " + Trt.LOGGER.lastErrors());
      }
      Map<String, long[]> shapes = new LinkedHashMap<>();
      for (String name : outputNames) {
        Io out = io.get(name);
        long[] s = toArray(c.getTensorShape(name));
        shapes.put(name, s);
        Cuda.check(
            cudaMemcpyAsync(
                out.host.pointer,
                out.device.pointer,
                count(s) * out.elementBytes,
                cudaMemcpyDeviceToHost,
                stream.stream),
            "copying output '" + name + "' from the GPU");
      }
      while (true) {
        int rc = cudaStreamQuery(stream.stream);
        if (rc == cudaSuccess) {
          break;
        }
        if (rc != cudaErrorNotReady) {
          Cuda.check(rc, "running " + description);
        }
        if (timeoutNanos != Long.MAX_VALUE && System.nanoTime() - start >= timeoutNanos) {
          streamBusy = true;
          lock.unlock();
          release();
          handedOver = true;
          return new CancelledRun();
        }
        LockSupport.parkNanos(POLL_NANOS);
      }
      handedOver = true;
      return new CompletedRun(shapes);
    } finally {
      if (!handedOver) {
        lock.unlock();
        release();
      }
    }
  }

  /** Copies one input into its pinned buffer. @return bytes copied */
  private long fill(Io in, BackendTensor t) {
    long n = t.elementCount();
    ByteBuffer host = in.host.buffer.duplicate().order(in.host.buffer.order());
    host.clear();
    Buffer src = t.data().duplicate(); // the values start at the buffer's position (BackendTensor)
    switch (in.type) {
      case kFLOAT -> {
        requireType(t, ElementType.FLOAT32, in);
        host.asFloatBuffer().put((FloatBuffer) src.limit(src.position() + (int) n));
      }
      case kINT64 -> {
        LongBuffer dst = host.asLongBuffer();
        if (t.type() == ElementType.INT64) {
          dst.put((LongBuffer) src.limit(src.position() + (int) n));
        } else {
          requireType(t, ElementType.INT32, in);
          for (int i = 0; i < n; i++) {
            dst.put(i, ((IntBuffer) src).get(src.position() + i));
          }
        }
      }
      case kINT32 -> {
        IntBuffer dst = host.asIntBuffer();
        if (t.type() == ElementType.INT32) {
          dst.put((IntBuffer) src.limit(src.position() + (int) n));
        } else {
          requireType(t, ElementType.INT64, in);
          for (int i = 0; i < n; i++) {
            dst.put(i, Math.toIntExact(((LongBuffer) src).get(src.position() + i)));
          }
        }
      }
      default ->
          throw new EdgeVisionException(
              ErrorCode.MODEL_DESCRIPTOR_MISMATCH,
              "engine input '"
                  + t.name()
                  + "': expected float32, int32 or int64 to feed, got "
                  + in.type);
    }
    return n * in.elementBytes;
  }

  private static void requireType(BackendTensor t, ElementType expected, Io in) {
    if (t.type() != expected) {
      throw new EdgeVisionException(
          ErrorCode.MODEL_DESCRIPTOR_MISMATCH,
          "input '"
              + t.name()
              + "' of engine type "
              + in.type
              + ": expected "
              + expected
              + " data, got "
              + t.type());
    }
  }

  private static long count(long[] s) {
    long n = 1;
    for (long d : s) {
      n *= d;
    }
    return n;
  }

  /**
   * Frees in order: wait for the stream and destroy it, then the context, its memory, the engine,
   * the buffers. Captures the parts only (it may run from the Cleaner).
   */
  private static Runnable releaser(
      Stream stream,
      TrtObject<IExecutionContext> context,
      DeviceBuffer memory,
      TrtObject<ICudaEngine> engine,
      List<Io> tensors) {
    return () -> {
      stream.close();
      context.close();
      memory.close();
      engine.close();
      for (Io t : tensors) {
        t.device.close();
        t.host.close();
      }
    };
  }

  private final class CancelledRun implements Run {
    @Override
    public boolean cancelled() {
      return true;
    }

    @Override
    public Outputs outputs() {
      throw new IllegalStateException("the run was cancelled at its deadline: no outputs");
    }

    @Override
    public void close() {}
  }

  /** Outputs over the pinned host buffers; holds the engine's lock until closed. */
  private final class CompletedRun implements Run, Outputs {
    private final Map<String, long[]> shapes;
    private boolean open = true;

    CompletedRun(Map<String, long[]> shapes) {
      this.shapes = shapes;
    }

    @Override
    public boolean cancelled() {
      return false;
    }

    @Override
    public Outputs outputs() {
      check();
      return this;
    }

    @Override
    public void close() {
      if (open) {
        open = false;
        lock.unlock();
        release();
      }
    }

    private void check() {
      if (!open) {
        throw new IllegalStateException(
            "outputs of " + description + " are only valid until the run is closed");
      }
    }

    private Io out(String name) {
      check();
      Io o = io.get(name);
      if (o == null || o.input) {
        throw new IllegalArgumentException(
            "no output '" + name + "' in " + description + ", outputs are " + outputNames);
      }
      return o;
    }

    @Override
    public List<String> names() {
      check();
      return List.copyOf(outputNames);
    }

    @Override
    public long[] shape(String name) {
      out(name);
      return shapes.get(name).clone();
    }

    @Override
    public float[] floats(String name) {
      float[] v = new float[(int) count(shapes.get(out(name).name))];
      copyFloats(name, v);
      return v;
    }

    @Override
    public int copyFloats(String name, float[] dst) {
      Io o = out(name);
      int n = (int) count(shapes.get(name));
      if (dst.length < n) {
        throw new IllegalArgumentException(
            "destination for output '" + name + "' needs " + n + " floats, got " + dst.length);
      }
      ByteBuffer b = o.host.buffer.duplicate().order(o.host.buffer.order());
      switch (o.type) {
        case kFLOAT -> b.asFloatBuffer().get(dst, 0, n);
        case kHALF -> {
          for (int i = 0; i < n; i++) {
            dst[i] = Half.toFloat(b.getShort(2 * i));
          }
        }
        default ->
            throw new EdgeVisionException(
                ErrorCode.INVALID_OUTPUT,
                "output '"
                    + name
                    + "' of "
                    + description
                    + ": expected float32 or float16, got "
                    + o.type);
      }
      for (int i = 0; i < n; i++) {
        if (!Float.isFinite(dst[i])) {
          throw new EdgeVisionException(
              ErrorCode.INVALID_OUTPUT,
              "output '"
                  + name
                  + "' of "
                  + description
                  + " has a non-finite value ("
                  + dst[i]
                  + ") at flat index "
                  + i
                  + " of "
                  + n
                  + ": expected finite numbers");
        }
      }
      return n;
    }

    @Override
    public long[] longs(String name) {
      Io o = out(name);
      int n = (int) count(shapes.get(name));
      ByteBuffer b = o.host.buffer.duplicate().order(o.host.buffer.order());
      long[] v = new long[n];
      switch (o.type) {
        case kINT64 -> b.asLongBuffer().get(v, 0, n);
        case kINT32 -> {
          IntBuffer ib = b.asIntBuffer();
          for (int i = 0; i < n; i++) {
            v[i] = ib.get(i);
          }
        }
        default ->
            throw new EdgeVisionException(
                ErrorCode.INVALID_OUTPUT,
                "output '"
                    + name
                    + "' of "
                    + description
                    + ": expected an int64 or int32 tensor, got "
                    + o.type);
      }
      return v;
    }
  }
}
