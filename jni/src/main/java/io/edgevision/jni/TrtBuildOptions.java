package io.edgevision.jni;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * How a TensorRT engine is built: precision, workspace limit, builder optimisation level, DLA core,
 * batch and size ranges for dynamic inputs, timing cache, and where the engine cache lives.
 *
 * <h2>Example</h2>
 *
 * <pre>{@code
 * TrtBuildOptions o = TrtBuildOptions.builder()
 *     .precision(TrtPrecision.FP16)
 *     .workspaceBytes(512L << 20)
 *     .cacheDirectory(Path.of("/var/cache/myapp/trt"))
 *     .build();
 * }</pre>
 *
 * <h2>Defaults</h2>
 *
 * Precision {@link TrtPrecision#FP32}; workspace {@value #DEFAULT_WORKSPACE_BYTES} bytes; builder
 * optimisation level {@value #DEFAULT_OPTIMIZATION_LEVEL} (TensorRT's own default); no DLA; batch
 * range 1..1 for a dynamic batch; timing cache on; cache directory {@link
 * #defaultCacheDirectory()}.
 *
 * <p>Threading: immutable; the builder is not thread-safe.
 */
public final class TrtBuildOptions {
  /** Default builder workspace limit (TensorRT {@code MemoryPoolType.kWORKSPACE}), 1 GiB. */
  public static final long DEFAULT_WORKSPACE_BYTES = 1L << 30;

  /** Default builder optimisation level (0-5), TensorRT's default. */
  public static final int DEFAULT_OPTIMIZATION_LEVEL = 3;

  /** Interval of {@link BuildListener.Phase#BUILD_RUNNING} events. */
  public static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(5);

  /** System property overriding the default cache directory. */
  public static final String CACHE_PROPERTY = "edgevision.tensorrt.cache";

  private final TrtPrecision precision;
  private final long workspaceBytes;
  private final int optimizationLevel;
  private final int dlaCore;
  private final boolean gpuFallback;
  private final int optBatch;
  private final int maxBatch;
  private final int @Nullable [] dynamicSize; // minW, minH, optW, optH, maxW, maxH
  private final boolean timingCache;
  private final Path cacheDirectory;
  private final BuildListener listener;

  private TrtBuildOptions(Builder b) {
    this.precision = b.precision;
    this.workspaceBytes = b.workspaceBytes;
    this.optimizationLevel = b.optimizationLevel;
    this.dlaCore = b.dlaCore;
    this.gpuFallback = b.gpuFallback;
    this.optBatch = b.optBatch;
    this.maxBatch = b.maxBatch;
    this.dynamicSize = b.dynamicSize == null ? null : b.dynamicSize.clone();
    this.timingCache = b.timingCache;
    this.cacheDirectory = b.cacheDirectory == null ? defaultCacheDirectory() : b.cacheDirectory;
    this.listener = b.listener;
  }

  /**
   * @return a builder with the defaults
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * @return a builder initialised from these options
   */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.precision = precision;
    b.workspaceBytes = workspaceBytes;
    b.optimizationLevel = optimizationLevel;
    b.dlaCore = dlaCore;
    b.gpuFallback = gpuFallback;
    b.optBatch = optBatch;
    b.maxBatch = maxBatch;
    b.dynamicSize = dynamicSize == null ? null : dynamicSize.clone();
    b.timingCache = timingCache;
    b.cacheDirectory = cacheDirectory;
    b.listener = listener;
    return b;
  }

  /**
   * @return {@code -Dedgevision.tensorrt.cache}, else {@code $XDG_CACHE_HOME/edgevision/tensorrt},
   *     else {@code ~/.cache/edgevision/tensorrt}
   */
  public static Path defaultCacheDirectory() {
    String prop = System.getProperty(CACHE_PROPERTY);
    if (prop != null && !prop.isBlank()) {
      return Path.of(prop);
    }
    String xdg = System.getenv("XDG_CACHE_HOME");
    Path base =
        xdg != null && !xdg.isBlank()
            ? Path.of(xdg)
            : Path.of(System.getProperty("user.home"), ".cache");
    return base.resolve("edgevision").resolve("tensorrt");
  }

  /**
   * @return the precision
   */
  public TrtPrecision precision() {
    return precision;
  }

  /**
   * @return the builder workspace limit in bytes
   */
  public long workspaceBytes() {
    return workspaceBytes;
  }

  /**
   * @return the builder optimisation level, 0-5
   */
  public int optimizationLevel() {
    return optimizationLevel;
  }

  /**
   * @return the DLA core to build for, if any
   */
  public Optional<Integer> dlaCore() {
    return dlaCore < 0 ? Optional.empty() : Optional.of(dlaCore);
  }

  /**
   * @return whether layers the DLA cannot run fall back to the GPU (only with a DLA core)
   */
  public boolean gpuFallback() {
    return gpuFallback;
  }

  /**
   * @return the batch size TensorRT optimises for when the batch dimension is dynamic
   */
  public int optBatch() {
    return optBatch;
  }

  /**
   * @return the largest batch the engine accepts when the batch dimension is dynamic
   */
  public int maxBatch() {
    return maxBatch;
  }

  /**
   * @return {@code {minW, minH, optW, optH, maxW, maxH}} for an image input with dynamic height and
   *     width and no {@code edgevision.input_size}, if set
   */
  public Optional<int[]> dynamicSize() {
    return dynamicSize == null ? Optional.empty() : Optional.of(dynamicSize.clone());
  }

  /**
   * @return whether a timing cache is read from and written to the cache directory
   */
  public boolean timingCache() {
    return timingCache;
  }

  /**
   * @return where engines (and the timing cache) are stored
   */
  public Path cacheDirectory() {
    return cacheDirectory;
  }

  /**
   * @return the progress listener
   */
  public BuildListener listener() {
    return listener;
  }

  /**
   * Everything here that changes the engine TensorRT builds, as one canonical string for the cache
   * key (the listener, cache directory and timing-cache switch do not change the engine).
   *
   * @return e.g. {@code precision=FP16;tf32=0;opt=3;workspace=1073741824;dla=-1;gpuFallback=0}
   */
  public String builderFlags() {
    return String.format(
        Locale.ROOT,
        "precision=%s;tf32=%d;opt=%d;workspace=%d;dla=%d;gpuFallback=%d",
        precision,
        precision.tf32() ? 1 : 0,
        optimizationLevel,
        workspaceBytes,
        dlaCore,
        dlaCore >= 0 && gpuFallback ? 1 : 0);
  }

  @Override
  public String toString() {
    return "TrtBuildOptions{"
        + builderFlags()
        + ", batch="
        + optBatch
        + ".."
        + maxBatch
        + ", cache="
        + cacheDirectory
        + ", timingCache="
        + timingCache
        + "}";
  }

  /** Collects options; validates each value as it is set. Not thread-safe. */
  public static final class Builder {
    private TrtPrecision precision = TrtPrecision.FP32;
    private long workspaceBytes = DEFAULT_WORKSPACE_BYTES;
    private int optimizationLevel = DEFAULT_OPTIMIZATION_LEVEL;
    private int dlaCore = -1;
    private boolean gpuFallback = true;
    private int optBatch = 1;
    private int maxBatch = 1;
    private int @Nullable [] dynamicSize;
    private boolean timingCache = true;
    private @Nullable Path cacheDirectory;
    private BuildListener listener = BuildListener.NONE;

    private Builder() {}

    /**
     * @param p the precision @return this builder
     */
    public Builder precision(TrtPrecision p) {
      this.precision = Objects.requireNonNull(p, "precision");
      return this;
    }

    /**
     * @param bytes builder workspace limit, at least 1 MiB @return this builder
     */
    public Builder workspaceBytes(long bytes) {
      if (bytes < (1L << 20)) {
        throw new IllegalArgumentException(
            "workspaceBytes must be >= 1 MiB (1048576), got " + bytes);
      }
      this.workspaceBytes = bytes;
      return this;
    }

    /**
     * @param level builder optimisation level, 0 (fastest build) to 5 (most tactics) @return this
     *     builder
     */
    public Builder optimizationLevel(int level) {
      if (level < 0 || level > 5) {
        throw new IllegalArgumentException("optimizationLevel must be in [0, 5], got " + level);
      }
      this.optimizationLevel = level;
      return this;
    }

    /**
     * Builds for a Jetson deep-learning accelerator core instead of the GPU. DLA runs FP16 and INT8
     * only, so the precision must be one of those.
     *
     * @param core DLA core index (0 or 1 on Orin/Xavier), or -1 for the GPU
     * @param fallbackToGpu whether layers the DLA cannot run go to the GPU (else the build fails)
     * @return this builder
     */
    public Builder dlaCore(int core, boolean fallbackToGpu) {
      if (core < -1) {
        throw new IllegalArgumentException("dlaCore must be -1 (none) or >= 0, got " + core);
      }
      this.dlaCore = core;
      this.gpuFallback = fallbackToGpu;
      return this;
    }

    /**
     * @param opt batch TensorRT optimises for (dynamic batch only)
     * @param max largest batch accepted (dynamic batch only)
     * @return this builder
     */
    public Builder batch(int opt, int max) {
      if (opt < 1 || max < opt) {
        throw new IllegalArgumentException(
            "batch must satisfy 1 <= opt <= max, got opt=" + opt + ", max=" + max);
      }
      this.optBatch = opt;
      this.maxBatch = max;
      return this;
    }

    /**
     * Size range of an image input whose height and width are dynamic and not fixed by the
     * descriptor.
     *
     * @return this builder
     */
    public Builder dynamicSize(int minW, int minH, int optW, int optH, int maxW, int maxH) {
      if (minW < 1 || minH < 1 || optW < minW || optH < minH || maxW < optW || maxH < optH) {
        throw new IllegalArgumentException(
            "dynamicSize must satisfy 1 <= min <= opt <= max per axis, got "
                + minW
                + "x"
                + minH
                + " / "
                + optW
                + "x"
                + optH
                + " / "
                + maxW
                + "x"
                + maxH);
      }
      this.dynamicSize = new int[] {minW, minH, optW, optH, maxW, maxH};
      return this;
    }

    /**
     * @param on whether to read and write a timing cache in the cache directory @return this
     *     builder
     */
    public Builder timingCache(boolean on) {
      this.timingCache = on;
      return this;
    }

    /**
     * @param dir engine cache directory (created when missing) @return this builder
     */
    public Builder cacheDirectory(Path dir) {
      this.cacheDirectory = Objects.requireNonNull(dir, "dir");
      return this;
    }

    /**
     * @param l progress callbacks @return this builder
     */
    public Builder listener(BuildListener l) {
      this.listener = Objects.requireNonNull(l, "listener");
      return this;
    }

    /**
     * @return the options
     * @throws IllegalArgumentException for a DLA core with a precision the DLA cannot run
     */
    public TrtBuildOptions build() {
      if (dlaCore >= 0 && (precision == TrtPrecision.FP32 || precision == TrtPrecision.TF32)) {
        throw new IllegalArgumentException(
            "a DLA core runs FP16 or INT8 only: expected precision FP16 or INT8"
                + " with dlaCore "
                + dlaCore
                + ", got "
                + precision);
      }
      return new TrtBuildOptions(this);
    }
  }
}
