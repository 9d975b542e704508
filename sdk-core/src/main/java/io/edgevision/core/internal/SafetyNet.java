package io.edgevision.core.internal;

import java.lang.ref.PhantomReference;
import java.lang.ref.ReferenceQueue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs a cleanup action once: when {@link Registration#clean()} is called, or after the owner
 * became unreachable. Uses {@code java.lang.ref.Cleaner} where it exists (JDK 9+, Android API 33+);
 * elsewhere (older Android) the same contract on a {@link PhantomReference} queue with one daemon
 * thread. The Cleaner is touched only inside {@link WithCleaner}, which is loaded only when {@code
 * Cleaner} exists. Thread-safe. Internal.
 */
public final class SafetyNet {
  /** A registered action. */
  public interface Registration {
    /** Runs the action now unless it already ran; idempotent, thread-safe. */
    void clean();
  }

  private static final boolean HAS_CLEANER = detect();

  private SafetyNet() {}

  private static boolean detect() {
    try {
      Class.forName("java.lang.ref.Cleaner");
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  /**
   * @param owner the object whose unreachability triggers the action; the action must not refer to
   *     it
   * @param action what to run once
   * @return the registration
   */
  public static Registration register(Object owner, Runnable action) {
    return register(owner, action, HAS_CLEANER);
  }

  /**
   * As {@link #register(Object, Runnable)}, choosing the implementation (tests run both on the
   * desktop).
   */
  static Registration register(Object owner, Runnable action, boolean useCleaner) {
    return useCleaner ? WithCleaner.register(owner, action) : Phantoms.register(owner, action);
  }

  /** The JDK Cleaner; loaded only where {@code java.lang.ref.Cleaner} exists. */
  private static final class WithCleaner {
    private static final java.lang.ref.Cleaner CLEANER = java.lang.ref.Cleaner.create();

    static Registration register(Object owner, Runnable action) {
      java.lang.ref.Cleaner.Cleanable c = CLEANER.register(owner, action);
      return c::clean;
    }
  }

  /** The fallback: phantom references drained by one daemon thread. */
  private static final class Phantoms {
    private static final ReferenceQueue<Object> QUEUE = new ReferenceQueue<>();
    private static final Set<Ref> LIVE = ConcurrentHashMap.newKeySet();

    static {
      Thread t = new Thread(Phantoms::drain, "edgevision-safety-net");
      t.setDaemon(true);
      t.start();
    }

    static Registration register(Object owner, Runnable action) {
      Ref r = new Ref(owner, action);
      LIVE.add(r);
      return r::clean;
    }

    private static void drain() {
      while (true) {
        try {
          ((Ref) QUEUE.remove()).clean();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        } catch (RuntimeException e) {
          // one failing action must not stop the others; the action logs its own warning
        }
      }
    }

    private static final class Ref extends PhantomReference<Object> {
      private final Runnable action;
      private final AtomicBoolean done = new AtomicBoolean();

      Ref(Object owner, Runnable action) {
        super(owner, QUEUE);
        this.action = action;
      }

      void clean() {
        if (done.compareAndSet(false, true)) {
          LIVE.remove(this);
          action.run();
        }
      }
    }
  }
}
