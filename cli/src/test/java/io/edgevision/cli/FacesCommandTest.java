package io.edgevision.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgevision.core.ImageFrame;
import io.edgevision.core.ImageFrames;
import io.edgevision.core.testing.SharedResources;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/** {@code faces} through picocli, on the shared photos; models passed explicitly. */
class FacesCommandTest {
  record Run(int code, String out, String err) {}

  @TempDir Path dir;

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = new CommandLine(new FacesCommand());
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int code = cl.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  static String[] withModels(String detector, String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--detector");
    all.add(SharedResources.model(detector).toString());
    all.add("--embedder");
    all.add(SharedResources.model("mobilefacenet_arcface_128d.onnx").toString());
    return all.toArray(String[]::new);
  }

  static String deepface(String f) {
    return SharedResources.data("faces/deepface/" + f).toString();
  }

  static String example(String f) {
    return SharedResources.data("faces/face_recognition_examples/" + f).toString();
  }

  static JsonNode json(Run r) throws Exception {
    assertThat(r.code()).as(r.err()).isZero();
    return new ObjectMapper().readTree(r.out());
  }

  static Stream<Arguments> pairs() {
    return Stream.of(
        // same person (img1 / img2, identity id00), SCRFD
        Arguments.of("det_500m.onnx", "img1.jpg", "img2.jpg", true),
        // different people (img1 / img3), SCRFD
        Arguments.of("det_500m.onnx", "img1.jpg", "img3.jpg", false),
        // same person with YuNet (img18 / img19)
        Arguments.of("face_detection_yunet_2026may.onnx", "img18.jpg", "img19.jpg", true));
  }

  @ParameterizedTest
  @MethodSource("pairs")
  void verifyJson(String detector, String a, String b, boolean same) throws Exception {
    JsonNode j = json(run(withModels(detector, "verify", deepface(a), deepface(b), "--json")));
    assertThat(j.get("same").asBoolean()).isEqualTo(same);
    assertThat(j.get("threshold").asDouble())
        .isEqualTo(0.45, org.assertj.core.api.Assertions.within(1e-6));
    assertThat(j.get("similarity").asDouble()).isBetween(-1.0, 1.0);
    assertThat(j.get("similarity").asDouble() >= 0.45).isEqualTo(same);
    assertThat(j.get("fingerprint").get("embedder").get("model_sha256").asText())
        .isEqualTo("93fac2c9747e612f4f491c7842563a515ee2b6c237d9fee05e96291b07ac6019");
    assertThat(j.get("fingerprint").get("detector").get("model_sha256").asText()).hasSize(64);
    assertThat(j.get("a").get("faces").asInt()).isEqualTo(1);
  }

  @Test
  void verifyWithSeveralFacesSaysWhichOneAndDraws() throws Exception {
    Path png = dir.resolve("verify.png");
    Run r =
        run(
            withModels(
                "det_500m.onnx",
                "verify",
                example("obama_and_biden.jpg"),
                example("obama.jpg"),
                "--out",
                png.toString()));
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("the most prominent of 3 faces");
    ImageFrame drawn = ImageFrames.read(png);
    assertThat(drawn.width())
        .isGreaterThan(ImageFrames.read(Path.of(example("obama.jpg"))).width());
  }

  @Test
  void enrollIdentifyRoundTripWithEncryptionAndDrawing() throws Exception {
    Path gallery = dir.resolve("staff.evg");
    Path key = dir.resolve("key.hex");
    Files.writeString(key, "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff\n");
    JsonNode e1 =
        json(
            run(
                withModels(
                    "det_500m.onnx",
                    "enroll",
                    "--gallery",
                    gallery.toString(),
                    "--id",
                    "obama",
                    "--key-file",
                    key.toString(),
                    example("obama.jpg"),
                    example("obama2.jpg"),
                    "--json")));
    assertThat(e1.get("enrolled").asInt()).isEqualTo(2);
    assertThat(e1.get("encrypted").asBoolean()).isTrue();
    JsonNode e2 =
        json(
            run(
                withModels(
                    "det_500m.onnx",
                    "enroll",
                    "--gallery",
                    gallery.toString(),
                    "--id",
                    "biden",
                    "--key-file",
                    key.toString(),
                    example("biden.jpg"),
                    "--json")));
    assertThat(e2.get("identities").asInt()).isEqualTo(2);

    Path png = dir.resolve("who.png");
    JsonNode id =
        json(
            run(
                withModels(
                    "det_500m.onnx",
                    "identify",
                    "--gallery",
                    gallery.toString(),
                    "--key-file",
                    key.toString(),
                    example("obama_and_biden.jpg"),
                    "--out",
                    png.toString(),
                    "--json")));
    List<String> names = new ArrayList<>();
    id.get("faces")
        .forEach(
            f -> names.add(f.get("identity").isNull() ? "unknown" : f.get("identity").asText()));
    assertThat(names).hasSize(3).contains("obama", "biden");
    assertThat(id.get("fingerprint").get("detector_family").asText()).isEqualTo("SCRFD");
    assertThat(Files.size(png)).isGreaterThan(1000);

    // without the key the gallery cannot be read
    Run noKey =
        run(
            withModels(
                "det_500m.onnx",
                "identify",
                "--gallery",
                gallery.toString(),
                example("obama3.jpg")));
    assertThat(noKey.code()).isEqualTo(1);
    assertThat(noKey.err()).contains("encrypted");
  }

