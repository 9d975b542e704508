package io.edgevision.core.internal;

import io.edgevision.core.Fingerprint;
import io.edgevision.core.Outcome;
import io.edgevision.core.Timings;

/** Emits {@link InferenceEvent}s where JFR exists (desktop JVMs; not Android). Internal. */
public final class Jfr {
  private static final boolean AVAILABLE = detect();

  private Jfr() {}

  private static boolean detect() {
    try {
      Class.forName("jdk.jfr.Event");
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  /** Commits one event when JFR is available and the event is enabled. */
  public static void emit(Fingerprint f, Outcome outcome, Timings t) {
    if (!AVAILABLE) {
      return;
    }
    Emitter.emit(f, outcome, t);
  }

  /** Separate class so that jdk.jfr is only loaded where it exists. */
  private static final class Emitter {
    static void emit(Fingerprint f, Outcome outcome, Timings t) {
      InferenceEvent e = new InferenceEvent();
      if (!e.isEnabled()) {
        return;
      }
      e.model = f.modelSha256();
      e.variant = f.variant();
      e.provider = f.provider().name();
      e.outcome = outcome.name();
      e.waiting = t.waitingNanos();
      e.preprocess = t.preprocessNanos();
      e.inference = t.inferenceNanos();
      e.postprocess = t.postprocessNanos();
      e.commit();
    }
  }
}
