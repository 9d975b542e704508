package io.edgevision.core;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Latest-frame-wins execution for video: at most one frame runs at a time and at most one waits.
 * When a frame arrives while another is waiting, the waiting one's future completes at once with
 * {@link Outcome#SKIPPED}, so a slow model never builds a backlog of stale frames.
 *
 * <pre>{@code
 * LatestFrameRunner<Detections> runner = session.latestFrameRunner(decoder);
 * camera.onFrame(f -> runner.submit(f, Budget.ofMillis(33)).thenAccept(this::show));
 * }</pre>
 *
 * <p>Lifecycle: bound to its session; submitting after the session is closed completes the future
 * exceptionally with {@link IllegalStateException}.
 *
 * <p>Threading: thread-safe; {@link #submit} may be called from any thread.
 *
 * @param <T> decoded type
 */
public final class LatestFrameRunner<T> {
  private final InferenceSession session;
  private final OutputDecoder<T> decoder;
  private final Executor executor;
  private final AtomicReference<Pending<T>> slot = new AtomicReference<>();
  private final AtomicBoolean draining = new AtomicBoolean();

  LatestFrameRunner(InferenceSession session, OutputDecoder<T> decoder, Executor executor) {
    this.session = session;
    this.decoder = decoder;
    this.executor = executor;
  }

  /**
   * @param frame the newest frame (must stay unchanged until its future completes)
   * @param budget counted from this call
   * @return completes with the result, or with {@link Outcome#SKIPPED} if a newer frame replaces
   *     this one
   */
  public CompletableFuture<InferenceResult<T>> submit(ImageFrame frame, Budget budget) {
    Objects.requireNonNull(frame, "frame");
    Objects.requireNonNull(budget, "budget");
    long now = session.ticker().read();
    Pending<T> p = new Pending<>(frame, budget.deadlineFrom(now), now);
    Pending<T> old = slot.getAndSet(p);
    if (old != null) {
      old.future.complete(session.skipped(session.ticker().read() - old.submitted));
    }
    scheduleDrain();
    return p.future;
  }

  private void scheduleDrain() {
    if (draining.compareAndSet(false, true)) {
      try {
        executor.execute(this::drain);
      } catch (RejectedExecutionException e) {
        draining.set(false);
        Pending<T> p = slot.getAndSet(null);
        if (p != null) {
          p.future.completeExceptionally(
              new IllegalStateException("session executor rejected the frame", e));
        }
      }
    }
  }

  private void drain() {
    try {
      Pending<T> p;
      while ((p = slot.getAndSet(null)) != null) {
        try {
          long waited = session.ticker().read() - p.submitted;
          p.future.complete(
              session.execute(java.util.List.of(p.frame), p.deadline, waited, decoder));
        } catch (Throwable t) {
          p.future.completeExceptionally(t);
        }
      }
    } finally {
      draining.set(false);
      if (slot.get() != null) {
        scheduleDrain();
      }
    }
  }

  private record Pending<T>(
      ImageFrame frame,
      long deadline,
      long submitted,
      CompletableFuture<InferenceResult<T>> future) {
    Pending(ImageFrame frame, long deadline, long submitted) {
      this(frame, deadline, submitted, new CompletableFuture<>());
    }
  }
}
