package io.edgevision.detectors.face;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgevision.core.ImageFrame;
import io.edgevision.core.ImageFrames;
import io.edgevision.core.ModelSource;
import io.edgevision.core.OpenCvLoader;
import io.edgevision.core.PixelFormat;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.opencv.core.Mat;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;
import org.opencv.objdetect.FaceDetectorYN;

/**
 * Our YuNet decoding (ONNX Runtime + {@link FaceDecoder}) against OpenCV 4.9's own {@code
 * FaceDetectorYN} (OpenCV DNN + its C++ decoder) on the same pixels: every photo of both shared
 * face sets, fitted into 640x640 once (the same Mat for both). Boxes and landmarks must agree
 * within 1 px, scores within 0.01.
 */
class YuNetOpenCvParityTest {
  static final float SCORE = 0.6f;
  static final float NMS = 0.3f;

  @Test
  void boxesAndLandmarksWithinOnePixelOfFaceDetectorYN() {
    Path model = FaceImages.model(FaceImages.YUNET);
    List<Path> photos = new ArrayList<>(FaceImages.deepface());
    photos.addAll(FaceImages.examples());
    OpenCvLoader.ensureLoaded();
    FaceDetectorYN opencv =
        FaceDetectorYN.create(model.toString(), "", new Size(320, 320), SCORE, NMS, 5000);
    int compared = 0;
    double worst = 0;
    try (FaceDetector ours =
        FaceDetector.builder(ModelSource.of(model))
            .family(FaceDetectorFamily.YUNET)
            .nativeScale()
            .scoreThreshold(SCORE)
            .nmsThreshold(NMS)
            .topK(5000)
            .build()) {
      for (Path p : photos) {
        Mat full = ImageFrames.toBgrMat(ImageFrames.read(p));
        Mat img = new Mat();
        Mat faces = new Mat();
        try {
          double s = Math.min(640.0 / full.cols(), 640.0 / full.rows());
          Imgproc.resize(
              full,
              img,
              new Size(Math.round(full.cols() * s), Math.round(full.rows() * s)),
              0,
              0,
              Imgproc.INTER_AREA);
          opencv.setInputSize(img.size());
          opencv.detect(img, faces);
          ImageFrame frame = ImageFrames.fromMat(img, PixelFormat.BGR);
          List<Face> mine = ours.detect(frame);
          assertThat(mine).as(p.getFileName() + " face count").hasSize(faces.rows());
          for (int r = 0; r < faces.rows(); r++) {
            float[] cv = new float[15];
            faces.get(r, 0, cv);
            Face match = closest(mine, cv);
            float[] got = {
              match.box().x1(), match.box().y1(), match.box().width(), match.box().height()
            };
            for (int k = 0; k < 4; k++) {
              worst = Math.max(worst, Math.abs(got[k] - cv[k]));
              assertThat(got[k])
                  .as(p.getFileName() + " box[" + k + "]")
                  .isCloseTo(cv[k], org.assertj.core.api.Assertions.within(1f));
            }
            for (int j = 0; j < 5; j++) {
              Keypoint kp = match.landmarks().points().get(j);
              worst =
                  Math.max(
                      worst,
                      Math.max(Math.abs(kp.x() - cv[4 + 2 * j]), Math.abs(kp.y() - cv[5 + 2 * j])));
              assertThat(kp.x())
                  .as(p.getFileName() + " lm" + j + ".x")
                  .isCloseTo(cv[4 + 2 * j], org.assertj.core.api.Assertions.within(1f));
              assertThat(kp.y())
                  .as(p.getFileName() + " lm" + j + ".y")
                  .isCloseTo(cv[5 + 2 * j], org.assertj.core.api.Assertions.within(1f));
            }
            assertThat(match.score())
                .isCloseTo(cv[14], org.assertj.core.api.Assertions.within(0.01f));
            compared++;
          }
        } finally {
          full.release();
          img.release();
          faces.release();
        }
      }
    }
    // 25 deepface portraits (1 face each) + 11 examples (at least one face each) were compared
    assertThat(compared).isGreaterThanOrEqualTo(36);
    System.out.printf(
        "YuNet parity: %d faces compared, worst coordinate difference %.4f px%n", compared, worst);
  }

  private static Face closest(List<Face> faces, float[] cv) {
    Face best = faces.get(0);
    double bestD = Double.MAX_VALUE;
    for (Face f : faces) {
      double d = Math.abs(f.box().x1() - cv[0]) + Math.abs(f.box().y1() - cv[1]);
      if (d < bestD) {
        bestD = d;
        best = f;
      }
    }
    return best;
  }
}
