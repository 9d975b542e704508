/**
 * EdgeVision post-processing: pure-Java DETR decoding, DETR duplicate suppression, the NMS family,
 * single-head state decoding and the Umeyama similarity transform. Read first: {@link
 * io.edgevision.postprocess.DetrPostprocessor}.
 *
 * <p>Exports only {@code io.edgevision.postprocess}; {@code io.edgevision.postprocess.internal}
 * stays inside the module. Needs nothing but the JDK (and the JSpecify annotations).
 */
module io.edgevision.postprocess {
  requires transitive org.jspecify; // @Nullable / @NullMarked are part of the API

  exports io.edgevision.postprocess;
}
