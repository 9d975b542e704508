package io.edgevision.android.apicheck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Android API check: first the checker itself on fixtures with known answers, then the real
 * thing: the app's path through the SDK, desugared by D8 for {@code minSdk}, against the Android
 * platform of {@code minSdk}.
 */
class AndroidApiCheckTest {
  private static final String FIXTURES = "io/edgevision/android/apicheck/fixtures/";
  private static final String DESKTOP_ONLY =
      FIXTURES + "DesktopOnlyMethod.width(Ljava/awt/image/BufferedImage;)I";

  /**
   * SDK classes that the Android path never loads, and why. The check does not follow references
   * into them; everything else reachable from the app must link on {@code minSdk}.
   */
  static final Map<String, String> NEVER_LOADED_ON_ANDROID =
      Map.of(
          "io/edgevision/core/internal/Jfr$Emitter",
          "only called when Class.forName(\"jdk.jfr.Event\") succeeded (Jfr.AVAILABLE), which it does not on Android",
          "io/edgevision/core/internal/InferenceEvent",
          "a jdk.jfr.Event, created only by Jfr$Emitter",
          "io/edgevision/core/internal/SafetyNet$WithCleaner",
          "used only when Class.forName(\"java.lang.ref.Cleaner\") succeeded (JDK, Android API 33+); before API 33 "
              + "SafetyNet uses its phantom-reference fallback");

  /**
   * Desktop-only SDK methods: their code is not checked, and the check fails if anything on the
   * app's path calls them.
   */
  static final Map<String, String> NEVER_CALLED_ON_ANDROID =
      Map.of(
          "io/edgevision/core/ImageFrames.fromBufferedImage(Ljava/awt/image/BufferedImage;)Lio/edgevision/core/ImageFrame;",
          "AWT adapter (java.awt is not on Android); the app makes frames from camera planes (Yuv420)",
          "io/edgevision/core/ImageFrames.decode([BLjava/lang/String;)Lio/edgevision/core/ImageFrame;",
          "file decoding (uses java.util.HexFormat, API 34, in its error message); the app decodes nothing",
          "io/edgevision/core/ImageFrames.read(Ljava/nio/file/Path;)Lio/edgevision/core/ImageFrame;",
          "reads and decodes files (see decode)");

  private static Path androidDir;
  private static AndroidApiCheck.Platform platform;

  @BeforeAll
  static void platform() {
    String dir = System.getProperty("edgevision.android.dir");
    assertThat(dir)
        .as("system property edgevision.android.dir (set by android-demo/pom.xml)")
        .isNotNull();
    androidDir = Path.of(dir);
    platform = AndroidApiCheck.Platform.load(androidDir.resolve("android-api-min.signature"));
  }

  static Stream<Arguments> fixtures() {
    return Stream.of(
        // a class missing from the platform altogether
        Arguments.of("UsesJfr", Map.of(), Map.of(), List.of("UsesJfr -> class jdk.jfr.Event")),
        // a class Android added after minSdk (Cleaner is API 33)
        Arguments.of(
            "UsesCleaner",
            Map.of(),
            Map.of(),
            List.of("UsesCleaner -> class java.lang.ref.Cleaner")),
        // a method Android added after minSdk on a class it has (slice(int, int) is API 34)
        Arguments.of(
            "UsesNewMethod",
            Map.of(),
            Map.of(),
            List.of("UsesNewMethod -> method java.nio.ByteBuffer.slice(II)Ljava/nio/ByteBuffer;")),
        // old APIs, inherited and interface methods resolve
        Arguments.of("UsesOldApis", Map.of(), Map.of(), List.of()),
        // reached through another program class: reported where the reference is
        Arguments.of(
            "ReachesJfrIndirectly", Map.of(), Map.of(), List.of("UsesJfr -> class jdk.jfr.Event")),
        // the same, with the JFR class declared never loaded on Android: nothing to report
        Arguments.of(
            "ReachesJfrIndirectly", Map.of(FIXTURES + "UsesJfr", "guarded"), Map.of(), List.of()),
        // a desktop-only method: its body is not checked ...
        Arguments.of("DesktopOnlyMethod", Map.of(), Map.of(DESKTOP_ONLY, "desktop"), List.of()),
        // ... without the declaration it is
        Arguments.of(
            "DesktopOnlyMethod",
            Map.of(),
            Map.of(),
            List.of("DesktopOnlyMethod -> class java.awt.image.BufferedImage")),
        // ... and calling it from checked code is a violation of the declaration
        Arguments.of(
            "CallsDesktopOnlyMethod",
            Map.of(),
            Map.of(DESKTOP_ONLY, "desktop"),
            List.of(
                "CallsDesktopOnlyMethod -> call to DesktopOnlyMethod.width(Ljava/awt/image/BufferedImage;)I, "
                    + "declared never called on Android: desktop",
                "CallsDesktopOnlyMethod -> class java.awt.image.BufferedImage")));
  }

