package io.edgevision.detectors.face;

import io.edgevision.core.testing.SharedResources;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The shared face photos and models, reached through {@link SharedResources} (skip or fail per CI
 * variable).
 */
final class FaceImages {
  static final String SCRFD = "det_500m.onnx";
  static final String SCRFD_25G = "det_2.5g.onnx";
  static final String YUNET = "face_detection_yunet_2026may.onnx";
  static final String MOBILEFACENET = "mobilefacenet_arcface_128d.onnx";

  private FaceImages() {}

  static Path model(String name) {
    return SharedResources.model(name);
  }

  /**
   * @return the 25 single-face deepface portraits img1..img25
   */
  static List<Path> deepface() {
    List<Path> out = new ArrayList<>();
    for (int i = 1; i <= 25; i++) {
      out.add(SharedResources.data("faces/deepface/img" + i + ".jpg"));
    }
    return out;
  }

  static Path example(String file) {
    return SharedResources.data("faces/face_recognition_examples/" + file);
  }

  /**
   * @return every face_recognition_examples photo (single- and multi-face)
   */
  static List<Path> examples() {
    List<Path> out = new ArrayList<>();
    for (String f :
        new String[] {
          "obama.jpg",
          "obama2.jpg",
          "obama3.jpg",
          "biden.jpg",
          "biden2.jpg",
          "kit_harington_john1.jpeg",
          "kit_harington_john2.jpeg",
          "rose_leslie_img1.jpg",
          "rose_leslie_img2.jpg",
          "obama_and_biden.jpg",
          "kit_with_rose.jpg"
        }) {
      out.add(example(f));
    }
    return out;
  }
}
