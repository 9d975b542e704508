/**
 * Traffic-light detection on DETR-family ONNX models, end to end: frames in, traffic lights with
 * their states out, within a latency budget, free of DETR duplicates.
 *
 * <p>Read first: {@link io.edgevision.detectors.traffic.TrafficLightDetector}. It is built on the
 * general {@link io.edgevision.detectors.traffic.DetrDetector} (layout detection from the IO
 * signature, decoding, duplicate suppression), can add a second-stage {@link
 * io.edgevision.detectors.traffic.StateClassifier}, and feeds the video {@link
 * io.edgevision.detectors.traffic.TrafficLightTracker}. The built-in model ({@link
 * io.edgevision.detectors.traffic.ModelCatalog#BUILTIN}) ships in this jar. Large frames run as
 * tiles ("sliced inference", {@link io.edgevision.detectors.traffic.Slicing}) so that small lights
 * survive the model's input size.
 *
 * <p>This is the runtime package: what runs on a device. Evaluation (COCO and YOLO datasets, AP,
 * suppression and tracker comparisons) is in {@code io.edgevision.detectors.traffic.eval}, which
 * depends on this package and never the reverse.
 *
 * <p>Lifecycle: every type here is made from an {@link io.edgevision.core.InferenceSession} and
 * borrows it (the detectors' one rule: whoever opens a session closes it; docs/ARCHITECTURE.md).
 *
 * <p>Coordinates are {@code x1, y1, x2, y2} in pixels of the original frame unless a name says
 * otherwise.
 *
 * <p>Nullness: no parameter or return value is {@code null} unless annotated {@code @Nullable}.
 */
@org.jspecify.annotations.NullMarked
package io.edgevision.detectors.traffic;
