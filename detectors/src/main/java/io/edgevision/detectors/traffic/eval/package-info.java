/**
 * Evaluation of traffic-light detectors, kept out of the runtime package {@code
 * io.edgevision.detectors.traffic}: used by the CLI's {@code eval}, the benchmark harness and the
 * Spark module, not by code running on a device.
 *
 * <p>Read first: {@link io.edgevision.detectors.traffic.eval.CocoEvaluation}, which runs a {@link
 * io.edgevision.detectors.traffic.TrafficLightDetector} over a {@link
 * io.edgevision.detectors.traffic.eval.CocoDataset} and scores it with the {@link
 * io.edgevision.detectors.traffic.eval.TrafficLightEvaluator} (AP@0.5, AP@[.5:.95], joint-state AP,
 * P/R, strict frame pass rate). {@link io.edgevision.detectors.traffic.eval.SuppressionComparison}
 * and {@link io.edgevision.detectors.traffic.eval.TrackerComparison} measure what duplicate
 * suppression and tracking buy ({@link io.edgevision.detectors.traffic.eval.LightSequence}:
 * labelled video sequences).
 *
 * <p>Coordinates are {@code x1, y1, x2, y2} in pixels of the original frame unless a name says
 * otherwise.
 *
 * <p>Nullness: no parameter or return value is {@code null} unless annotated {@code @Nullable}.
 */
@org.jspecify.annotations.NullMarked
package io.edgevision.detectors.traffic.eval;
