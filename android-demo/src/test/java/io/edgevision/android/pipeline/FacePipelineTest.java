package io.edgevision.android.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgevision.android.frames.CameraPlanes;
import io.edgevision.core.Budget;
import io.edgevision.core.EdgeVisionException;
import io.edgevision.core.ExecutionProvider;
import io.edgevision.core.ModelSource;
import io.edgevision.core.Outcome;
import io.edgevision.core.testing.SharedResources;
import io.edgevision.detectors.face.FaceGallery;
import io.edgevision.detectors.face.Verification;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import javax.crypto.SecretKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Face mode on the desktop, on the camera path: photos from {@code ../shared} (never copied into
 * the repository) become phone-style YUV_420_888 planes, then NV21 frames through {@code Yuv420},
 * then the same FaceRecognizer as the desktop, with the gallery encrypted on disk.
 */
class FacePipelineTest {
  private static final String DIR = "faces/face_recognition_examples/";

  private static FacePipeline open(Path gallery, SecretKey key) throws Exception {
    return FacePipeline.open(
        ModelSource.of(SharedResources.model("face_detection_yunet_2026may.onnx")),
        ModelSource.of(SharedResources.model("mobilefacenet_arcface_128d.onnx")),
        List.of(ExecutionProvider.CPU),
        gallery,
        key);
  }

  private static CameraPlanes photo(String file) throws Exception {
    Path p = SharedResources.data(DIR + file);
    return CameraPlanes.fromPhoto(Files.readAllBytes(p), p.toString());
  }

  @ParameterizedTest(name = "enrol {0}, probe {1}: same={2}")
  @CsvSource({
    // the same person, another photo
    "obama.jpg, obama2.jpg, true",
    // the same person, a third photo
    "biden.jpg, biden2.jpg, true",
    // another person
    "obama.jpg, biden.jpg, false",
    // another person, the other way round
    "biden.jpg, obama2.jpg, false"
  })
  void enrolsFromOnePhotoAndVerifiesAnother(
      String enrol, String probe, boolean same, @TempDir Path dir) throws Exception {
    SecretKey key = FaceGallery.aesKey(new byte[32]);
    Path gallery = dir.resolve("faces.gallery");
    try (FacePipeline faces = open(gallery, key)) {
      assertThat(faces.enrol(photo(enrol).toNv21(), "person")).as("a face in " + enrol).isPresent();
      Optional<Verification> v = faces.verify(photo(probe).toNv21(), "person");
      assertThat(v).as("a face in " + probe).isPresent();
      assertThat(v.get().same()).as("similarity %s", v.get().similarity()).isEqualTo(same);
    }
    assertThat(gallery).isRegularFile();
    // encrypted at rest: reopening with the key finds the identity, without it the file does not
    // load
    try (FacePipeline again = open(gallery, key)) {
      assertThat(again.identities()).containsExactly("person");
    }
    assertThatThrownBy(() -> FaceGallery.load(gallery)).isInstanceOf(EdgeVisionException.class);
  }

  @Test
  void identifiesEnrolledPeopleAndRejectsUnknownIdentity(@TempDir Path dir) throws Exception {
    try (FacePipeline faces = open(dir.resolve("g"), FaceGallery.aesKey(new byte[32]))) {
      faces.enrol(photo("obama.jpg").toNv21(), "obama");
      faces.enrol(photo("biden.jpg").toNv21(), "biden");
      FacePipeline.Identified id =
          faces.identifyAll(photo("obama2.jpg").toNv21(), Budget.ofMillis(60_000));
      assertThat(id.outcome()).isEqualTo(Outcome.COMPLETED);
      List<FacePipeline.Recognition> r = id.faces();
      assertThat(r).isNotEmpty();
      assertThat(r.get(0).identification().best())
          .hasValueSatisfying(m -> assertThat(m.identity()).isEqualTo("obama"));
      assertThatThrownBy(() -> faces.verify(photo("obama2.jpg").toNv21(), "nobody"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("expected an enrolled identity, got 'nobody'");
      // a budget that has already run out: an outcome, no faces, no exception
      FacePipeline.Identified late =
          faces.identifyAll(photo("obama2.jpg").toNv21(), Budget.deadline(System.nanoTime() - 1));
      assertThat(late.outcome()).isEqualTo(Outcome.REJECTED);
      assertThat(late.faces()).isEmpty();
    }
  }
}
