package io.edgevision.detectors.face;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.edgevision.core.EdgeVisionException;
import io.edgevision.core.ErrorCode;
import io.edgevision.core.ImageFrames;
import io.edgevision.core.ModelDescriptor;
import io.edgevision.core.ModelSource;
import io.edgevision.core.OpenCvLoader;
import io.edgevision.core.testing.TestModels;
import io.edgevision.postprocess.Box;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.dnn.Dnn;
import org.opencv.dnn.Net;
import org.opencv.imgproc.Imgproc;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FaceEmbedderTest {
  FaceDetector detector;
  FaceEmbedder embedder;
  List<AlignedFace> crops = new ArrayList<>();

  @BeforeAll
  void open() {
    detector = FaceDetector.builder(ModelSource.of(FaceImages.model(FaceImages.SCRFD))).build();
    embedder =
        FaceEmbedder.builder(ModelSource.of(FaceImages.model(FaceImages.MOBILEFACENET))).build();
    for (Path p : FaceImages.deepface()) {
      var frame = ImageFrames.read(p);
      crops.add(FaceAligner.arcFace().align(frame, detector.detect(frame).get(0)));
    }
  }

  @AfterAll
  void close() {
    if (detector != null) {
      detector.close();
    }
    if (embedder != null) {
      embedder.close();
    }
  }

  @Test
  void mobileFaceNetIsRecognisedAs128dWithAStaticBatch() {
    assertThat(embedder.dimension()).isEqualTo(128);
    assertThat(embedder.batchesFaces()).isFalse();
    assertThat(embedder.maxBatch()).isEqualTo(1);
    assertThat(embedder.model().modelSha256())
        .isEqualTo("93fac2c9747e612f4f491c7842563a515ee2b6c237d9fee05e96291b07ac6019");
  }

  @Test
  void embeddingsMatchOpenCvDnnOnTheSameAlignedCrops() {
    OpenCvLoader.ensureLoaded();
    Net net = Dnn.readNetFromONNX(FaceImages.model(FaceImages.MOBILEFACENET).toString());
    double worst = 1;
    for (AlignedFace crop : crops) {
      Embedding ours = embedder.embed(crop);
      float[] ref = openCvEmbedding(net, crop);
      double dot = 0;
      double n = 0;
      for (int i = 0; i < 128; i++) {
        dot += ours.get(i) * ref[i];
        n += (double) ref[i] * ref[i];
      }
      double cos = dot / Math.sqrt(n);
      worst = Math.min(worst, cos);
      assertThat(cos).as(crop.toString()).isGreaterThanOrEqualTo(0.9999);
    }
    System.out.printf(
        "MobileFaceNet ORT vs OpenCV DNN: %d crops, worst cosine %.7f%n", crops.size(), worst);
  }

  /** OpenCV DNN reference: BGR→RGB, /255, ImageNet mean/std, NCHW blob, forward. */
  static float[] openCvEmbedding(Net net, AlignedFace crop) {
    Mat bgr = ImageFrames.toBgrMat(crop.image());
    Mat rgb = new Mat();
    Mat f = new Mat();
    Imgproc.cvtColor(bgr, rgb, Imgproc.COLOR_BGR2RGB);
    rgb.convertTo(f, CvType.CV_32FC3, 1 / 255.0);
    Core.subtract(f, new Scalar(0.485, 0.456, 0.406), f);
    Core.divide(f, new Scalar(0.229, 0.224, 0.225), f);
    Mat blob = Dnn.blobFromImage(f, 1.0, new Size(112, 112), new Scalar(0, 0, 0), false, false);
    net.setInput(blob);
    Mat out = net.forward();
    float[] v = new float[128];
    out.reshape(1, 1).get(0, 0, v);
    for (Mat m : new Mat[] {bgr, rgb, f, blob, out}) {
      m.release();
    }
    return v;
  }

  @Test
  void staticBatchRunsOncePerFace() {
    long before = embedder.session().stats().calls();
    List<Embedding> all = embedder.embedAll(crops.subList(0, 3));
    assertThat(embedder.session().stats().calls() - before).isEqualTo(3);
    for (int i = 0; i < 3; i++) {
      assertThat(all.get(i)).isEqualTo(embedder.embed(crops.get(i)));
      double norm = 0;
      for (float v : all.get(i).vector()) {
        norm += v * v;
      }
      assertThat(norm).isCloseTo(1.0, within(1e-5));
    }
  }

  @Test
  void dynamicBatchRunsSeveralFacesAtOnce() {
    // echo.onnx: [N,3,H,W] → same tensor, all dims dynamic: an "embedding" of the preprocessed 8x8
    // pixels.
    ModelDescriptor d =
        ModelDescriptor.builder()
            .inputSize(8, 8)
            .resize(ModelDescriptor.ResizeMode.STRETCH)
            .color(ModelDescriptor.ColorOrder.RGB)
            .scale(1 / 255.0)
            .mean(0.5f, 0.5f, 0.5f)
            .build();
    try (FaceEmbedder echo =
        FaceEmbedder.builder(ModelSource.of(TestModels.path("echo.onnx")))
            .descriptor(d)
            .maxBatch(2)
            .build()) {
      assertThat(echo.batchesFaces()).isTrue();
      assertThat(echo.dimension()).isEqualTo(3 * 8 * 8);
      long before = echo.session().stats().calls();
      List<Embedding> batched = echo.embedAll(crops.subList(0, 5));
      // 5 faces in chunks of 2 → 3 runs
      assertThat(echo.session().stats().calls() - before).isEqualTo(3);
      for (int i = 0; i < 5; i++) {
        assertThat(batched.get(i).vector())
            .containsExactly(echo.embed(crops.get(i)).vector(), within(1e-6f));
      }
    }
  }

  @Test
  void nanEmbeddingIsAnError() {
    // nan_output.onnx: [1,3,16,16] → sqrt(-1 - x): NaN everywhere (the seed system's broken
    // ArcFace).
    try (FaceEmbedder nan =
        FaceEmbedder.builder(ModelSource.of(TestModels.path("nan_output.onnx")))
            .descriptor(ModelDescriptor.builder().build())
            .build()) {
      assertThatThrownBy(() -> nan.embed(crops.get(0)))
          .isInstanceOf(EdgeVisionException.class)
          .satisfies(
              e -> assertThat(((EdgeVisionException) e).code()).isEqualTo(ErrorCode.INVALID_OUTPUT))
          .hasMessageContaining("NaN");
    }
  }

  @Test
  void aModelThatIsNotAnEmbedderIsRefused() {
    // token_input.onnx takes int64 tokens, no image
    assertThatThrownBy(
            () -> FaceEmbedder.builder(ModelSource.of(TestModels.path("token_input.onnx"))).build())
        .isInstanceOf(EdgeVisionException.class);
  }

  @Test
  void faceAtTheBorderStillEmbeds() {
    // A face half outside the frame: alignment pads, the embedding is finite and unit length.
    var frame = ImageFrames.read(FaceImages.deepface().get(4));
    Face f = detector.detect(frame).get(0);
    float dx = -f.box().centreX();
    float[] xy = new float[10];
    for (int i = 0; i < 5; i++) {
      xy[2 * i] = f.landmarks().points().get(i).x() + dx;
      xy[2 * i + 1] = f.landmarks().points().get(i).y();
    }
    Face shifted =
        new Face(
            new Box(f.box().x1() + dx, f.box().y1(), f.box().x2() + dx, f.box().y2()),
            f.score(),
            Landmarks.of(xy));
    Embedding e = embedder.embed(FaceAligner.arcFace().align(frame, shifted));
    assertThat(e.dimension()).isEqualTo(128);
  }
}
