package io.edgevision.detectors.face;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgevision.core.EdgeVisionException;
import io.edgevision.core.ImageFrame;
import io.edgevision.core.ImageFrames;
import io.edgevision.core.ModelSource;
import io.edgevision.core.testing.SharedResources;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The whole pipeline on the shared deepface set (38 same / 262 different pairs) with both detector
 * families.
 */
class FaceRecognizerRealModelTest {
  static FaceRecognizer recognizer(String detector) {
    return FaceRecognizer.builder(
            ModelSource.of(FaceImages.model(detector)),
            ModelSource.of(FaceImages.model(FaceImages.MOBILEFACENET)))
        .build();
  }

  static Map<String, Embedding> embedAll(FaceRecognizer r) {
    Map<String, Embedding> out = new LinkedHashMap<>();
    for (Path p : FaceImages.deepface()) {
      out.put(
          p.getFileName().toString(),
          r.mostProminent(ImageFrames.read(p)).orElseThrow().embedding());
    }
    return out;
  }

  static Stream<Arguments> detectors() {
    return Stream.of(Arguments.of(FaceImages.SCRFD), Arguments.of(FaceImages.YUNET));
  }

  @ParameterizedTest
  @MethodSource("detectors")
  void deepfacePairsAreSeparatedPerfectly(String detector) throws IOException {
    try (FaceRecognizer r = recognizer(detector)) {
      Map<String, Embedding> e = embedAll(r);
      List<String> lines = Files.readAllLines(SharedResources.data("faces/deepface/pairs.csv"));
      List<Double> scores = new ArrayList<>();
      List<Boolean> same = new ArrayList<>();
      int correctAtDefault = 0;
      for (String line : lines.subList(1, lines.size())) {
        String[] c = line.split(",");
        Verification v = r.verify(e.get(c[0]), e.get(c[1]));
        boolean truth = c[2].trim().equals("Yes");
        scores.add((double) v.similarity());
        same.add(truth);
        correctAtDefault += v.same() == truth ? 1 : 0;
      }
      double[] s = scores.stream().mapToDouble(Double::doubleValue).toArray();
      boolean[] y = new boolean[same.size()];
      for (int i = 0; i < y.length; i++) {
        y[i] = same.get(i);
      }
      VerificationMetrics m = VerificationMetrics.compute(s, y, VerificationMetrics.DEFAULT_FARS);
      System.out.printf(
          "%s + MobileFaceNet: AUC %.4f, best accuracy %.4f at %.3f, accuracy at 0.45 %d/%d, TAR@FAR %s%n",
          detector,
          m.auc(),
          m.bestAccuracy(),
          m.bestThreshold(),
          correctAtDefault,
          s.length,
          m.tarAtFar());
      assertThat(m.positives()).isEqualTo(38);
      // MANIFEST says 261 different-person pairs; the file holds 262 (300 pairs, the last line
      // without a newline)
      assertThat(m.negatives()).isEqualTo(262);
      assertThat(m.auc()).isEqualTo(1.0); // the measured baseline
      assertThat(m.bestAccuracy()).isEqualTo(1.0);
      assertThat(correctAtDefault).isEqualTo(300); // the default threshold 0.45 separates this set
    }
  }

