package io.edgevision.spark;

import io.edgevision.detectors.traffic.DetrDetector;
import io.edgevision.detectors.traffic.ModelCatalog;
import java.io.Serializable;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Which traffic-light detector a Spark job runs, as a small serializable value shipped to the
 * executors: each executor JVM builds one detector per distinct spec ({@link ExecutorDetectors})
 * and reuses it for every task.
 *
 * <p>Example: {@code
 * DetectorSpec.builtin().withScoreThreshold(0.05f).withCandidateThreshold(0.05f)} is the detector
 * of {@code ./edgevision eval}; {@code DetectorSpec.builtin()} is the one of {@code ./edgevision
 * detect}.
 *
 * <p>Threading: immutable.
 *
 * <p>Defaults: the built-in model ({@link ModelCatalog#BUILTIN}), score threshold 0.3, candidate
 * threshold 0.1 (as {@code ./edgevision detect}), CPU, ONNX Runtime's default intra-op threads, at
 * most {@link #DEFAULT_MAX_CONCURRENT_CALLS} detector calls at once per executor JVM.
 *
 * @param model {@code builtin}, a label of the shared models ({@code femto}, {@code atto}, ...) or
 *     a path to a DETR-family ONNX file readable on every executor
 * @param modelsDir where model labels are looked up on the executors; null for the shared
 *     directory's {@code models}
 * @param scoreThreshold lowest score of a returned light, in {@code [0, 1]}
 * @param candidateThreshold lowest score of a decoded candidate, in {@code [0, scoreThreshold]}
 * @param intraOpThreads ONNX Runtime intra-op threads per session (0 = its default)
 * @param maxConcurrentCalls detector calls allowed at once in one executor JVM (&gt;= 1); further
 *     tasks wait
 */
public record DetectorSpec(
    String model,
    @Nullable String modelsDir,
    float scoreThreshold,
    float candidateThreshold,
    int intraOpThreads,
    int maxConcurrentCalls)
    implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Default bound on concurrent detector calls per executor JVM. */
  public static final int DEFAULT_MAX_CONCURRENT_CALLS = 2;

  /**
   * Validates the spec.
   *
   * @throws IllegalArgumentException when a threshold or count is out of range
   */
  public DetectorSpec {
    Objects.requireNonNull(model, "model");
    if (model.isBlank()) {
      throw new IllegalArgumentException(
          "expected a model (builtin, a shared label or an ONNX path), got blank");
    }
    if (!(scoreThreshold >= 0f && scoreThreshold <= 1f)
        || !(candidateThreshold >= 0f && candidateThreshold <= scoreThreshold)) {
      throw new IllegalArgumentException(
          "expected 0 <= candidateThreshold <= scoreThreshold <= 1, got candidate "
              + candidateThreshold
              + ", score "
              + scoreThreshold);
    }
    if (intraOpThreads < 0) {
      throw new IllegalArgumentException("expected intraOpThreads >= 0, got " + intraOpThreads);
    }
    if (maxConcurrentCalls < 1) {
      throw new IllegalArgumentException(
          "expected maxConcurrentCalls >= 1, got " + maxConcurrentCalls);
    }
  }

  /**
   * @return the built-in model with the defaults of {@code ./edgevision detect}
   */
  public static DetectorSpec builtin() {
    return of(ModelCatalog.BUILTIN);
  }

  /**
   * @param model {@code builtin}, a shared-model label or an ONNX path
   * @return that model with the defaults
   */
  public static DetectorSpec of(String model) {
    return new DetectorSpec(
        model,
        null,
        DetrDetector.DEFAULT_SCORE_THRESHOLD,
        Math.min(DetrDetector.DEFAULT_SCORE_THRESHOLD, DetrDetector.DEFAULT_CANDIDATE_THRESHOLD),
        0,
        DEFAULT_MAX_CONCURRENT_CALLS);
  }

  /**
   * @param dir where labels are looked up on the executors @return a copy
   */
  public DetectorSpec withModelsDir(@Nullable String dir) {
    return new DetectorSpec(
        model, dir, scoreThreshold, candidateThreshold, intraOpThreads, maxConcurrentCalls);
  }

  /**
   * @param t the score threshold @return a copy (the candidate threshold is lowered to it when
   *     above)
   */
  public DetectorSpec withScoreThreshold(float t) {
    return new DetectorSpec(
        model, modelsDir, t, Math.min(candidateThreshold, t), intraOpThreads, maxConcurrentCalls);
  }

  /**
   * @param t the candidate threshold @return a copy
   */
  public DetectorSpec withCandidateThreshold(float t) {
    return new DetectorSpec(
        model, modelsDir, scoreThreshold, t, intraOpThreads, maxConcurrentCalls);
  }

  /**
   * @param n intra-op threads (0 = ONNX Runtime's default) @return a copy
   */
  public DetectorSpec withIntraOpThreads(int n) {
    return new DetectorSpec(
        model, modelsDir, scoreThreshold, candidateThreshold, n, maxConcurrentCalls);
  }

  /**
   * @param n concurrent detector calls per executor JVM @return a copy
   */
  public DetectorSpec withMaxConcurrentCalls(int n) {
    return new DetectorSpec(
        model, modelsDir, scoreThreshold, candidateThreshold, intraOpThreads, n);
  }
}
