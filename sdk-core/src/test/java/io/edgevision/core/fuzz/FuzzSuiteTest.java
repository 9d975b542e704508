package io.edgevision.core.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The permanent form of the issue-16 robustness probe: seeded model mutants, malformed encoded
 * images and malformed frames, each case in a child JVM ({@link FuzzMain}) under a per-case
 * watchdog. Every case must end in a result or an {@code EdgeVisionException}; any other exception,
 * a JVM crash or a case that runs longer than {@link #CASE_TIMEOUT_S} seconds fails the test and
 * names the case (rerun it with the same seed).
 *
 * <p>Sizes: 312 model, 1,000 image and 400 frame cases by default (about 20 s on 2 cores); {@code
 * -Dedgevision.fuzz.cases=N} sets each suite to N cases; {@code -Dedgevision.fuzz.seed=S} changes
 * the seed (default 16).
 */
class FuzzSuiteTest {
  static final int CASE_TIMEOUT_S = 60;

  static Stream<Arguments> suites() {
    String n = System.getProperty("edgevision.fuzz.cases", "");
    return Stream.of(
        // mutants of 4 small models x 6 damage kinds, loaded pinned and unpinned, run when they
        // load
        Arguments.of("models", n.isBlank() ? 312 : Integer.parseInt(n)),
        // mutants of JPEG/PNG/BMP/WebP/TIFF/PPM files, one case in ten a hostile claimed size
        Arguments.of("images", n.isBlank() ? 1000 : Integer.parseInt(n)),
        // random geometry/format/buffer frames, run through a session when accepted
        Arguments.of("frames", n.isBlank() ? 400 : Integer.parseInt(n)));
  }

  @ParameterizedTest(name = "{0} x {1}")
  @MethodSource("suites")
  void everyCaseEndsInAResultOrATypedError(String suite, int count) throws Exception {
    long seed = Long.getLong("edgevision.fuzz.seed", 16L);
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx512m");
    cmd.add("-XX:+UseSerialGC");
    for (String p : List.of("edgevision.shared.dir", "java.io.tmpdir")) {
      if (System.getProperty(p) != null) {
        cmd.add("-D" + p + "=" + System.getProperty(p));
      }
    }
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(FuzzMain.class.getName());
    cmd.add(suite);
    cmd.add(Long.toString(seed));
    cmd.add(Integer.toString(count));
    Path log = Files.createTempFile("edgevision-fuzz-" + suite, ".stderr");
    Process child = new ProcessBuilder(cmd).redirectError(log.toFile()).start();
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String l; (l = r.readLine()) != null; ) {
                  lines.add(l);
                }
              } catch (java.io.IOException e) {
                lines.add("READ-ERROR " + e);
              }
              lines.add("EOF");
            },
            "fuzz-reader");
    reader.setDaemon(true);
    reader.start();

    String running = "(before the first case)";
    Map<String, Integer> verdicts = new TreeMap<>();
    List<String> defects = new ArrayList<>();
    int ended = 0;
    boolean done = false;
    try {
      while (true) {
        String l = lines.poll(CASE_TIMEOUT_S, TimeUnit.SECONDS);
        if (l == null) {
          throw new AssertionError(
              "case "
                  + running
                  + " hung: no progress for "
                  + CASE_TIMEOUT_S
                  + " s (seed "
                  + seed
                  + ")");
        }
        if (l.equals("EOF")) {
          break;
        }
        if (l.equals("DONE")) {
          done = true;
        } else if (l.startsWith("START ")) {
          running = l.substring(6);
        } else if (l.startsWith("END ")) {
          ended++;
          String[] parts = l.split(" ", 4);
          String verdict = parts[2];
          verdicts.merge(verdict, 1, Integer::sum);
          boolean pinnedLoaded = parts.length > 3 && parts[3].startsWith("PINNED-LOADED");
          if (verdict.equals("UNEXPECTED")
              || pinnedLoaded
              || (suite.equals("models") && verdict.equals("TYPED:PROVIDER_UNAVAILABLE"))
              || (!suite.equals("models")
                  && verdict.startsWith("TYPED:")
                  && !verdict.equals("TYPED:BAD_INPUT"))) {
            defects.add(l);
          }
          running = "(after " + parts[1] + ")";
        }
      }
      assertThat(child.waitFor(CASE_TIMEOUT_S, TimeUnit.SECONDS)).as("child exits").isTrue();
    } finally {
      if (child.isAlive()) {
        child.destroyForcibly();
      }
    }
    String stderr = Files.readString(log);
    Files.deleteIfExists(log);
    assertThat(done)
        .as(
            "child JVM ended at case "
                + running
                + " (exit "
                + child.exitValue()
                + ", seed "
                + seed
                + "); stderr tail: "
                + tail(stderr))
        .isTrue();
    System.out.println("fuzz " + suite + " seed " + seed + ": " + ended + " cases " + verdicts);
    assertThat(defects)
        .as(
            "cases ending in an untyped exception, a mis-classified error or a pinned model that"
                + " loaded changed (seed "
                + seed
                + ")")
        .isEmpty();
    assertThat(ended).isEqualTo(count);
  }

  private static String tail(String s) {
    return s.length() <= 2000 ? s : s.substring(s.length() - 2000);
  }
}
