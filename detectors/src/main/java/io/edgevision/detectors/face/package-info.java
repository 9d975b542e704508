/**
 * Face recognition on sdk-core and postprocess: detection with five landmarks (YuNet and SCRFD,
 * auto-detected from the model's IO signature), ArcFace similarity alignment, L2-normalised
 * embeddings, 1:1 verification and a persistent 1:N gallery.
 *
 * <p>Read first: {@link io.edgevision.detectors.face.FaceRecognizer}; its Javadoc shows the whole
 * flow (detect → align → embed → verify / identify). The pieces are usable alone: {@link
 * io.edgevision.detectors.face.FaceDetector}, {@link io.edgevision.detectors.face.FaceAligner},
 * {@link io.edgevision.detectors.face.FaceEmbedder}, {@link
 * io.edgevision.detectors.face.FaceGallery} and {@link
 * io.edgevision.detectors.face.VerificationMetrics}.
 *
 * <p>Coordinates are pixels of the original frame ({@code x1, y1, x2, y2} boxes, {@code x, y}
 * landmarks) unless a type says otherwise. Every public type states its threading contract.
 *
 * <p>Nullness: no parameter or return value is {@code null} unless annotated {@code @Nullable}.
 */
@org.jspecify.annotations.NullMarked
package io.edgevision.detectors.face;
