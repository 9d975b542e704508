package io.edgevision.android.pipeline;

import java.util.Objects;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Runs frames on one worker thread, latest frame wins: while a frame is being processed, a newer
 * frame replaces the one waiting (the replaced one is reported as skipped), so a slow model drops
 * frames instead of queueing them and the result on screen is never more than one frame behind the
 * camera.
 *
 * <h2>Example</h2>
 *
 * <pre>{@code
 * LatestFrameWins<CameraFrame, TrafficLightResult> runner = new LatestFrameWins<>("detect",
 *     f -> pipeline.detect(f.frame(), budget), listener);
 * runner.offer(frame);       // from the camera thread; never blocks on the model
 * runner.close();            // onPause: waits for the frame in flight, then the sessions may be closed
 * }</pre>
 *
 * <h2>Lifecycle</h2>
 *
 * Starts its thread in the constructor; {@link #close()} stops it after the frame in flight
 * (idempotent), and reports the waiting frame as skipped. {@link #offer} after close reports the
 * frame as skipped at once.
 *
 * <h2>Threading</h2>
 *
 * {@link #offer} is thread-safe. The listener is called on the worker thread ({@code done}, {@code
 * failed}) or on the offering/closing thread ({@code skipped}); each frame gets exactly one
 * callback.
 *
 * @param <F> the frame type
 * @param <R> the result type
 */
public final class LatestFrameWins<F, R> implements AutoCloseable {
  /** What happened to each frame. Implementations must be fast and must not throw. */
  public interface Listener<F, R> {
    /** The frame was processed. */
    void done(F frame, R result);

    /** Processing threw; the runner carries on with the next frame. */
    void failed(F frame, RuntimeException error);

    /** The frame was replaced by a newer one, or offered after close, and never processed. */
    void skipped(F frame);
  }

  private final Function<F, R> work;
  private final Listener<F, R> listener;
  private final Thread worker;
  private final Object lock = new Object();
  private @Nullable F pending;
  private boolean closed;
  private long processed;
  private long skipped;

  /**
   * @param name the worker thread's name
   * @param work what to run per frame
   * @param listener where outcomes go
   */
  public LatestFrameWins(String name, Function<F, R> work, Listener<F, R> listener) {
    this.work = Objects.requireNonNull(work, "work");
    this.listener = Objects.requireNonNull(listener, "listener");
    worker = new Thread(this::loop, Objects.requireNonNull(name, "name"));
    worker.setDaemon(true);
    worker.start();
  }

  /**
   * Hands a frame to the worker; replaces (and reports as skipped) a frame still waiting. Never
   * blocks on the work.
   *
   * @param frame the newest frame
   */
  public void offer(F frame) {
    Objects.requireNonNull(frame, "frame");
    F replaced;
    synchronized (lock) {
      if (closed) {
        skipped++;
        replaced = frame;
      } else {
        replaced = pending;
        if (replaced != null) {
          skipped++;
        }
        pending = frame;
        lock.notifyAll();
      }
    }
    if (replaced != null) {
      listener.skipped(replaced);
    }
  }

  /**
   * @return frames processed so far (done or failed)
   */
  public long processed() {
    synchronized (lock) {
      return processed;
    }
  }

  /**
   * @return frames skipped so far
   */
  public long skipped() {
    synchronized (lock) {
      return skipped;
    }
  }

  private void loop() {
    while (true) {
      F frame;
      synchronized (lock) {
        while (pending == null && !closed) {
          try {
            lock.wait();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          }
        }
        if (closed) {
          return;
        }
        frame = pending;
        pending = null;
      }
      try {
        R result = work.apply(frame);
        count();
        listener.done(frame, result);
      } catch (RuntimeException e) {
        count();
        listener.failed(frame, e);
      }
    }
  }

  private void count() {
    synchronized (lock) {
      processed++;
    }
  }

  /**
   * Stops the worker after the frame in flight, reporting the waiting frame as skipped; idempotent.
   * Waits for the frame in flight to finish, so that what the work uses can be closed afterwards.
   */
  @Override
  public void close() {
    F dropped;
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      dropped = pending;
      pending = null;
      if (dropped != null) {
        skipped++;
      }
      lock.notifyAll();
    }
    if (dropped != null) {
      listener.skipped(dropped);
    }
    if (Thread.currentThread() != worker) {
      try {
        worker.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
