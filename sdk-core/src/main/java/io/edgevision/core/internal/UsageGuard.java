package io.edgevision.core.internal;

/**
 * Counts calls in flight so that {@code close()} never frees native memory under a running call
 * (ONNX Runtime's {@code NativeUsage} idea): close marks the owner closed at once (new calls fail
 * with {@link IllegalStateException}) and the release action runs when the last call in flight
 * leaves. Thread-safe. Internal.
 */
public final class UsageGuard {
  private final String ownerName;
  private final Runnable releaseAction;
  private int active;
  private boolean closed;
  private boolean released;

  /**
   * @param ownerName used in the use-after-close message
   * @param releaseAction frees the native resources; runs exactly once
   */
  public UsageGuard(String ownerName, Runnable releaseAction) {
    this.ownerName = ownerName;
    this.releaseAction = releaseAction;
  }

  /** Enters a call. @throws IllegalStateException when closed */
  public void acquire() {
    synchronized (this) {
      if (closed) {
        throw new IllegalStateException(ownerName + " is closed");
      }
      active++;
    }
  }

  /** Leaves a call; frees the resources when closed and this was the last call. */
  public void release() {
    boolean free;
    synchronized (this) {
      active--;
      free = closed && active == 0 && !released;
      released |= free;
    }
    if (free) {
      releaseAction.run();
    }
  }

  /** Marks closed (idempotent); frees now when nothing is in flight. */
  public void close() {
    boolean free;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      free = active == 0 && !released;
      released |= free;
    }
    if (free) {
      releaseAction.run();
    }
  }

  /**
   * @return true once {@link #close()} was called
   */
  public synchronized boolean isClosed() {
    return closed;
  }

  /**
   * @return true once the resources have been freed
   */
  public synchronized boolean isReleased() {
    return released;
  }

  /**
   * @return calls in flight
   */
  public synchronized int active() {
    return active;
  }
}
