package io.edgevision.jni;

import java.lang.ref.Cleaner;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owner of one native TensorRT or CUDA object (STYLE section 3): a single {@link #checkOpen()}, an
 * idempotent {@link #close()}, use counting so that close never frees an object a call is using,
 * and a {@link Cleaner} that frees a forgotten handle with a leak warning ({@code
 * -Dedgevision.trackResources=true} records where it was created).
 *
 * <p>The release action must not reference the handle itself (it runs from the Cleaner).
 *
 * <p>Threading: thread-safe.
 */
abstract class NativeHandle implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(NativeHandle.class);
  private static final Cleaner CLEANER = Cleaner.create();
  private static final AtomicInteger LIVE = new AtomicInteger();

  private final String name;
  private final State state;
  private final Cleaner.Cleanable cleanable;

  NativeHandle(String name, Runnable release) {
    this.name = name;
    this.state =
        new State(
            name,
            release,
            Boolean.getBoolean("edgevision.trackResources")
                ? new Throwable(name + " created here")
                : null);
    LIVE.incrementAndGet();
    this.cleanable = CLEANER.register(this, state);
  }

  /**
   * @return handles created and not yet released, in this JVM (for leak tests)
   */
  static int live() {
    return LIVE.get();
  }

  /**
   * @throws IllegalStateException when closed
   */
  final void checkOpen() {
    synchronized (state) {
      if (state.closed) {
        throw new IllegalStateException(name + " is closed");
      }
    }
  }

  /** Enters a use; pair with {@link #release()}. @throws IllegalStateException when closed */
  final void acquire() {
    synchronized (state) {
      if (state.closed) {
        throw new IllegalStateException(name + " is closed");
      }
      state.uses++;
    }
  }

  /** Leaves a use; frees the object when closed and this was the last use. */
  final void release() {
    boolean free;
    synchronized (state) {
      state.uses--;
      free = state.closed && state.uses == 0 && !state.released;
      state.released |= free;
    }
    if (free) {
      state.free();
    }
  }

  /**
   * @return true once {@link #close()} was called
   */
  final boolean isClosed() {
    synchronized (state) {
      return state.closed;
    }
  }

  /** Closes (idempotent, silent); the object is freed now, or when the last use ends. */
  @Override
  public final void close() {
    boolean free;
    synchronized (state) {
      if (state.closed) {
        return;
      }
      state.closed = true;
      state.explicit = true;
      free = state.uses == 0 && !state.released;
      state.released |= free;
    }
    if (free) {
      state.free();
    }
    cleanable.clean();
  }

  @Override
  public String toString() {
    return name + (isClosed() ? " (closed)" : "");
  }

  /** Release state; also the Cleaner action (holds no reference to the handle). */
  private static final class State implements Runnable {
    private final String name;
    private final Runnable release;
    private final @Nullable Throwable origin;
    int uses;
    boolean closed;
    boolean released;
    boolean explicit;
    private boolean freed;

    State(String name, Runnable release, @Nullable Throwable origin) {
      this.name = name;
      this.release = release;
      this.origin = origin;
    }

    void free() {
      synchronized (this) {
        if (freed) {
          return;
        }
        freed = true;
      }
      LIVE.decrementAndGet();
      try {
        release.run();
      } catch (RuntimeException | LinkageError e) {
        LOG.warn("freeing {} failed: {}", name, e.toString());
      }
    }

    @Override
    public void run() {
      synchronized (this) {
        if (explicit) {
          return; // close() deregistering: the last use frees
        }
        closed = true;
        released = true;
      }
      {
        if (origin != null) {
          LOG.warn("{} was not closed; freeing it now", name, origin);
        } else {
          LOG.warn(
              "{} was not closed; freeing it now (-Dedgevision.trackResources=true shows where it was"
                  + " created)",
              name);
        }
        free();
      }
    }
  }
}
