package io.edgevision.jni;

import io.edgevision.core.EdgeVisionException;
import io.edgevision.core.ExecutionProvider;
import io.edgevision.core.spi.BackendModel;
import io.edgevision.core.spi.BackendSession;
import io.edgevision.core.spi.ExecutionBackend;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * TensorRT as an execution backend of {@code InferenceSession}: {@link
 * ExecutionProvider#TENSORRT_NATIVE}. Opening a model looks up its engine in the {@link
 * EngineCache} (keyed by model SHA-256, TensorRT version, GPU and compute capability, builder flags
 * and profile shapes), builds and stores it when missing or invalid, then runs it with {@code
 * enqueueV3} on a CUDA stream.
 *
 * <h2>Example</h2>
 *
 * <pre>{@code
 * TensorRtBackend trt = TensorRtBackend.create(TrtBuildOptions.builder()
 *     .precision(TrtPrecision.FP16).listener(e -> System.err.println(e)).build());
 * try (InferenceSession s = InferenceSession.builder(ModelSource.of(path))
 *     .backend(trt)
 *     .providers(ExecutionProvider.TENSORRT_NATIVE, ExecutionProvider.CUDA, ExecutionProvider.CPU)
 *     .build()) {
 *   s.providerDecisions(); // TENSORRT_NATIVE SELECTED, or FAILED_TO_INITIALISE with the native reason
 * }
 * // ahead of time (what `edgevision trt build` does):
 * TensorRtBackend.BuildReport r = trt.build(new BackendModel(bytes, session.model(), 0), false);
 * }</pre>
 *
 * <h2>Lifecycle</h2>
 *
 * The backend holds no native resources; each opened {@link BackendSession} owns its engine,
 * context, stream and buffers and is closed by its {@code InferenceSession}. Without TensorRT or
 * CUDA, {@link #unavailableReason()} says why and nothing native stays loaded half-way.
 *
 * <h2>Threading</h2>
 *
 * Thread-safe and immutable; one instance may serve many sessions. The no-argument constructor
 * (used by {@link java.util.ServiceLoader}) takes {@link TrtBuildOptions} defaults.
 *
 * <h2>Defaults</h2>
 *
 * See {@link TrtBuildOptions}: FP32, 1 GiB workspace, optimisation level 3, cache in {@link
 * TrtBuildOptions#defaultCacheDirectory()}.
 */
public final class TensorRtBackend implements ExecutionBackend {
  private final TrtBuildOptions options;

  /** A backend with default options (the {@link java.util.ServiceLoader} entry point). */
  public TensorRtBackend() {
    this(TrtBuildOptions.builder().build());
  }

  private TensorRtBackend(TrtBuildOptions options) {
    this.options = Objects.requireNonNull(options, "options");
  }

  /**
   * @param options build options @return a backend using them
   */
  public static TensorRtBackend create(TrtBuildOptions options) {
    return new TensorRtBackend(options);
  }

  /**
   * @return the options
   */
  public TrtBuildOptions options() {
    return options;
  }

  @Override
  public ExecutionProvider provider() {
    return ExecutionProvider.TENSORRT_NATIVE;
  }

  @Override
  public Optional<EdgeVisionException> unavailableReason() {
    TensorRtProbe.Availability a = TensorRtProbe.probe();
    return a.available() ? Optional.empty() : Optional.of(a.toException());
  }

  @Override
  public BackendSession open(BackendModel model) {
    requireAvailable();
    return EngineFactory.open(model, options);
  }

  /**
   * What {@link #build} did.
   *
   * @param file the cache file
   * @param key what the engine is valid for
   * @param built true when built now, false when a valid cache entry existed
   * @param engineBytes size of the serialized engine
   * @param elapsed time taken
   * @param device the GPU
   */
  public record BuildReport(
      Path file,
      EngineCacheKey key,
      boolean built,
      long engineBytes,
      Duration elapsed,
      DeviceInfo device) {}

  /**
   * Builds (or finds) the engine ahead of time, so that the first session does not pay for the
   * build.
   *
   * @param model the model bytes and the signature the session read
   * @param force rebuild even when a valid entry exists
   * @return where the engine is and whether it was built
   * @throws EdgeVisionException {@link io.edgevision.core.ErrorCode#PROVIDER_UNAVAILABLE} without
   *     TensorRT or CUDA; {@code MODEL_INVALID} when TensorRT cannot parse the model or it does not
   *     fit the precision
   */
  public BuildReport build(BackendModel model, boolean force) {
    requireAvailable();
    EngineFactory.Prepared p = EngineFactory.prepare(model, options, force);
    return new BuildReport(p.file(), p.key(), p.built(), p.plan().length, p.elapsed(), p.device());
  }

  private static void requireAvailable() {
    TensorRtProbe.Availability a = TensorRtProbe.probe();
    if (!a.available()) {
      throw a.toException();
    }
  }

  @Override
  public String toString() {
    return "TensorRtBackend{" + options + "}";
  }
}