  @Test
  void identifyFindsEveryEnrolledIdentityAndRejectsStrangers() throws IOException {
    // Enrol the first photo of each identity cluster but one (id08 stays a stranger); probe with
    // the others.
    Map<String, String> identity = new HashMap<>();
    for (String line :
        Files.readAllLines(SharedResources.data("faces/deepface/identities.csv")).subList(1, 26)) {
      identity.put(line.split(",")[0], line.split(",")[1]);
    }
    try (FaceRecognizer r = recognizer(FaceImages.SCRFD)) {
      Map<String, Embedding> e = embedAll(r);
      FaceGallery g = r.newGallery();
      List<String> probes = new ArrayList<>();
      for (var entry : e.entrySet()) {
        String id = identity.get(entry.getKey());
        if (!id.equals("id08") && g.embeddingCount(id) == 0) {
          g.enroll(id, entry.getValue());
        } else {
          probes.add(entry.getKey());
        }
      }
      assertThat(g.size()).isEqualTo(8);
      for (String p : probes) {
        Identification id = r.identify(e.get(p), g);
        if (identity.get(p).equals("id08")) {
          assertThat(id.isUnknown()).as(p + " is a stranger").isTrue();
        } else {
          assertThat(id.best()).as(p).isPresent();
          assertThat(id.best().get().identity()).as(p).isEqualTo(identity.get(p));
        }
      }
    }
  }

  @Test
  void mostProminentPicksTheLargestFaceOfAGroupPhoto() {
    try (FaceRecognizer r = recognizer(FaceImages.SCRFD)) {
      ImageFrame group = ImageFrames.read(FaceImages.example("obama_and_biden.jpg"));
      List<Face> faces = r.detect(group);
      assertThat(faces).hasSize(3);
      Face largest =
          faces.stream()
              .max(java.util.Comparator.comparingDouble(f -> f.box().area()))
              .orElseThrow();
      assertThat(r.mostProminent(group).orElseThrow().face()).isEqualTo(largest);
      assertThat(r.recognize(group)).hasSize(3);
    }
  }

  @Test
  void aFrameWithoutFacesGivesNothing() {
    try (FaceRecognizer r = recognizer(FaceImages.YUNET)) {
      ImageFrame grey =
          ImageFrame.wrap(
              java.nio.ByteBuffer.allocateDirect(64 * 48 * 3),
              64,
              48,
              io.edgevision.core.PixelFormat.BGR);
      assertThat(r.recognize(grey)).isEmpty();
      assertThat(r.mostProminent(grey)).isEmpty();
    }
  }

  @Test
  void sharedBetweenThreadsGivesTheSameEmbeddings() throws Exception {
    try (FaceRecognizer r = recognizer(FaceImages.SCRFD)) {
      List<Path> photos = FaceImages.deepface().subList(0, 6);
      List<Embedding> serial = new ArrayList<>();
      for (Path p : photos) {
        serial.add(r.mostProminent(ImageFrames.read(p)).orElseThrow().embedding());
      }
      ExecutorService pool = Executors.newFixedThreadPool(3);
      try {
        List<Future<Embedding>> futures = new ArrayList<>();
        for (Path p : photos) {
          futures.add(
              pool.submit(() -> r.mostProminent(ImageFrames.read(p)).orElseThrow().embedding()));
        }
        for (int i = 0; i < photos.size(); i++) {
          assertThat(futures.get(i).get().similarity(serial.get(i))).isGreaterThan(0.99999f);
        }
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @Test
  void alignerSizeMustMatchTheEmbedderInput() {
    try (FaceDetector d =
            FaceDetector.builder(ModelSource.of(FaceImages.model(FaceImages.YUNET))).build();
        FaceEmbedder e =
            FaceEmbedder.builder(ModelSource.of(FaceImages.model(FaceImages.MOBILEFACENET)))
                .build()) {
      FaceRecognizer.Options wrong =
          new FaceRecognizer.Options(
              FaceAligner.of(FaceAligner.arcFaceTemplate(128), 128, 128), 0.45f, 0.45f, 5);
      assertThatThrownBy(() -> FaceRecognizer.create(d, e, wrong))
          .isInstanceOf(EdgeVisionException.class)
          .hasMessageContaining("128x128");
      // a borrowed detector/embedder stays open after the recognizer is closed
      FaceRecognizer.create(d, e, FaceRecognizer.Options.DEFAULTS).close();
      assertThat(d.session().isClosed()).isFalse();
      assertThat(e.session().isClosed()).isFalse();
    }
  }
}
