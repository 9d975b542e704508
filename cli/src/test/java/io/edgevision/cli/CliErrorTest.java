package io.edgevision.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgevision.core.testing.HostileImages;
import io.edgevision.core.testing.TestModels;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 16, defects 4 and 5: every CLI error is one line naming the option, what was expected and
 * what was got, with a non-zero exit code; named models never run substituted files; {@code
 * --sha256} pins a model.
 */
class CliErrorTest {
  @TempDir static Path dir;

  record Run(int code, String out, String err) {}

  static Run run(List<String> args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        Main.run(
            args.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true));
    return new Run(code, out.toString(), err.toString());
  }

  static Path write(String name, byte[] bytes) {
    try {
      return Files.write(dir.resolve(name), bytes);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static Arguments row(Function<Path, List<String>> args, int code, String... fragments) {
    return Arguments.of(args, code, fragments);
  }

  static Stream<Arguments> errors() {
    String zeros = "0".repeat(64);
    return Stream.of(
        // --out naming a directory (was a raw CvException stack trace)
        row(
            d -> List.of("detect", "--out", d.toString()),
            2,
            "--out",
            "expected an image file name",
            "directory"),
        // --out with an extension OpenCV cannot write (was a raw CvException stack trace)
        row(
            d -> List.of("detect", "--out", d.resolve("x.txt").toString()),
            2,
            "--out",
            "expected a file name" + " ending in .png",
            "got 'x.txt'"),
        // --out into a directory that does not exist
        row(
            d -> List.of("detect", "--out", d.resolve("no/such/x.png").toString()),
            2,
            "--out",
            "expected a file in an existing directory"),
        // faces enroll --gallery DIR (was only "Is a directory")
        row(
            d -> List.of("faces", "enroll", "--gallery", d.toString(), "--id", "a", "x.jpg"),
            2,
            "--gallery",
            "expected a gallery file",
            "directory"),
        // faces identify --gallery DIR
        row(
            d -> List.of("faces", "identify", "--gallery", d.toString(), "x.jpg"),
            2,
            "--gallery",
            "expected a gallery file"),
        // malformed --sha256
        row(
            d -> List.of("detect", "--sha256", "xyz"),
            2,
            "--sha256",
            "expected 64 hex digits",
            "got 'xyz'"),
        // --sha256 contradicting a named model's known hash
        row(
            d -> List.of("detect", "--model", "builtin", "--sha256", zeros),
            2,
            "--sha256",
            "expected 8edbe25b",
            "got " + zeros),
        // --sha256 on a file that does not match: MODEL_INVALID before anything runs
        row(
            d -> List.of("inspect", TestModels.path("echo.onnx").toString(), "--sha256", zeros),
            1,
            "MODEL_INVALID",
            "expected " + zeros,
            "got "),
        // the same on bench
        row(
            d ->
                List.of(
                    "bench",
                    TestModels.path("echo.onnx").toString(),
                    "--sha256",
                    zeros,
                    "--runs",
                    "1"),
            1,
            "MODEL_INVALID",
            "expected " + zeros),
        // a named shared model replaced by other bytes in the models directory: never run
        row(
            d -> {
              write("deimv2_hgnetv2_atto_coco.onnx", TestModels.bytes("tiny_detr_raw.onnx"));
              return List.of("detect", "--model", "atto", "--models-dir", d.toString());
            },
            1,
            "MODEL_INVALID",
            "expected b114aa66"),
        // a PNG whose header claims 100000x100000 pixels
        row(
            d ->
                List.of(
                    "detect",
                    "--image",
                    write("huge.png", HostileImages.pngClaiming(100_000, 100_000)).toString()),
            1,
            "BAD_INPUT",
            "100000x100000",
            "expected at most 50000000 pixels"),
        // --max-pixels lowers the limit for every command
        row(
            d ->
                List.of(
                    "detect",
                    "--max-pixels",
                    "100",
                    "--image",
                    write("small.png", HostileImages.encode(".png", 20, 20)).toString()),
            1,
            "BAD_INPUT",
            "expected at most 100 pixels",
            "20x20 = 400"),
        // --max-pixels must be positive
        row(
            d -> List.of("detect", "--max-pixels", "0"),
            2,
            "--max-pixels",
            "expected a positive number",
            "got 0"),
        // --image naming a directory
        row(
            d -> List.of("detect", "--image", d.toString()),
            1,
            "BAD_INPUT",
            "expected an image file",
            "got a directory"),
        // an option value of the wrong type
        row(d -> List.of("bench", "--runs", "many"), 2, "--runs", "many"),
        // an unknown option
        row(d -> List.of("detect", "--nope"), 2, "--nope"));
  }

  @ParameterizedTest
  @MethodSource("errors")
  void errorsAreOneLineNamingWhatWasExpectedAndGot(
      Function<Path, List<String>> args, int code, String[] fragments) {
    Run r = run(args.apply(dir));
    assertThat(r.code()).as(r.err()).isEqualTo(code);
    // bench reports progress on stderr ("[1/1] model=..."): the error itself is still exactly one
    // line
    List<String> lines =
        r.err().strip().lines().filter(l -> !l.matches("\\[\\d+/\\d+\\] .*")).toList();
    assertThat(lines).as(r.err()).hasSize(1);
    assertThat(lines.get(0)).startsWith("error: ").contains(fragments);
    assertThat(r.err()).doesNotContain("\tat ");
  }

  @Test
  void verbosePrintsTheStackTrace() {
    List<String> args =
        new ArrayList<>(List.of("detect", "--out", dir.resolve("x.txt").toString(), "--verbose"));
    Run r = run(args);
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).startsWith("error: --out").contains("\tat ");
  }

  @Test
  void aMatchingPinRuns() {
    String sha = io.edgevision.detectors.traffic.ModelCatalog.BUILTIN_SHA256;
    Run r = run(List.of("detect", "--model", "builtin", "--sha256", sha, "--json"));
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains(sha);
  }
}
