package io.edgevision.core;

/**
 * Telemetry callbacks for every call of a session (OkHttp's {@code EventListener} contract): all
 * methods have no-op defaults, run on the calling thread, must be fast, must not block or take
 * locks, and must not throw — anything thrown is caught, logged once and otherwise ignored.
 *
 * <p>Implementations must be thread-safe: a session runs calls from many threads.
 */
public interface InferenceListener {
  /** A listener that does nothing. */
  InferenceListener NONE = new InferenceListener() {};

  /**
   * A stage has finished.
   *
   * @param variant the variant running
   * @param stage which stage
   * @param nanos its duration on the session ticker
   */
  default void stageCompleted(String variant, Stage stage, long nanos) {}

  /**
   * A call has finished with any outcome.
   *
   * @param result the result (its value, if any, included)
   */
  default void callCompleted(InferenceResult<?> result) {}
}
