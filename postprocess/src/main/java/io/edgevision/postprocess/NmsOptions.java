package io.edgevision.postprocess;

import io.edgevision.postprocess.internal.Checks;
import java.util.Objects;

/**
 * The configuration of one NMS run: strategy, overlap measure, threshold, class handling and score
 * floor.
 *
 * <p>Example: {@code Nms.apply(NmsOptions.batched(0.5f), xyxy, scores, classIds)}; derive variants
 * with the {@code with*} methods, e.g. {@code
 * NmsOptions.hard(0.5f).withMetric(OverlapMetric.IOMIN)}.
 *
 * <p>Threading: immutable.
 *
 * @param strategy the family member
 * @param metric the overlap measure compared with {@code threshold}
 * @param threshold the overlap above which a box is suppressed, decayed (linear) or merged; in
 *     {@code [0, 1]} for IoU and IoMin, {@code [-1, 1]} for DIoU and GIoU; ignored by {@link
 *     NmsStrategy#SOFT_GAUSSIAN} and {@link NmsStrategy#NONE}
 * @param classAgnostic {@code true}: boxes of any classes suppress each other; {@code false}: only
 *     boxes of the same class interact (batched NMS)
 * @param sigma the Gaussian Soft-NMS parameter in {@code exp(-overlap² / sigma)}, positive
 * @param scoreThreshold boxes scoring below it are dropped before NMS (and, for Soft-NMS, when
 *     their decayed score falls below it); at least 0
 */
public record NmsOptions(
    NmsStrategy strategy,
    OverlapMetric metric,
    float threshold,
    boolean classAgnostic,
    float sigma,
    float scoreThreshold) {
  /** OpenCV's default Gaussian Soft-NMS {@code sigma}. */
  public static final float DEFAULT_SIGMA = 0.5f;

  /**
   * Validates the options.
   *
   * @param strategy the family member
   * @param metric the overlap measure compared with {@code threshold}
   * @param threshold the overlap above which a box is suppressed, decayed (linear) or merged; in
   *     {@code [0, 1]} for IoU and IoMin, {@code [-1, 1]} for DIoU and GIoU; ignored by {@link
   *     NmsStrategy#SOFT_GAUSSIAN} and {@link NmsStrategy#NONE}
   * @param classAgnostic {@code true}: boxes of any classes suppress each other; {@code false}:
   *     only boxes of the same class interact (batched NMS)
   * @param sigma the Gaussian Soft-NMS parameter in {@code exp(-overlap² / sigma)}, positive
   * @param scoreThreshold boxes scoring below it are dropped before NMS (and, for Soft-NMS, when
   *     their decayed score falls below it); at least 0
   * @throws IllegalArgumentException when a value is out of range
   * @throws NullPointerException when strategy or metric is null
   */
  public NmsOptions {
    Objects.requireNonNull(strategy, "strategy");
    Objects.requireNonNull(metric, "metric");
    boolean signed = metric == OverlapMetric.DIOU || metric == OverlapMetric.GIOU;
    Checks.checkArgument(
        signed ? threshold >= -1f && threshold <= 1f : threshold >= 0f && threshold <= 1f,
        "expected threshold in [0, 1] ([-1, 1] for DIoU/GIoU), got %s",
        threshold);
    Checks.checkArgument(
        sigma > 0f && sigma < Float.POSITIVE_INFINITY, "expected sigma > 0, got %s", sigma);
    Checks.checkArgument(
        scoreThreshold >= 0f && scoreThreshold < Float.POSITIVE_INFINITY,
        "expected scoreThreshold >= 0, got %s",
        scoreThreshold);
  }

  /**
   * Class-agnostic hard NMS with IoU, as {@code torchvision.ops.nms}.
   *
   * @param iouThreshold suppress when IoU is greater than this
   * @return the options
   */
  public static NmsOptions hard(float iouThreshold) {
    return new NmsOptions(
        NmsStrategy.HARD, OverlapMetric.IOU, iouThreshold, true, DEFAULT_SIGMA, 0f);
  }

  /**
   * Per-class hard NMS with IoU, as {@code torchvision.ops.batched_nms}.
   *
   * @param iouThreshold suppress when IoU is greater than this
   * @return the options
   */
  public static NmsOptions batched(float iouThreshold) {
    return new NmsOptions(
        NmsStrategy.HARD, OverlapMetric.IOU, iouThreshold, false, DEFAULT_SIGMA, 0f);
  }

  /**
   * Class-agnostic DIoU-NMS: suppress when {@code IoU - ρ²/c²} is greater than the threshold.
   *
   * @param threshold the DIoU threshold
   * @return the options
   */
  public static NmsOptions diou(float threshold) {
    return new NmsOptions(NmsStrategy.HARD, OverlapMetric.DIOU, threshold, true, DEFAULT_SIGMA, 0f);
  }

  /**
   * Class-agnostic linear Soft-NMS (OpenCV {@code SOFTNMS_LINEAR}).
   *
   * @param iouThreshold decay boxes whose IoU is greater than this
   * @param scoreThreshold drop boxes whose (decayed) score falls below this
   * @return the options
   */
  public static NmsOptions softLinear(float iouThreshold, float scoreThreshold) {
    return new NmsOptions(
        NmsStrategy.SOFT_LINEAR,
        OverlapMetric.IOU,
        iouThreshold,
        true,
        DEFAULT_SIGMA,
        scoreThreshold);
  }

  /**
   * Class-agnostic Gaussian Soft-NMS (OpenCV {@code SOFTNMS_GAUSSIAN}).
   *
   * @param sigma the parameter of {@code exp(-iou² / sigma)}
   * @param scoreThreshold drop boxes whose (decayed) score falls below this
   * @return the options
   */
  public static NmsOptions softGaussian(float sigma, float scoreThreshold) {
    return new NmsOptions(
        NmsStrategy.SOFT_GAUSSIAN, OverlapMetric.IOU, 0f, true, sigma, scoreThreshold);
  }

  /**
   * Class-agnostic weighted box merge with IoU.
   *
   * @param iouThreshold merge boxes whose IoU with the cluster leader is greater than this
   * @return the options
   */
  public static NmsOptions merge(float iouThreshold) {
    return new NmsOptions(
        NmsStrategy.MERGE, OverlapMetric.IOU, iouThreshold, true, DEFAULT_SIGMA, 0f);
  }

  /**
   * @param agnostic whether classes interact
   * @return a copy with {@code classAgnostic} replaced
   */
  public NmsOptions withClassAgnostic(boolean agnostic) {
    return new NmsOptions(strategy, metric, threshold, agnostic, sigma, scoreThreshold);
  }

  /**
   * @param newMetric the overlap measure
   * @return a copy with {@code metric} replaced
   */
  public NmsOptions withMetric(OverlapMetric newMetric) {
    return new NmsOptions(strategy, newMetric, threshold, classAgnostic, sigma, scoreThreshold);
  }

  /**
   * @param newThreshold the score floor
   * @return a copy with {@code scoreThreshold} replaced
   */
  public NmsOptions withScoreThreshold(float newThreshold) {
    return new NmsOptions(strategy, metric, threshold, classAgnostic, sigma, newThreshold);
  }
}
