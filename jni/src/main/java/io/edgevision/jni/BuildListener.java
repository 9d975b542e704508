package io.edgevision.jni;

import java.time.Duration;
import java.util.Objects;

/**
 * Progress of preparing a TensorRT engine. Building is slow (seconds on a desktop GPU, minutes on
 * Jetson), so the engine reports each phase and, while TensorRT's builder runs, a heartbeat every
 * {@link TrtBuildOptions#DEFAULT_HEARTBEAT}.
 *
 * <p>Callbacks come from the building thread or from the heartbeat thread; they must be fast and
 * must not throw (a throwing listener is logged once and then ignored).
 *
 * <p>Why phases and a heartbeat rather than TensorRT's per-step {@code IProgressMonitor}: the
 * JavaCPP presets 1.5.14 do not map {@code IProgressMonitor} as a virtual (Java-overridable) class,
 * so receiving its callbacks would need C++ of our own; see docs/TENSORRT.md.
 */
@FunctionalInterface
public interface BuildListener {
  /** Ignores everything. */
  BuildListener NONE = e -> {};

  /**
   * @param event what happened
   */
  void onProgress(Event event);

  /** One progress event. */
  enum Phase {
    /** A cache entry was found and will be used. */
    CACHE_HIT,
    /**
     * No usable cache entry: none, corrupt, or built for something else (the detail says which).
     */
    CACHE_MISS,
    /** Parsing the ONNX model into a TensorRT network. */
    PARSE,
    /** TensorRT's builder started. */
    BUILD_STARTED,
    /** TensorRT's builder is still running (periodic). */
    BUILD_RUNNING,
    /** The engine was built. */
    BUILD_FINISHED,
    /** The engine was written to the cache. */
    CACHE_WRITTEN,
    /** The engine was deserialized and is ready to run. */
    READY
  }

  /**
   * @param phase the phase
   * @param detail human-readable detail (cache file, reason, network size)
   * @param elapsed time since preparation started
   */
  record Event(Phase phase, String detail, Duration elapsed) {
    public Event {
      Objects.requireNonNull(phase, "phase");
      Objects.requireNonNull(detail, "detail");
      Objects.requireNonNull(elapsed, "elapsed");
    }

    @Override
    public String toString() {
      return String.format(
          java.util.Locale.ROOT,
          "[%6.1f s] %s%s",
          elapsed.toMillis() / 1000.0,
          phase,
          detail.isEmpty() ? "" : " " + detail);
    }
  }
}
