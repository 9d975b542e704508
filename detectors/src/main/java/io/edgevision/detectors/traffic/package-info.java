/**
 * Traffic-light detection on DETR-family ONNX models, end to end: frames in, traffic lights with their states
 * out, within a latency budget, free of DETR duplicates.
 *
 * <p>Read first: {@link io.edgevision.detectors.traffic.TrafficLightDetector}. It is built on the general
 * {@link io.edgevision.detectors.traffic.DetrDetector} (layout detection from the IO signature, decoding,
 * duplicate suppression), can add a second-stage {@link io.edgevision.detectors.traffic.StateClassifier}, and
 * feeds the video {@link io.edgevision.detectors.traffic.TrafficLightTracker}.
 * {@link io.edgevision.detectors.traffic.TrafficLightEvaluator} scores it on COCO-format annotations
 * ({@link io.edgevision.detectors.traffic.CocoEvaluation} runs it over a dataset). The built-in model
 * ({@link io.edgevision.detectors.traffic.ModelCatalog#BUILTIN}) ships in this jar; {@link
 * io.edgevision.detectors.traffic.SuppressionComparison} and {@link io.edgevision.detectors.traffic.TrackerComparison}
 * measure what duplicate suppression and tracking buy on it. Large frames run as tiles ("sliced inference",
 * {@link io.edgevision.detectors.traffic.Slicing}) so that small lights survive the model's input size;
 * {@link io.edgevision.detectors.traffic.YoloDataset} reads YOLO-format folders for the evaluation.
 *
 * <p>Coordinates are {@code x1, y1, x2, y2} in pixels of the original frame unless a name says otherwise.
 *
 * <p>Nullness: no parameter or return value is {@code null} unless annotated {@code @Nullable}.
 */
@org.jspecify.annotations.NullMarked
package io.edgevision.detectors.traffic;
