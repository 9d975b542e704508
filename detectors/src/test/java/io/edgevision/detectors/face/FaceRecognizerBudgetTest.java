package io.edgevision.detectors.face;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgevision.core.Budget;
import io.edgevision.core.ImageFrame;
import io.edgevision.core.ImageFrames;
import io.edgevision.core.InferenceResult;
import io.edgevision.core.ModelSource;
import io.edgevision.core.Outcome;
import io.edgevision.core.PixelFormat;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.opencv.core.Mat;
import org.opencv.core.Rect;
import org.opencv.imgproc.Imgproc;

/**
 * {@link FaceRecognizer#recognize(ImageFrame, Budget)}: a budget like detection has, and camera
 * NV21 frames as input (the Android app's frames), with the real models from {@code ../shared}.
 */
class FaceRecognizerBudgetTest {
  private static FaceRecognizer recognizer;

  @BeforeAll
  static void open() {
    recognizer =
        FaceRecognizer.builder(
                ModelSource.of(FaceImages.model(FaceImages.YUNET)),
                ModelSource.of(FaceImages.model(FaceImages.MOBILEFACENET)))
            .build();
  }

  @AfterAll
  static void close() {
    if (recognizer != null) {
      recognizer.close();
    }
  }

  /**
   * The photo as an NV21 frame (OpenCV BGR to I420, chroma interleaved V,U), cropped to even
   * dimensions.
   */
  static ImageFrame nv21(ImageFrame bgr) {
    int w = bgr.width() & ~1;
    int h = bgr.height() & ~1;
    Mat m = ImageFrames.toBgrMat(bgr);
    Mat i420 = new Mat();
    try {
      Imgproc.cvtColor(m.submat(new Rect(0, 0, w, h)), i420, Imgproc.COLOR_BGR2YUV_I420);
      byte[] yuv = new byte[w * h * 3 / 2];
      i420.get(0, 0, yuv);
      byte[] nv21 = new byte[yuv.length];
      System.arraycopy(yuv, 0, nv21, 0, w * h);
      int q = w * h / 4;
      for (int i = 0; i < q; i++) {
        nv21[w * h + 2 * i] = yuv[w * h + q + i];
        nv21[w * h + 2 * i + 1] = yuv[w * h + i];
      }
      return ImageFrame.wrap(ByteBuffer.wrap(nv21), w, h, PixelFormat.NV21);
    } finally {
      m.release();
      i420.release();
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"obama.jpg", "biden.jpg", "kit_harington_john1.jpeg"})
  void unlimitedBudgetGivesWhatTheUnbudgetedCallGives(String file) {
    ImageFrame bgr = ImageFrames.read(FaceImages.example(file));
    InferenceResult<List<RecognizedFace>> r = recognizer.recognize(bgr, Budget.unlimited());
    List<RecognizedFace> plain = recognizer.recognize(bgr);
    assertThat(r.outcome()).isEqualTo(Outcome.COMPLETED);
    assertThat(r.get()).hasSameSizeAs(plain).isNotEmpty();
    for (int i = 0; i < plain.size(); i++) {
      assertThat(r.get().get(i).face()).isEqualTo(plain.get(i).face());
      assertThat(r.get().get(i).embedding().similarity(plain.get(i).embedding()))
          .isGreaterThan(0.9999f);
    }
    assertThat(r.timings().inferenceNanos()).isPositive();
  }

  @ParameterizedTest(name = "{0} vs {1}: same={2}")
  @CsvSource({
    // same person, NV21 probe against a BGR enrolment
    "obama.jpg, obama2.jpg, true",
    "biden.jpg, biden2.jpg, true",
    // different people
    "obama.jpg, biden.jpg, false"
  })
  void nv21CameraFramesVerifyLikeBgrPhotos(String enrolled, String probe, boolean same) {
    Embedding a =
        recognizer
            .mostProminent(ImageFrames.read(FaceImages.example(enrolled)))
            .orElseThrow()
            .embedding();
    InferenceResult<List<RecognizedFace>> r =
        recognizer.recognize(
            nv21(ImageFrames.read(FaceImages.example(probe))), Budget.ofMillis(60_000));
    assertThat(r.outcome()).isEqualTo(Outcome.COMPLETED);
    RecognizedFace b =
        r.get().stream()
            .min((x, y) -> Face.MOST_PROMINENT_FIRST.compare(x.face(), y.face()))
            .orElseThrow();
    assertThat(recognizer.verify(a, b.embedding()).same()).isEqualTo(same);
  }

  @Test
  void nv21AndBgrOfTheSamePhotoEmbedAlike() {
    ImageFrame bgr = ImageFrames.read(FaceImages.example("obama.jpg"));
    Embedding fromBgr = recognizer.mostProminent(bgr).orElseThrow().embedding();
    InferenceResult<List<RecognizedFace>> r = recognizer.recognize(nv21(bgr), Budget.unlimited());
    // chroma subsampling changes pixels slightly, not who it is
    assertThat(r.get().get(0).embedding().similarity(fromBgr)).isGreaterThan(0.9f);
  }

  @Test
  void expiredBudgetIsAnOutcomeWithoutValueNotAnException() {
    ImageFrame bgr = ImageFrames.read(FaceImages.example("obama.jpg"));
    recognizer.recognize(bgr, Budget.unlimited()); // warm up so admission has an estimate
    InferenceResult<List<RecognizedFace>> r =
        recognizer.recognize(bgr, Budget.deadline(System.nanoTime() - 1));
    assertThat(r.outcome()).isIn(Outcome.REJECTED, Outcome.CANCELLED);
    assertThat(r.value()).isEmpty();
    assertThat(r.message()).startsWith("detector: ");
  }
}
