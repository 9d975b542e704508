package io.edgevision.cli;

import io.edgevision.core.Budget;
import io.edgevision.core.ImageFrame;
import io.edgevision.core.ImageFrames;
import io.edgevision.core.InferenceSession;
import io.edgevision.core.ModelSource;
import io.edgevision.core.OutputDecoder;
import io.edgevision.core.SharedDirectory;
import io.edgevision.detectors.face.FaceRecognizer;
import io.edgevision.detectors.traffic.ModelCatalog;
import io.edgevision.detectors.traffic.StateClassifier;
import io.edgevision.detectors.traffic.TrafficLightDetector;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code edgevision soak --pipeline detector|faces|sessions --calls N}: runs one pipeline many
 * times and reports the process's resident set size (RSS, from {@code /proc/self/status}) and used
 * heap at intervals, and the RSS growth from the end of warm-up to the end, each sample taken after
 * a {@code System.gc()}. The Java heap is part of the RSS: run with {@code -Xms} equal to {@code
 * -Xmx} and {@code -XX:+AlwaysPreTouch} (e.g. {@code EDGEVISION_JAVA_OPTS="-Xms256m -Xmx256m
 * -XX:+AlwaysPreTouch"}) so that changes are native memory; the "non-heap" column is RSS minus the
 * committed heap. Pipelines: {@code detector} (the traffic-light pipeline {@code detect} runs:
 * {@code --model}, default {@code real}, with the catalogue's state classifier, on the real sample
 * photo for the real models and the shipped synthetic scene otherwise), {@code faces} (SCRFD +
 * MobileFaceNet on a shared portrait: detect, align, embed), {@code sessions} (open a session on
 * the shipped bench classifier, run it once, close it).
 *
 * <p>Exit code 0 whatever the growth: it is a measurement, not a test; {@code --max-growth PCT}
 * makes a growth above PCT exit 1.
 */
@Command(
    name = "soak",
    mixinStandardHelpOptions = true,
    description = "Run a pipeline N times and report RSS and heap growth after warm-up.")
final class SoakCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--pipeline",
      defaultValue = "detector",
      description = "detector, faces or sessions (default: ${DEFAULT-VALUE})")
  String pipeline;

  @Option(
      names = "--calls",
      defaultValue = "10000",
      description = "Calls (default: ${DEFAULT-VALUE})")
  int calls;

  @Option(
      names = "--warmup",
      defaultValue = "1000",
      description = "Calls before the RSS baseline is taken (default: ${DEFAULT-VALUE})")
  int warmup;

  @Option(
      names = "--every",
      defaultValue = "1000",
      description = "Report every N calls (default: ${DEFAULT-VALUE})")
  int every;

  @Option(
      names = "--image",
      description =
          "Image (default: detect's sample: the real sample photo for the real models, else the"
              + " synthetic scene; faces: shared deepface img1.jpg)")
  Path image;

  @Option(
      names = "--model",
      defaultValue = ModelCatalog.DEFAULT,
      description =
          "detector pipeline: a model name as for detect (real, real-atto, builtin, femto, ...) or an"
              + " ONNX file (default: ${DEFAULT-VALUE})")
  String model;

  @picocli.CommandLine.Mixin ModelPin pin = new ModelPin();

  @Option(
      names = "--max-growth",
      description = "Exit 1 when RSS grows more than this percentage after warm-up")
  Double maxGrowth;

  @Override
  public Integer call() throws Exception {
    if (calls < 1 || warmup < 0 || warmup >= calls || every < 1) {
      throw new IllegalArgumentException(
          "expected --calls >= 1, 0 <= --warmup < --calls, --every >= 1; got --calls "
              + calls
              + ", --warmup "
              + warmup
              + ", --every "
              + every);
    }
    PrintWriter out = spec.commandLine().getOut();
    List<AutoCloseable> owned =
        new ArrayList<>(); // closed in the finally below, also on a failed build
    try {
      Runnable step =
          switch (pipeline) {
            case "detector" -> {
              InferenceSession s =
                  ModelCatalog.sessionBuilder(
                          model, ModelCatalog.sharedDir().resolve("models"), pin.value())
                      .build();
              owned.add(s);
              TrafficLightDetector.Builder b = TrafficLightDetector.builder(s);
              Optional<String> cls = ModelCatalog.defaultClassifier(model);
              if (cls.isPresent()) {
                InferenceSession c = ModelCatalog.classifierSessionBuilder(cls.get()).build();
                owned.add(c);
                b.stateClassifier(StateClassifier.builder(c).build());
              }
              TrafficLightDetector d = b.build();
              Path sample =
                  image != null
                      ? image
                      : DetectCommand.sampleFor(
                              model, SharedDirectory.find(DetectCommand.REAL_SAMPLE))
                          .orElse(null);
              ImageFrame f = sample == null ? ModelCatalog.sampleScene() : ImageFrames.read(sample);
              spec.commandLine()
                  .getErr()
                  .println(
                      "detector: model "
                          + model
                          + (cls.isPresent() ? " + classifier " + cls.get() : "")
                          + " on "
                          + (sample == null ? "the shipped synthetic scene" : sample));
              yield () -> d.detect(f, Budget.unlimited());
            }
            case "faces" -> {
              Path img =
                  image != null
                      ? image
                      : SharedDirectory.find("data/faces/deepface/img1.jpg")
                          .orElseThrow(
                              () ->
                                  new IllegalArgumentException(
                                      "--image: expected a portrait, got none (and "
                                          + SharedDirectory.describeSearch(
                                              "data/faces/deepface/img1.jpg")
                                          + ")"));
              FaceRecognizer r =
                  new FacesOptions()
                      .recognizer(
                          FaceRecognizer.DEFAULT_VERIFY_THRESHOLD,
                          FaceRecognizer.DEFAULT_IDENTIFY_THRESHOLD);
              owned.add(r);
              ImageFrame f = ImageFrames.read(img);
              yield () -> r.mostProminent(f);
            }
            case "sessions" -> {
              ImageFrame f = ModelCatalog.sampleScene();
              ModelSource src = CliSupport.source("builtin:bench");
              yield () -> {
                try (InferenceSession s = InferenceSession.builder(src).build()) {
                  s.run(f, Budget.unlimited(), OutputDecoder.raw());
                }
              };
            }
            default ->
                throw new IllegalArgumentException(
                    "--pipeline: expected detector, faces or sessions, got '" + pipeline + "'");
          };
      long baseline = -1;
      long start = System.nanoTime();
      out.printf(
          Locale.ROOT, "%-8s %10s %10s %10s %8s%n", "calls", "rss MB", "heap MB", "non-heap", "s");
      for (int i = 1; i <= calls; i++) {
        step.run();
        if (i == warmup) {
          System.gc();
          baseline = rssBytes();
        }
        if (i % every == 0 || i == calls || i == warmup) {
          if (i != warmup) {
            System.gc();
          }
          Runtime rt = Runtime.getRuntime();
          long rss = rssBytes();
          out.printf(
              Locale.ROOT,
              "%-8d %10.1f %10.1f %10.1f %8.0f%s%n",
              i,
              rss / 1e6,
              (rt.totalMemory() - rt.freeMemory()) / 1e6,
              (rss - rt.totalMemory()) / 1e6,
              (System.nanoTime() - start) / 1e9,
              i == warmup ? "  (baseline after warm-up)" : "");
          out.flush();
        }
      }
      System.gc();
      long end = rssBytes();
      double growth = baseline > 0 ? 100.0 * (end - baseline) / baseline : Double.NaN;
      out.printf(
          Locale.ROOT,
          "pipeline %s: %d calls, RSS %.1f MB after %d warm-up calls -> %.1f MB at the end:"
              + " %+.1f %%%n",
          pipeline,
          calls,
          baseline / 1e6,
          warmup,
          end / 1e6,
          growth);
      return maxGrowth != null && growth > maxGrowth ? 1 : 0;
    } finally {
      for (AutoCloseable c : owned) {
        c.close();
      }
    }
  }

  /**
   * @return VmRSS of this process in bytes, or -1 where /proc is unavailable
   */
  static long rssBytes() {
    try {
      for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (l.startsWith("VmRSS:")) {
          return Long.parseLong(l.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
    return -1;
  }
}
