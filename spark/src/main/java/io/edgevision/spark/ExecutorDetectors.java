package io.edgevision.spark;

import io.edgevision.core.Budget;
import io.edgevision.core.ExecutionProvider;
import io.edgevision.core.ImageFrame;
import io.edgevision.core.InferenceSession;
import io.edgevision.core.ModelSource;
import io.edgevision.detectors.face.FaceRecognizer;
import io.edgevision.detectors.face.RecognizedFace;
import io.edgevision.detectors.traffic.ModelCatalog;
import io.edgevision.detectors.traffic.TrafficLightDetector;
import io.edgevision.detectors.traffic.TrafficLightResult;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The detectors of one executor JVM: one {@link TrafficLightDetector} (and its ONNX Runtime
 * session) per {@link DetectorSpec} (and one {@link FaceRecognizer} per {@link FaceSpec}), created
 * lazily by the first task that needs it, reused by every later partition and task of any job in
 * this JVM, and closed when the JVM shuts down. Never one per row or per partition: loading a model
 * costs far more than a frame.
 *
 * <p>Calls are bounded: at most {@link DetectorSpec#maxConcurrentCalls()} detector calls run at
 * once per spec in this JVM (a fair semaphore); further tasks wait. Spark's task slots ({@code
 * spark.executor.cores}) and this bound together decide how many frames are in flight.
 *
 * <p>Example (what {@link TrafficLightJob} does inside each partition):
 *
 * <pre>{@code
 * ExecutorDetectors.Entry d = ExecutorDetectors.get(spec);   // first call in this JVM builds it
 * TrafficLightResult r = d.detect(frame);                     // bounded, shared
 * }</pre>
 *
 * <p>Lifecycle: entries live until JVM shutdown (a shutdown hook closes their sessions); {@link
 * #closeAll()} closes them earlier (the next {@link #get} builds new ones).
 *
 * <p>Threading: thread-safe; {@link #get} builds at most one detector per spec even when tasks
 * race.
 */
public final class ExecutorDetectors {
  private static final Map<DetectorSpec, Entry> ENTRIES = new ConcurrentHashMap<>();
  private static final Map<FaceSpec, FaceEntry> FACES = new ConcurrentHashMap<>();
  private static final AtomicInteger CREATED = new AtomicInteger();

  static {
    Runtime.getRuntime()
        .addShutdownHook(new Thread(ExecutorDetectors::closeAll, "edgevision-detectors-close"));
  }

  private ExecutorDetectors() {}

  /**
   * The detector of this JVM for a spec, built on first use.
   *
   * @param spec what to run
   * @return the shared entry
   * @throws io.edgevision.core.EdgeVisionException when the model cannot be loaded
   */
  public static Entry get(DetectorSpec spec) {
    return ENTRIES.computeIfAbsent(spec, ExecutorDetectors::create);
  }

  /**
   * The face recognizer of this JVM for a spec, built on first use (same lifecycle as the
   * detectors).
   *
   * @param spec what to run
   * @return the shared entry
   * @throws io.edgevision.core.EdgeVisionException when a model cannot be loaded
   */
  public static FaceEntry faces(FaceSpec spec) {
    return FACES.computeIfAbsent(
        spec,
        s -> {
          FaceRecognizer r =
              FaceRecognizer.builder(
                      ModelSource.of(Path.of(s.detectorModel())),
                      ModelSource.of(Path.of(s.embedderModel())))
                  .providers(ExecutionProvider.CPU)
                  .build();
          CREATED.incrementAndGet();
          return new FaceEntry(r, s.maxConcurrentCalls());
        });
  }

  /**
   * @return how many detectors and recognizers this JVM has built since it started (one per spec
   *     unless {@link #closeAll})
   */
  public static int created() {
    return CREATED.get();
  }

  /** Closes every detector's session (idempotent); later {@link #get} calls build new ones. */
  public static void closeAll() {
    for (DetectorSpec spec : ENTRIES.keySet()) {
      Entry e = ENTRIES.remove(spec);
      if (e != null) {
        e.session.close();
      }
    }
    for (FaceSpec spec : FACES.keySet()) {
      FaceEntry e = FACES.remove(spec);
      if (e != null) {
        e.recognizer.close();
      }
    }
  }

  private static Entry create(DetectorSpec spec) {
    Path dir =
        spec.modelsDir() != null
            ? Path.of(spec.modelsDir())
            : ModelCatalog.sharedDir().resolve("models");
    InferenceSession.Builder b =
        ModelCatalog.sessionBuilder(spec.model(), dir).providers(ExecutionProvider.CPU);
    if (spec.intraOpThreads() > 0) {
      b.intraOpThreads(spec.intraOpThreads());
    }
    InferenceSession session = b.build();
    try {
      TrafficLightDetector detector =
          TrafficLightDetector.builder(session)
              .scoreThreshold(spec.scoreThreshold())
              .candidateThreshold(spec.candidateThreshold())
              .build();
      CREATED.incrementAndGet();
      return new Entry(session, detector, spec.maxConcurrentCalls());
    } catch (RuntimeException e) {
      session.close();
      throw e;
    }
  }

  /**
   * One executor's face recognizer with its call bound.
   *
   * <p>Threading: thread-safe.
   */
  public static final class FaceEntry {
    private final FaceRecognizer recognizer;
    private final Semaphore permits;

    private FaceEntry(FaceRecognizer recognizer, int maxCalls) {
      this.recognizer = recognizer;
      this.permits = new Semaphore(maxCalls, true);
    }

    /**
     * @param frame the frame
     * @return every face with its embedding ({@link FaceRecognizer#recognize})
     * @throws IllegalStateException when closed
     */
    public List<RecognizedFace> recognize(ImageFrame frame) {
      permits.acquireUninterruptibly();
      try {
        return recognizer.recognize(frame);
      } finally {
        permits.release();
      }
    }
  }

  /**
   * One executor's detector with its call bound.
   *
   * <p>Threading: thread-safe.
   */
  public static final class Entry {
    private final InferenceSession session;
    private final TrafficLightDetector detector;
    private final Semaphore permits;
    private final int maxCalls;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger peak = new AtomicInteger();

    private Entry(InferenceSession session, TrafficLightDetector detector, int maxCalls) {
      this.session = session;
      this.detector = detector;
      this.maxCalls = maxCalls;
      this.permits = new Semaphore(maxCalls, true);
    }

    /**
     * Detects the lights of one frame, waiting while {@link DetectorSpec#maxConcurrentCalls()}
     * calls run.
     *
     * @param frame the frame
     * @return the result (unlimited budget)
     * @throws IllegalStateException when the entry was closed ({@link
     *     ExecutorDetectors#closeAll()})
     * @throws io.edgevision.core.EdgeVisionException as {@link TrafficLightDetector#detect}
     */
    public TrafficLightResult detect(ImageFrame frame) {
      permits.acquireUninterruptibly();
      try {
        peak.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        try {
          return detector.detect(frame, Budget.unlimited());
        } finally {
          inFlight.decrementAndGet();
        }
      } finally {
        permits.release();
      }
    }

    /**
     * @return the detector (for labels and schema)
     */
    public TrafficLightDetector detector() {
      return detector;
    }

    /**
     * @return the most detector calls that ever ran at once through this entry
     */
    public int peakConcurrentCalls() {
      return peak.get();
    }

    /**
     * @return the bound on concurrent calls
     */
    public int maxConcurrentCalls() {
      return maxCalls;
    }
  }
}
