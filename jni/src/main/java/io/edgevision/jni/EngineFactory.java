package io.edgevision.jni;

import io.edgevision.core.EdgeVisionException;
import io.edgevision.core.ErrorCode;
import io.edgevision.core.spi.BackendModel;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cache lookup, build and load of one engine. Names TensorRT types (through {@link EngineBuilder}
 * and {@link TrtEngine}): load only after {@link TensorRtProbe} succeeded.
 */
final class EngineFactory {
  private static final Logger LOG = LoggerFactory.getLogger(EngineFactory.class);

  private EngineFactory() {}

  /** A prepared plan and where it came from. */
  record Prepared(
      byte[] plan,
      EngineCacheKey key,
      java.nio.file.Path file,
      boolean built,
      DeviceInfo device,
      Duration elapsed) {}

  static Prepared prepare(BackendModel model, TrtBuildOptions options, boolean forceRebuild) {
    BuildListener listener = options.listener();
    EngineBuilder.Progress progress = new EngineBuilder.Progress(listener, System.nanoTime());
    DeviceInfo device = Cuda.device(model.deviceId());
    ProfileShapes profile = ProfileShapes.derive(model.info(), options);
    EngineCacheKey key = EngineCacheKey.of(model.info().sha256(), device, options, profile);
    EngineCache cache = new EngineCache(options.cacheDirectory());
    if (!forceRebuild) {
      EngineCache.Lookup hit = cache.lookup(key);
      if (hit.hit()) {
        progress.emit(BuildListener.Phase.CACHE_HIT, hit.file().toString());
        return new Prepared(
            hit.payload().orElseThrow(), key, hit.file(), false, device, elapsed(progress));
      }
      progress.emit(BuildListener.Phase.CACHE_MISS, hit.file() + ": " + hit.reason());
      if (!hit.reason().equals("no cache entry")) {
        LOG.warn(
            "TensorRT engine cache entry {} not used ({}); rebuilding", hit.file(), hit.reason());
      }
    } else {
      progress.emit(BuildListener.Phase.CACHE_MISS, "rebuild requested");
    }
    byte[] plan =
        EngineBuilder.build(
            model.bytes(), model.info().name(), profile, options, device, cache, progress);
    java.nio.file.Path file = cache.store(key, plan);
    progress.emit(BuildListener.Phase.CACHE_WRITTEN, file.toString());
    return new Prepared(plan, key, file, true, device, elapsed(progress));
  }

  static TrtEngine open(BackendModel model, TrtBuildOptions options) {
    Prepared p = prepare(model, options, false);
    String description =
        "TensorRT "
            + p.device().tensorRtVersion()
            + " engine "
            + p.key().digest().substring(0, 16)
            + " ("
            + options.precision()
            + ", "
            + p.device().name()
            + " sm"
            + p.device().computeCapability()
            + ")";
    TrtEngine engine;
    try {
      engine = TrtEngine.load(p.plan(), description, p.device(), options);
    } catch (EdgeVisionException e) {
      if (p.built() || e.code() != ErrorCode.NATIVE_FAILURE) {
        throw e;
      }
      LOG.warn(
          "cached TensorRT engine {} could not be loaded ({}); rebuilding",
          p.file(),
          e.getMessage());
      Prepared again = prepare(model, options, true);
      engine = TrtEngine.load(again.plan(), description, again.device(), options);
    }
    new EngineBuilder.Progress(options.listener(), System.nanoTime())
        .emit(BuildListener.Phase.READY, description);
    return engine;
  }

  private static Duration elapsed(EngineBuilder.Progress p) {
    return Duration.ofNanos(System.nanoTime() - p.start());
  }
}
