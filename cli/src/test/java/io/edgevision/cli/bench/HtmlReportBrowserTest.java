package io.edgevision.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Opens the HTML report in a real headless Chromium: the page must lay out every chart (the
 * report's own script counts SVG charts with a non-empty box), and a screenshot is kept as a build
 * artefact at {@code cli/target/bench-report/screenshot.png} beside the rendered {@code
 * report.html}.
 *
 * <p>Skipped with the reason when no Chromium is installed, except under CI ({@code CI=true}),
 * where {@code .ci/run} installs Debian's {@code chromium} and its absence is a failure.
 */
class HtmlReportBrowserTest {
  private static final List<String> BROWSERS =
      List.of("chromium", "chromium-browser", "google-chrome");

  static Optional<String> browser() {
    String path = System.getenv().getOrDefault("PATH", "");
    for (String b : BROWSERS) {
      for (String dir : path.split(File.pathSeparator)) {
        if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, b))) {
          return Optional.of(Path.of(dir, b).toString());
        }
      }
    }
    return Optional.empty();
  }

  @Test
  void rendersInHeadlessChromiumWithEveryChart() throws Exception {
    Optional<String> chromium = browser();
    if (chromium.isEmpty()) {
      if ("true".equals(System.getenv("CI"))) {
        throw new AssertionError(
            "CI=true but no chromium on PATH (" + BROWSERS + "): .ci/run should install it");
      }
      Assumptions.abort(
          "no headless browser on PATH ("
              + BROWSERS
              + "); install Debian's chromium to run this test");
    }
    Path dir = Path.of("target", "bench-report").toAbsolutePath();
    Files.createDirectories(dir);
    Path html = dir.resolve("report.html");
    Path png = dir.resolve("screenshot.png");
    Files.deleteIfExists(png);
    BenchReport r = HtmlReportTest.sample();
    Files.writeString(html, HtmlReport.render(r, null));
    int charts = r.cells().size() + 1; // one CDF per cell, one stage-bar chart

    String dom = runChromium(chromium.get(), dir, "--dump-dom", html.toUri().toString());
    assertThat(dom).contains("data-charts-rendered=\"" + charts + "\"");

    runChromium(
        chromium.get(),
        dir,
        "--screenshot=" + png,
        "--window-size=1400,1800",
        html.toUri().toString());
    assertThat(png).exists();
    BufferedImage img = ImageIO.read(png.toFile());
    assertThat(img.getWidth()).isEqualTo(1400);
    Set<Integer> colours = new HashSet<>();
    for (int y = 0; y < img.getHeight(); y += 4) {
      for (int x = 0; x < img.getWidth(); x += 4) {
        colours.add(img.getRGB(x, y));
      }
    }
    // a blank or failed page has one or two colours; the report has text, four stage colours and
    // the lines
    assertThat(colours.size()).isGreaterThan(20);
  }

  private static String runChromium(String chromium, Path dir, String... args) throws Exception {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                chromium,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--no-first-run",
                "--user-data-dir=" + dir.resolve("profile")));
    cmd.addAll(List.of(args));
    Path log = dir.resolve("chromium.log");
    Process p = new ProcessBuilder(cmd).redirectError(log.toFile()).start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("chromium did not finish within 120 s: " + cmd);
    }
    assertThat(p.exitValue()).as("chromium exit status; stderr in %s", log).isZero();
    return new String(out, StandardCharsets.UTF_8);
  }
}
