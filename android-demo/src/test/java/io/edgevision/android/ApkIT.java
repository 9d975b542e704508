package io.edgevision.android;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The APK the build produced ({@code android-demo/target/edgevision-demo.apk}), checked with the
 * Android tools themselves: signature, manifest as the platform will read it, alignment, and
 * contents.
 */
class ApkIT {
  private static Path apk;
  private static List<String> abis;

  @BeforeAll
  static void apk() {
    apk = Path.of(System.getProperty("edgevision.android.apk", "target/edgevision-demo.apk"));
    assertThat(apk).as("the APK built in the package phase").isRegularFile();
    abis = Arrays.asList(System.getProperty("edgevision.android.abis", "arm64-v8a").split(","));
  }

  @Test
  void signatureVerifies() throws Exception {
    Result r = run("apksigner", "verify", "--verbose", apk.toString());
    assertThat(r.exit).as(r.output).isZero();
    assertThat(r.output)
        .contains("Verifies")
        .contains("Verified using v2 scheme (APK Signature Scheme v2): true");
  }

  @Test
  void zipAlignedForMmap() throws Exception {
    Result r = run("zipalign", "-c", "-p", "4", apk.toString());
    assertThat(r.exit).as(r.output).isZero();
  }

  @Test
  void badgingShowsPackageSdksAndLauncher() throws Exception {
    Result r = run("aapt", "dump", "badging", apk.toString());
    assertThat(r.exit).as(r.output).isZero();
    assertThat(r.output)
        .contains("package: name='io.edgevision.android'")
        .contains("sdkVersion:'" + System.getProperty("edgevision.android.minSdk", "26") + "'")
        .contains(
            "targetSdkVersion:'" + System.getProperty("edgevision.android.targetSdk", "34") + "'")
        .contains("launchable-activity: name='io.edgevision.android.DemoActivity'")
        .contains("uses-permission: name='android.permission.CAMERA'")
        .contains("application-label:'EdgeVision demo'")
        .contains("native-code: '" + String.join("' '", abis) + "'");
  }

  static Stream<String> requiredEntries() {
    List<String> e =
        new ArrayList<>(
            List.of(
                "classes.dex",
                "assets/edgevision-traffic-lights.onnx",
                "AndroidManifest.xml",
                "resources.arsc"));
    for (String abi : System.getProperty("edgevision.android.abis", "arm64-v8a").split(",")) {
      // ONNX Runtime (engine + Java binding), OpenCV's Java binding and the C++ runtime it links
      for (String lib :
          List.of(
              "libonnxruntime.so",
              "libonnxruntime4j_jni.so",
              "libopencv_java4.so",
              "libc++_shared.so")) {
        e.add("lib/" + abi + "/" + lib);
      }
    }
    return e.stream();
  }

  @ParameterizedTest
  @MethodSource("requiredEntries")
  void containsEntry(String name) throws IOException {
    try (ZipFile z = new ZipFile(apk.toFile())) {
      ZipEntry e = z.getEntry(name);
      assertThat(e).as(name).isNotNull();
      assertThat(e.getSize()).as(name + " size").isPositive();
    }
  }

  @Test
  void modelAssetIsTheProjectsModel() throws Exception {
    Path source =
        Path.of(
            "../detectors/src/main/resources/io/edgevision/detectors/traffic/"
                + "edgevision-traffic-lights.onnx");
    try (ZipFile z = new ZipFile(apk.toFile());
        InputStream in = z.getInputStream(z.getEntry("assets/edgevision-traffic-lights.onnx"))) {
      assertThat(sha256(in.readAllBytes())).isEqualTo(sha256(Files.readAllBytes(source)));
    }
  }

  @Test
  void dexHoldsTheAppTheSdkAndTheAndroidRuntimes() throws Exception {
    byte[] dex;
    try (ZipFile z = new ZipFile(apk.toFile());
        InputStream in = z.getInputStream(z.getEntry("classes.dex"))) {
      dex = in.readAllBytes();
    }
    assertThat(new String(dex, 0, 4, StandardCharsets.ISO_8859_1)).isEqualTo("dex\n");
    String strings = new String(dex, StandardCharsets.ISO_8859_1);
    assertThat(strings)
        .contains("Lio/edgevision/android/DemoActivity;")
        .contains("Lio/edgevision/detectors/traffic/TrafficLightDetector;")
        .contains("Lio/edgevision/core/InferenceSession;")
        .contains("Lai/onnxruntime/OrtSession;")
        .contains("Lorg/opencv/core/Mat;");
  }

  private static String sha256(byte[] b) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
  }

  private record Result(int exit, String output) {}

  private static Result run(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as(String.join(" ", cmd) + " finished").isTrue();
    return new Result(p.exitValue(), out);
  }
}