  @ParameterizedTest(name = "{0} never-loaded={1} never-called={2}")
  @MethodSource("fixtures")
  void findsWhatTheMinSdkPlatformLacks(
      String root,
      Map<String, String> neverLoaded,
      Map<String, String> neverCalled,
      List<String> expected) {
    Path testClasses = Path.of("target/test-classes");
    try (AndroidApiCheck.ClassPool program = AndroidApiCheck.ClassPool.of(List.of(testClasses))) {
      AndroidApiCheck check =
          new AndroidApiCheck(
              program, platform, n -> n.startsWith(FIXTURES), neverLoaded, neverCalled);
      List<String> got =
          check.check(List.of(FIXTURES + root)).stream()
              .map(v -> v.toString().replace(FIXTURES.replace('/', '.'), ""))
              .toList();
      assertThat(got).containsExactlyElementsOf(expected);
    }
  }

  @Test
  void unknownRootIsACallerMistake() {
    try (AndroidApiCheck.ClassPool program =
        AndroidApiCheck.ClassPool.of(List.of(Path.of("target/test-classes")))) {
      AndroidApiCheck check = new AndroidApiCheck(program, platform, n -> true, Map.of(), Map.of());
      assertThatThrownBy(() -> check.check(List.of("no/such/Root")))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("no/such/Root");
    }
  }

  @Test
  void classFileParserRejectsNonClassBytes() {
    assertThatThrownBy(() -> ClassFile.parse(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expected a class file");
  }

  /**
   * The check the issue asks for: every class of the app, and everything in the SDK it reaches,
   * desugared by D8 with {@code --min-api minSdk}, links against Android {@code minSdk}.
   */
  @Test
  void appPathThroughTheSdkLinksOnMinSdk() {
    Path desugared = androidDir.resolve("desugared/classes");
    assertThat(desugared).as("D8 --classfile output (pom.xml, execution 'desugar')").isDirectory();
    try (AndroidApiCheck.ClassPool program = AndroidApiCheck.ClassPool.of(List.of(desugared))) {
      Set<String> roots = program.classesIn("io/edgevision/android");
      assertThat(roots).as("app classes").isNotEmpty();
      AndroidApiCheck check =
          new AndroidApiCheck(
              program,
              platform,
              n -> n.startsWith("io/edgevision/"),
              NEVER_LOADED_ON_ANDROID,
              NEVER_CALLED_ON_ANDROID);
      List<AndroidApiCheck.Violation> violations = check.check(roots);
      assertThat(violations)
          .as(
              "references from the app's path to APIs missing on Android API %s "
                  + "(isolate them behind classes the Android path never loads)",
              System.getProperty("edgevision.android.minSdk"))
          .isEmpty();
      assertThat(program.find("io/edgevision/detectors/traffic/TrafficLightDetector")).isPresent();
      assertThat(Files.isDirectory(desugared.resolve("io/edgevision/core"))).isTrue();
    }
  }
}
