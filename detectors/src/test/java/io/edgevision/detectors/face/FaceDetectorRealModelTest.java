package io.edgevision.detectors.face;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.edgevision.core.ImageFrame;
import io.edgevision.core.ImageFrames;
import io.edgevision.core.ModelSource;
import io.edgevision.core.OpenCvLoader;
import io.edgevision.core.PixelFormat;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.opencv.core.Mat;
import org.opencv.imgproc.Imgproc;

/** SCRFD and YuNet on the shared photos: counts, bad input, conversions. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FaceDetectorRealModelTest {
  FaceDetector scrfd;
  FaceDetector yunet;

  @BeforeAll
  void open() {
    scrfd = FaceDetector.builder(ModelSource.of(FaceImages.model(FaceImages.SCRFD))).build();
    yunet = FaceDetector.builder(ModelSource.of(FaceImages.model(FaceImages.YUNET))).build();
  }

  @AfterAll
  void close() {
    if (scrfd != null) {
      scrfd.close();
    }
    if (yunet != null) {
      yunet.close();
    }
  }

  FaceDetector detector(String family) {
    return family.equals("scrfd") ? scrfd : yunet;
  }

  @Test
  void familiesAreRecognisedFromTheIoSignature() {
    assertThat(scrfd.family()).isEqualTo(FaceDetectorFamily.SCRFD);
    assertThat(yunet.family()).isEqualTo(FaceDetectorFamily.YUNET);
    // YuNet was built with SCRFD expected first: the reload must have given it BGR raw-pixel
    // preprocessing.
    assertThat(yunet.session().model().descriptor().color())
        .isEqualTo(io.edgevision.core.ModelDescriptor.ColorOrder.BGR);
    assertThat(yunet.session().model().descriptor().scale()).isEqualTo(1f);
  }

  @Test
  void det25gIsAlsoRecognisedAndFindsTheFace() {
    try (FaceDetector d =
        FaceDetector.builder(ModelSource.of(FaceImages.model(FaceImages.SCRFD_25G))).build()) {
      assertThat(d.family()).isEqualTo(FaceDetectorFamily.SCRFD);
      assertThat(d.detect(ImageFrames.read(FaceImages.deepface().get(0)))).hasSize(1);
    }
  }

  static Stream<Arguments> families() {
    return Stream.of(Arguments.of("scrfd"), Arguments.of("yunet"));
  }

  @ParameterizedTest
  @MethodSource("families")
  void everyDeepfacePortraitHasExactlyOneFace(String family) {
    for (Path p : FaceImages.deepface()) {
      ImageFrame f = ImageFrames.read(p);
      List<Face> faces = detector(family).detect(f);
      assertThat(faces).as(p.getFileName().toString()).hasSize(1);
      Face face = faces.get(0);
      // the landmarks lie inside the box, eyes above the mouth corners
      assertThat(face.landmarks().points())
          .allSatisfy(
              k -> {
                assertThat(k.x()).isBetween(face.box().x1(), face.box().x2());
                assertThat(k.y()).isBetween(face.box().y1(), face.box().y2());
              });
      assertThat(face.landmarks().rightEye().y()).isLessThan(face.landmarks().rightMouth().y());
      assertThat(face.landmarks().rightEye().x()).isLessThan(face.landmarks().leftEye().x());
    }
  }

  static Stream<Arguments> multiFace() {
    return Stream.of(
        // obama_and_biden: SCRFD finds 3 faces (MANIFEST)
        Arguments.of("scrfd", "obama_and_biden.jpg", 3),
        // kit_with_rose: 2 faces
        Arguments.of("scrfd", "kit_with_rose.jpg", 2),
        Arguments.of("yunet", "kit_with_rose.jpg", 2));
  }

  @ParameterizedTest
  @MethodSource("multiFace")
  void severalFacesAreAllReturnedBestFirst(String family, String file, int count) {
    List<Face> faces = detector(family).detect(ImageFrames.read(FaceImages.example(file)));
    assertThat(faces).hasSize(count);
    for (int i = 1; i < faces.size(); i++) {
      assertThat(faces.get(i).score()).isLessThanOrEqualTo(faces.get(i - 1).score());
    }
  }

  static Stream<Arguments> conversions() {
    return Stream.of(
        // grayscale frame: converted by the session, the face is still found near the same place
        Arguments.of("scrfd", PixelFormat.GRAY, Imgproc.COLOR_BGR2GRAY),
        Arguments.of("yunet", PixelFormat.GRAY, Imgproc.COLOR_BGR2GRAY),
        // 4-channel BGRA and RGBA frames
        Arguments.of("scrfd", PixelFormat.BGRA, Imgproc.COLOR_BGR2BGRA),
        Arguments.of("yunet", PixelFormat.RGBA, Imgproc.COLOR_BGR2RGBA));
  }

  @ParameterizedTest
  @MethodSource("conversions")
  void grayAndFourChannelFramesAreConverted(String family, PixelFormat format, int code) {
    ImageFrame bgr = ImageFrames.read(FaceImages.deepface().get(17));
    Face reference = detector(family).detect(bgr).get(0);
    OpenCvLoader.ensureLoaded();
    Mat src = ImageFrames.toBgrMat(bgr);
    Mat converted = new Mat();
    try {
      Imgproc.cvtColor(src, converted, code);
      List<Face> faces = detector(family).detect(ImageFrames.fromMat(converted, format));
      assertThat(faces).hasSize(1);
      float tolerance =
          format == PixelFormat.GRAY ? 12f : 0.5f; // gray changes the pixels, 4-channel does not
      assertThat(faces.get(0).box().x1()).isCloseTo(reference.box().x1(), within(tolerance));
      assertThat(faces.get(0).box().y2()).isCloseTo(reference.box().y2(), within(tolerance));
    } finally {
      src.release();
      converted.release();
    }
  }

  static Stream<Arguments> noFace() {
    return Stream.of(
        // 1x1 image
        Arguments.of("scrfd", 1, 1), Arguments.of("yunet", 1, 1),
        // 7x5 image, not a multiple of anything
        Arguments.of("scrfd", 7, 5), Arguments.of("yunet", 7, 5),
        // a uniform grey 320x240 frame
        Arguments.of("scrfd", 320, 240), Arguments.of("yunet", 320, 240));
  }

  @ParameterizedTest
  @MethodSource("noFace")
  void tinyOrEmptyImagesGiveAnEmptyResult(String family, int w, int h) {
    ByteBuffer grey = ByteBuffer.allocateDirect(w * h * 3);
    for (int i = 0; i < w * h * 3; i++) {
      grey.put(i, (byte) 128);
    }
    assertThat(detector(family).detect(ImageFrame.wrap(grey, w, h, PixelFormat.BGR))).isEmpty();
  }

  @ParameterizedTest
  @MethodSource("families")
  void nativeScaleAndFittedScaleAgreeOnASmallImage(String family) {
    // img5 is 330x512: fitted into 640x640 it is enlarged x1.25; at native scale only padded.
    ImageFrame f = ImageFrames.read(FaceImages.deepface().get(4));
    try (FaceDetector nativeScale =
        FaceDetector.builder(
                ModelSource.of(
                    FaceImages.model(family.equals("scrfd") ? FaceImages.SCRFD : FaceImages.YUNET)))
            .family(detector(family).family())
            .nativeScale()
            .build()) {
      Face a = nativeScale.detect(f).get(0);
      Face b = detector(family).detect(f).get(0);
      assertThat(a.box().centreX()).isCloseTo(b.box().centreX(), within(8f));
      assertThat(a.landmarks().nose().y()).isCloseTo(b.landmarks().nose().y(), within(8f));
    }
  }
}
