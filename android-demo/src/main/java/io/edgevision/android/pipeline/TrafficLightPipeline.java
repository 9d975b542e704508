package io.edgevision.android.pipeline;

import io.edgevision.core.Budget;
import io.edgevision.core.ExecutionProvider;
import io.edgevision.core.ImageFrame;
import io.edgevision.core.InferenceSession;
import io.edgevision.core.ModelSource;
import io.edgevision.core.ProviderDecision;
import io.edgevision.core.SessionStats;
import io.edgevision.detectors.traffic.TrafficLightDetector;
import io.edgevision.detectors.traffic.TrafficLightResult;
import java.util.List;
import java.util.Objects;

/**
 * The app's traffic-light mode: one {@link InferenceSession} over the project's own model and the
 * SDK's {@link TrafficLightDetector} on it. Frames come from the camera (NV21) or, in tests, from a
 * bundled photo through the same conversion.
 *
 * <h2>Example</h2>
 *
 * <pre>{@code
 * try (TrafficLightPipeline p = TrafficLightPipeline.create(modelBytes, TrafficLightPipeline.PROVIDERS)) {
 *   TrafficLightResult r = p.detect(nv21Frame, Budget.ofMillis(50));
 *   String line = HeadsUp.trafficLights(r, p.stats(), p.providerDecisions(), Budget.ofMillis(50));
 * }
 * }</pre>
 *
 * <h2>Lifecycle</h2>
 *
 * Owns its session: {@link #close()} frees it (idempotent); {@code detect} after close throws
 * {@link IllegalStateException}. The activity closes it in {@code onPause}.
 *
 * <h2>Threading</h2>
 *
 * Thread-safe (the session and detector are); the app calls it from one worker thread.
 */
public final class TrafficLightPipeline implements AutoCloseable {
  /**
   * Execution providers in the order the app tries them: the phone's NPU/GPU, then XNNPACK, then
   * plain CPU.
   */
  public static final List<ExecutionProvider> PROVIDERS =
      List.of(ExecutionProvider.NNAPI, ExecutionProvider.XNNPACK, ExecutionProvider.CPU);

  /** The model's name in the APK's assets. */
  public static final String MODEL_ASSET = "edgevision-traffic-lights.onnx";

  private final InferenceSession session;
  private final TrafficLightDetector detector;

  private TrafficLightPipeline(InferenceSession session) {
    this.session = session;
    this.detector = TrafficLightDetector.builder(session).build();
  }

  /**
   * @param model the ONNX model's bytes (its descriptor is in its metadata)
   * @param providers the preference, tried in order
   * @return the pipeline
   * @throws io.edgevision.core.EdgeVisionException when the model is invalid or no provider
   *     initialises
   */
  public static TrafficLightPipeline create(byte[] model, List<ExecutionProvider> providers) {
    Objects.requireNonNull(model, "model");
    InferenceSession session =
        InferenceSession.builder(ModelSource.of(model, MODEL_ASSET)).providers(providers).build();
    try {
      return new TrafficLightPipeline(session);
    } catch (RuntimeException e) {
      session.close();
      throw e;
    }
  }

  /**
   * @param frame the frame (NV21 from the camera)
   * @param budget the user's latency budget
   * @return the detector's result; a missed budget is its outcome, not an exception
   * @throws IllegalStateException after {@link #close()}
   */
  public TrafficLightResult detect(ImageFrame frame, Budget budget) {
    return detector.detect(frame, budget);
  }

  /**
   * @return the provider that runs the model
   */
  public ExecutionProvider provider() {
    return session.selectedProvider();
  }

  /**
   * @return each provider tried, in order, with whether it was selected or why not
   */
  public List<ProviderDecision> providerDecisions() {
    return session.providerDecisions();
  }

  /**
   * @return the session's per-stage latency percentiles so far
   */
  public SessionStats stats() {
    return session.stats();
  }

  /** Frees the session; idempotent. */
  @Override
  public void close() {
    session.close();
  }
}
