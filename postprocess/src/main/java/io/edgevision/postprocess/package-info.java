/**
 * Post-processing for edge vision models, JDK only: DETR-family output decoding, the NMS family,
 * DETR duplicate suppression, single-head traffic-light state decoding and the Umeyama similarity
 * estimate.
 *
 * <p>Start with {@link io.edgevision.postprocess.DetrPostprocessor}: its Javadoc shows the whole
 * flow (decode → duplicate suppression → optional state decoding). Coordinates are pixels of the
 * original frame, {@code x1, y1, x2, y2}, unless a type or parameter says otherwise. Hot paths are
 * static functions or immutable objects over primitive arrays, with per-thread reusable workspaces;
 * every type states its threading contract.
 *
 * <p>Nullness: no parameter or return value is {@code null} unless annotated {@code @Nullable}.
 */
@org.jspecify.annotations.NullMarked
package io.edgevision.postprocess;
