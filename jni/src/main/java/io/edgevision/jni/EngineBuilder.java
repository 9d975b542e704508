package io.edgevision.jni;

import static org.bytedeco.tensorrt.global.nvinfer.createInferBuilder;
import static org.bytedeco.tensorrt.global.nvonnxparser.createParser;

import io.edgevision.core.EdgeVisionException;
import io.edgevision.core.ErrorCode;
import io.edgevision.jni.CudaHandles.TrtObject;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.tensorrt.global.nvinfer.BuilderFlag;
import org.bytedeco.tensorrt.global.nvinfer.DeviceType;
import org.bytedeco.tensorrt.global.nvinfer.MemoryPoolType;
import org.bytedeco.tensorrt.global.nvinfer.OptProfileSelector;
import org.bytedeco.tensorrt.nvinfer.Dims64;
import org.bytedeco.tensorrt.nvinfer.IBuilder;
import org.bytedeco.tensorrt.nvinfer.IBuilderConfig;
import org.bytedeco.tensorrt.nvinfer.IHostMemory;
import org.bytedeco.tensorrt.nvinfer.ILayer;
import org.bytedeco.tensorrt.nvinfer.INetworkDefinition;
import org.bytedeco.tensorrt.nvinfer.IOptimizationProfile;
import org.bytedeco.tensorrt.nvinfer.ITensor;
import org.bytedeco.tensorrt.nvinfer.ITimingCache;
import org.bytedeco.tensorrt.nvonnxparser.IParser;

/**
 * Builds a serialized TensorRT engine from ONNX bytes: nvonnxparser, precision check, builder
 * config (workspace, TF32, optimisation level, DLA), one optimisation profile, timing cache. Names
 * TensorRT types: load only after {@link TensorRtProbe} succeeded. Every TensorRT object created
 * here is deleted before {@link #build} returns.
 */
final class EngineBuilder {
  private EngineBuilder() {}

  /** Progress reporting with elapsed time since {@code start}; a throwing listener is ignored. */
  record Progress(BuildListener listener, long start) {
    void emit(BuildListener.Phase phase, String detail) {
      try {
        listener.onProgress(
            new BuildListener.Event(phase, detail, Duration.ofNanos(System.nanoTime() - start)));
      } catch (RuntimeException e) {
        org.slf4j.LoggerFactory.getLogger(EngineBuilder.class)
            .warn("BuildListener threw (ignored): {}", e.toString());
      }
    }
  }

  static byte[] build(
      byte[] onnx,
      String modelName,
      ProfileShapes profile,
      TrtBuildOptions options,
      DeviceInfo device,
      EngineCache cache,
      Progress progress) {
    options
        .precision()
        .checkSupported(
            Integer.parseInt(device.tensorRtVersion().split("\\.")[0]),
            Integer.parseInt(device.tensorRtVersion().split("\\.")[1]));
    if (options.dlaCore().isPresent() && options.dlaCore().get() >= device.dlaCores()) {
      throw new EdgeVisionException(
          ErrorCode.PROVIDER_UNAVAILABLE,
          "DLA core "
              + options.dlaCore().get()
              + " requested: expected a core index below "
              + device.dlaCores()
              + " on "
              + device.name());
    }
    IBuilder b = createInferBuilder(Trt.LOGGER);
    if (b == null || b.isNull()) {
      throw new EdgeVisionException(
          ErrorCode.NATIVE_FAILURE, "createInferBuilder failed: " + Trt.LOGGER.lastErrors());
    }
    try (TrtObject<IBuilder> builder = new TrtObject<>(b, TrtNative.BUILDER, "builder");
        TrtObject<INetworkDefinition> network =
            new TrtObject<>(b.createNetworkV2(0), TrtNative.NETWORK, "network");
        TrtObject<IParser> parser =
            new TrtObject<>(
                createParser(network.get(), Trt.LOGGER), TrtNative.PARSER, "ONNX parser");
        TrtObject<IBuilderConfig> config =
            new TrtObject<>(b.createBuilderConfig(), TrtNative.CONFIG, "builder config")) {
      progress.emit(BuildListener.Phase.PARSE, modelName + " (" + onnx.length + " bytes)");
      try (BytePointer bytes = new BytePointer(onnx)) {
        if (!parser.get().parse(bytes, onnx.length)) {
          StringBuilder sb = new StringBuilder();
          for (int i = 0; i < parser.get().getNbErrors(); i++) {
            sb.append(i == 0 ? "" : "; ")
                .append("node ")
                .append(parser.get().getError(i).node())
                .append(": ")
                .append(parser.get().getError(i).desc());
          }
          throw new EdgeVisionException(
              ErrorCode.MODEL_INVALID, "TensorRT's ONNX parser rejected " + modelName + ": " + sb);
        }
      }
      options.precision().checkNetwork(tensorTypes(network.get()), modelName);
      configure(config.get(), b, profile, options);
      ITimingCache timing = null;
      if (options.timingCache()) {
        EngineCache.Lookup t = cache.lookupTimingCache(device);
        byte[] blob = t.payload().orElse(new byte[0]);
        try (BytePointer p = new BytePointer(blob)) {
          timing = config.get().createTimingCache(p, blob.length);
        }
        if (timing != null && !timing.isNull()) {
          config.get().setTimingCache(timing, false);
        }
      }
      try (TrtObject<ITimingCache> timingOwner =
          timing == null ? null : new TrtObject<>(timing, TrtNative.TIMING_CACHE, "timing cache")) {
        progress.emit(
            BuildListener.Phase.BUILD_STARTED, options.builderFlags() + "; profile " + profile);
        ScheduledExecutorService beat =
            Executors.newSingleThreadScheduledExecutor(
                r -> {
                  Thread t = new Thread(r, "edgevision-trt-build-heartbeat");
                  t.setDaemon(true);
                  return t;
                });
        long period = TrtBuildOptions.DEFAULT_HEARTBEAT.toMillis();
        beat.scheduleAtFixedRate(
            () ->
                progress.emit(
                    BuildListener.Phase.BUILD_RUNNING, "TensorRT is choosing" + " tactics"),
            period,
            period,
            TimeUnit.MILLISECONDS);
        IHostMemory plan;
        try {
          plan = b.buildSerializedNetwork(network.get(), config.get());
        } finally {
          beat.shutdownNow();
        }
        if (plan == null || plan.isNull()) {
          throw new EdgeVisionException(
              ErrorCode.NATIVE_FAILURE,
              "TensorRT could not build "
                  + modelName
                  + " ("
                  + options.builderFlags()
                  + "): "
                  + Trt.LOGGER.lastErrors());
        }
        byte[] out;
        try (TrtObject<IHostMemory> p =
            new TrtObject<>(plan, TrtNative.HOST_MEMORY, "serialized engine")) {
          out = copy(p.get());
        }
        progress.emit(BuildListener.Phase.BUILD_FINISHED, out.length + " bytes");
        if (timingOwner != null) {
          try (TrtObject<IHostMemory> t =
              new TrtObject<>(
                  timingOwner.get().serialize(),
                  TrtNative.HOST_MEMORY,
                  "serialized timing cache")) {
            cache.storeTimingCache(device, copy(t.get()));
          } catch (RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(EngineBuilder.class)
                .warn("timing cache not saved: {}", e.toString());
          }
        }
        return out;
      }
    }
  }

