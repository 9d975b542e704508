package io.edgevision.detectors.traffic;

import io.edgevision.core.ImageFrame;
import io.edgevision.core.ImageFrames;
import io.edgevision.core.InferenceSession;
import io.edgevision.core.ModelSource;
import io.edgevision.core.testing.SharedResources;
import io.edgevision.detectors.traffic.eval.CocoDataset;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Real models and photos of ../shared, found through SharedResources (skipped, or failed on CI,
 * when absent).
 */
final class Shared {
  static final String ATTO = "deimv2_hgnetv2_atto_coco.onnx";
  static final String FEMTO = "deimv2_hgnetv2_femto_coco.onnx";
  static final String ATTO_RAW = "deimv2_hgnetv2_atto_coco_raw.onnx";
  static final String FEMTO_RAW = "deimv2_hgnetv2_femto_coco_raw.onnx";
  static final List<String> COCO_IMAGES =
      List.of("000000000257.jpg", "000000000359.jpg", "000000000510.jpg", "000000000540.jpg");

  private Shared() {}

  /** A session on a shared model with its MANIFEST descriptor (the models carry no metadata). */
  static InferenceSession session(String file) {
    return InferenceSession.builder(ModelSource.of(SharedResources.model(file)))
        .descriptor(ModelCatalog.descriptorFor(file).orElseThrow())
        .build();
  }

  static ImageFrame coco(String file) {
    return ImageFrames.read(SharedResources.data("street/coco/" + file));
  }

  static CocoDataset annotations() {
    try {
      return CocoDataset.read(SharedResources.data("street/coco/instances_subset.json"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