  @Test
  void identifyAStrangerIsUnknown() throws Exception {
    Path gallery = dir.resolve("g.evg");
    Run enrol =
        run(
            withModels(
                "face_detection_yunet_2026may.onnx",
                "enroll",
                "--gallery",
                gallery.toString(),
                "--id",
                "rose",
                example("rose_leslie_img1.jpg")));
    assertThat(enrol.code()).as(enrol.err()).isZero();
    assertThat(enrol.out()).contains("enrolled 1 face(s) as 'rose'");
    JsonNode j =
        json(
            run(
                withModels(
                    "face_detection_yunet_2026may.onnx",
                    "identify",
                    "--gallery",
                    gallery.toString(),
                    example("biden.jpg"),
                    "--json")));
    assertThat(j.get("faces")).hasSize(1);
    assertThat(j.get("faces").get(0).get("known").asBoolean()).isFalse();
    JsonNode same =
        json(
            run(
                withModels(
                    "face_detection_yunet_2026may.onnx",
                    "identify",
                    "--gallery",
                    gallery.toString(),
                    example("rose_leslie_img2.jpg"),
                    "--json")));
    assertThat(same.get("faces").get(0).get("identity").asText()).isEqualTo("rose");
  }

  @ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(
      strings = {
        "FLOAT32", // exact cosine
        "INT8" // scores through an int8 gallery: same verification figures
      })
  void evalOnDeepfaceGivesAucOne(String storage) throws Exception {
    JsonNode j =
        json(
            run(
                withModels(
                    "det_500m.onnx",
                    "eval",
                    "--pairs",
                    SharedResources.data("faces/deepface/pairs.csv").toString(),
                    "--images",
                    SharedResources.data("faces/deepface").toString(),
                    "--gallery-storage",
                    storage,
                    "--json")));
    assertThat(j.get("gallery_storage").asText()).isEqualTo(storage);
    assertThat(j.get("max_score_delta_vs_float32").asDouble())
        .isBetween(storage.equals("INT8") ? 1e-7 : 0.0, storage.equals("INT8") ? 0.01 : 0.0);
    assertThat(j.get("pairs").asInt()).isEqualTo(300);
    assertThat(j.get("positives").asInt()).isEqualTo(38);
    assertThat(j.get("auc").asDouble()).isEqualTo(1.0);
    assertThat(j.get("best_accuracy").asDouble()).isEqualTo(1.0);
    assertThat(j.get("best_threshold").asDouble()).isBetween(0.36, 0.50);
    assertThat(j.get("tar_at_far").get("1e-2").asDouble()).isEqualTo(1.0);
    assertThat(j.get("tar_at_far").get("1e-3").asDouble()).isEqualTo(1.0);
    assertThat(j.get("fingerprint").get("embedder").get("model_sha256").asText()).hasSize(64);
  }

  static Stream<Arguments> errors() {
    return Stream.of(
        // a photo without a face (a synthetic grey image written by the test)
        Arguments.of("noface", "no face found"),
        // a file that is not an image
        Arguments.of("notimage", "cannot decode image"),
        // a detector that is not a face detector (the embedding model)
        Arguments.of("wrongmodel", "cannot be fed as a face detector"));
  }

  @ParameterizedTest
  @MethodSource("errors")
  void errorsAreReportedWithExitCode1(String kind, String message) throws Exception {
    io.edgevision.core.OpenCvLoader.ensureLoaded();
    Path grey = dir.resolve("grey.png");
    org.opencv.core.Mat m =
        new org.opencv.core.Mat(
            120, 160, org.opencv.core.CvType.CV_8UC3, new org.opencv.core.Scalar(128, 128, 128));
    org.opencv.imgcodecs.Imgcodecs.imwrite(grey.toString(), m);
    m.release();
    Path text = dir.resolve("x.jpg");
    Files.writeString(text, "not an image");
    String[] args =
        switch (kind) {
          case "noface" ->
              withModels("det_500m.onnx", "verify", grey.toString(), deepface("img1.jpg"));
          case "notimage" ->
              withModels("det_500m.onnx", "verify", text.toString(), deepface("img1.jpg"));
          default ->
              new String[] {
                "verify",
                deepface("img1.jpg"),
                deepface("img2.jpg"),
                "--detector",
                SharedResources.model("mobilefacenet_arcface_128d.onnx").toString(),
                "--embedder",
                SharedResources.model("mobilefacenet_arcface_128d.onnx").toString()
              };
        };
    Run r = run(args);
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains(message);
  }

  @Test
  void missingDefaultModelsAreAClearError() {
    String before = System.getProperty("edgevision.shared.dir");
    System.setProperty("edgevision.shared.dir", dir.resolve("nowhere").toString());
    try {
      // the other roots (../shared, ...) may exist on this machine; only check the message when
      // they do not
      Path p = FacesOptions.sharedModel("mobilefacenet_arcface_128d.onnx");
      assertThat(p).exists();
    } catch (io.edgevision.core.EdgeVisionException e) {
      assertThat(e.getMessage()).contains("not found under").contains("--detector");
    } finally {
      if (before == null) {
        System.clearProperty("edgevision.shared.dir");
      } else {
        System.setProperty("edgevision.shared.dir", before);
      }
    }
  }
}