  private static void configure(
      IBuilderConfig c, IBuilder b, ProfileShapes profile, TrtBuildOptions o) {
    c.setMemoryPoolLimit(MemoryPoolType.kWORKSPACE, o.workspaceBytes());
    if (o.precision().tf32()) {
      c.setFlag(BuilderFlag.kTF32);
    } else {
      c.clearFlag(BuilderFlag.kTF32);
    }
    c.setBuilderOptimizationLevel(o.optimizationLevel());
    if (o.dlaCore().isPresent()) {
      c.setDefaultDeviceType(DeviceType.kDLA);
      c.setDLACore(o.dlaCore().get());
      if (o.gpuFallback()) {
        c.setFlag(BuilderFlag.kGPU_FALLBACK);
      }
    }
    IOptimizationProfile p = b.createOptimizationProfile(); // owned by the builder
    for (ProfileShapes.Input in : profile.inputs()) {
      try (Dims64 min = dims(in.min());
          Dims64 opt = dims(in.opt());
          Dims64 max = dims(in.max())) {
        if (!p.setDimensions(in.name(), OptProfileSelector.kMIN, min)
            || !p.setDimensions(in.name(), OptProfileSelector.kOPT, opt)
            || !p.setDimensions(in.name(), OptProfileSelector.kMAX, max)) {
          throw new EdgeVisionException(
              ErrorCode.MODEL_DESCRIPTOR_MISMATCH,
              "TensorRT rejected the profile " + in + ": " + Trt.LOGGER.lastErrors());
        }
      }
    }
    if (c.addOptimizationProfile(p) < 0) {
      throw new EdgeVisionException(
          ErrorCode.MODEL_DESCRIPTOR_MISMATCH,
          "TensorRT rejected the profile " + profile + ": " + Trt.LOGGER.lastErrors());
    }
  }

  static Dims64 dims(long[] d) {
    Dims64 out = new Dims64();
    out.nbDims(d.length);
    for (int i = 0; i < d.length; i++) {
      out.d(i, d[i]);
    }
    return out;
  }

  private static Set<String> tensorTypes(INetworkDefinition n) {
    Set<String> types = new HashSet<>();
    for (int i = 0; i < n.getNbInputs(); i++) {
      types.add(n.getInput(i).getType().name());
    }
    for (int i = 0; i < n.getNbLayers(); i++) {
      ILayer l = n.getLayer(i);
      for (int j = 0; j < l.getNbOutputs(); j++) {
        ITensor t = l.getOutput(j);
        if (t != null && !t.isNull()) {
          types.add(t.getType().name());
        }
      }
    }
    return types;
  }

  static byte[] copy(IHostMemory m) {
    long n = m.size();
    if (n > Integer.MAX_VALUE - 64) {
      throw new EdgeVisionException(
          ErrorCode.NATIVE_FAILURE,
          "serialized TensorRT data of " + n + " bytes does not fit a Java array");
    }
    byte[] out = new byte[(int) n];
    new BytePointer(m.data()).capacity(n).get(out);
    return out;
  }
}
