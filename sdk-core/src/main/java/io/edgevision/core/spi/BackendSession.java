package io.edgevision.core.spi;

import io.edgevision.core.Outputs;
import java.util.List;

/**
 * One model prepared by an {@link ExecutionBackend}: turns input tensors into outputs.
 *
 * <h2>Lifecycle</h2>
 *
 * Owned by exactly one {@code InferenceSession}, which closes it after the last call in flight has
 * returned. {@link #close()} is idempotent; {@link #run} after close throws {@link
 * IllegalStateException}.
 *
 * <h2>Threading</h2>
 *
 * Implementations must be safe for concurrent {@link #run} calls (they may serialise them
 * internally, e.g. one CUDA stream and one set of buffers per session).
 */
public interface BackendSession extends AutoCloseable {
  /**
   * @return what ran, for the result's fingerprint, e.g. {@code TensorRT 11.2.0 engine
   *     3fa2b1c0d4e5f607}
   */
  String describe();

  /**
   * Runs one call.
   *
   * @param inputs every model input, with this call's shapes
   * @param timeoutNanos how long the caller may wait ({@link Long#MAX_VALUE}: no deadline); past it
   *     the backend returns a run with {@link Run#cancelled()} set instead of outputs
   * @return the run; close it when the outputs have been read
   * @throws io.edgevision.core.EdgeVisionException for native failures or inputs the backend cannot
   *     take
   */
  Run run(List<BackendTensor> inputs, long timeoutNanos);

  /** Frees everything the backend holds for this model (idempotent). */
  @Override
  void close();

  /** The outcome of one {@link #run}: outputs valid until {@link #close()}, or cancelled. */
  interface Run extends AutoCloseable {
    /**
     * @return true when the timeout passed before the outputs were ready
     */
    boolean cancelled();

    /**
     * @return the outputs (only when not {@link #cancelled()})
     * @throws IllegalStateException when cancelled or closed
     */
    Outputs outputs();

    /** Releases the outputs (idempotent). */
    @Override
    void close();
  }
}
