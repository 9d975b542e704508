package io.edgevision.spark;

import java.io.Serializable;
import java.util.Objects;

/**
 * Which face recognizer a Spark job runs: detector (SCRFD or YuNet) and embedder (ArcFace-style)
 * ONNX files, readable at the same path on every executor. Each executor JVM builds one {@link
 * io.edgevision.detectors.face.FaceRecognizer} per distinct spec ({@link ExecutorDetectors#faces}).
 *
 * <p>Example: {@code FaceSpec.of("/models/det_500m.onnx",
 * "/models/mobilefacenet_arcface_128d.onnx")}.
 *
 * <p>Threading: immutable. Defaults: the recognizer's own (detection threshold of the detector
 * family), at most {@link DetectorSpec#DEFAULT_MAX_CONCURRENT_CALLS} calls at once per executor
 * JVM.
 *
 * @param detectorModel the face detector ONNX path
 * @param embedderModel the embedding ONNX path
 * @param maxConcurrentCalls recognizer calls at once per executor JVM (&gt;= 1)
 */
public record FaceSpec(String detectorModel, String embedderModel, int maxConcurrentCalls)
    implements Serializable {
  private static final long serialVersionUID = 1L;

  /**
   * Validates.
   *
   * @throws IllegalArgumentException when the bound is below 1
   */
  public FaceSpec {
    Objects.requireNonNull(detectorModel, "detectorModel");
    Objects.requireNonNull(embedderModel, "embedderModel");
    if (maxConcurrentCalls < 1) {
      throw new IllegalArgumentException(
          "expected maxConcurrentCalls >= 1, got " + maxConcurrentCalls);
    }
  }

  /**
   * @param detectorModel face detector ONNX path
   * @param embedderModel embedder ONNX path
   * @return the spec with the defaults
   */
  public static FaceSpec of(String detectorModel, String embedderModel) {
    return new FaceSpec(detectorModel, embedderModel, DetectorSpec.DEFAULT_MAX_CONCURRENT_CALLS);
  }
}
