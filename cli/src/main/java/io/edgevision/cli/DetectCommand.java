package io.edgevision.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgevision.core.AdmissionPolicy;
import io.edgevision.core.Budget;
import io.edgevision.core.EdgeVisionException;
import io.edgevision.core.ErrorCode;
import io.edgevision.core.ImageFrame;
import io.edgevision.core.ImageFrames;
import io.edgevision.core.InferenceSession;
import io.edgevision.core.SharedDirectory;
import io.edgevision.core.Timings;
import io.edgevision.detectors.traffic.DetectionTimings;
import io.edgevision.detectors.traffic.DetrDetector;
import io.edgevision.detectors.traffic.ModelCatalog;
import io.edgevision.detectors.traffic.Slicing;
import io.edgevision.detectors.traffic.StateClassifier;
import io.edgevision.detectors.traffic.TilingReport;
import io.edgevision.detectors.traffic.TrafficLight;
import io.edgevision.detectors.traffic.TrafficLightDetector;
import io.edgevision.detectors.traffic.TrafficLightResult;
import io.edgevision.postprocess.Arrow;
import io.edgevision.postprocess.Box;
import io.edgevision.postprocess.Colour;
import io.edgevision.postprocess.Detection;
import io.edgevision.postprocess.LabelScore;
import io.edgevision.postprocess.LightState;
import io.edgevision.postprocess.Suppression;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.opencv.core.Mat;
import org.opencv.core.Point;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code edgevision detect [--model M] [--image F]... [--images DIR] [--tiles off|auto|N]
 * [--tile-size PX] [--classifier builtin|FILE] [--budget MS] [--json] [--out annotated.png|DIR]}:
 * traffic lights of each image with states, duplicate-suppression report, sliced-inference report,
 * per-stage timings, outcome and fingerprint.
 *
 * <p>Several images ({@code --image} repeated, or {@code --images DIR}) give one JSON object per
 * image and line (JSON Lines) with {@code --json}, progress on stderr, and annotated copies under
 * the {@code --out} directory; an unreadable image gives a line with its {@code error} and exit
 * status 1 after the others ran.
 *
 * <p>{@code --model} defaults to {@code builtin}, the EdgeVision model shipped in the detectors jar
 * ({@link ModelCatalog#BUILTIN}); it also takes a path to a DETR-family ONNX export or a label of
 * the shared models ({@code femto} = femto with atto as the degradation variant, {@code atto},
 * {@code femto-raw}, {@code atto-raw}), found under {@code --models-dir} (default: the shared
 * directory's {@code models}).
 *
 * <p>Without {@code --image}, the real-photo models ({@code real}, the default, and {@code
 * real-atto}) run on a real photo, {@link #REAL_SAMPLE} (cinTA_v2 valid, CC BY 4.0, three lights),
 * read from the shared data directory at run time (never bundled: the repository holds no copy of
 * the shared photos); when that directory is absent, and for every other model, the sample scene
 * shipped beside the built-in model is used ({@link ModelCatalog#sampleScene()}, a 320×320
 * synthetic validation scene with a dense row), with a note on stderr. The annotated image is
 * written only when {@code --out} is given (never implicitly): {@code ./edgevision detect --out
 * detections.png --json} is the whole demo.
 */
@Command(
    name = "detect",
    mixinStandardHelpOptions = true,
    description =
        "Detect traffic lights (and their states) in one or more images with a DETR-family model.")
final class DetectCommand implements Callable<Integer> {
  /**
   * The real sample photo, relative to the shared directory: the cinTA_v2 valid photo with the most
   * annotated lights (three; ties broken by the number of states, then by name), chosen by that
   * rule, not by the model's output on it. cinTA_v2 by wawan-pradana (Roboflow Universe), CC BY
   * 4.0.
   */
  static final String REAL_SAMPLE =
      "data/traffic_lights/cinta_v2/valid/images/"
          + "traffic-light--375-_jpg.rf.28fa5268d8131c06eaebcf9bf6231485.jpg";

  /** Attribution printed with the real sample photo. */
  static final String REAL_SAMPLE_CREDIT =
      "cinTA_v2 by wawan-pradana (Roboflow Universe), CC BY 4.0";

  /** One JSON object per line (JSON Lines) for several images. */
  static final ObjectMapper COMPACT = new ObjectMapper();

  @Spec CommandSpec spec;

  @Option(
      names = "--model",
      defaultValue = ModelCatalog.DEFAULT,
      description =
          "real (default: the shipped real-photo detector, femto degrading to atto, with the built-in"
              + " state classifier) | real-atto | builtin (alias synthetic: the synthetic-scene model),"
              + " an ONNX file, or femto | atto | femto-raw | atto-raw (COCO DEIMv2 of the shared models"
              + " directory)")
  String model;

  @Option(
      names = "--image",
      description =
          "Image file (JPEG, PNG, ...); repeat for several; default: for the real models a real"
              + " photo from the shared data (cinTA_v2 valid, CC BY 4.0), else (or when the shared"
              + " data is absent) the shipped synthetic sample scene (320x320, a dense row)")
  List<Path> images = new ArrayList<>();

  @Option(
      names = "--images",
      description =
          "Directory: each of its image files (jpg, png, ...; name order) after any --image. Several"
              + " images give one JSON object per line (JSON Lines) with --json, and progress on stderr")
  Path imagesDir;

  @Option(
      names = "--tiles",
      defaultValue = "auto",
      description =
          "Sliced inference for small lights: off, auto (default: tiles when the frame is much larger than"
              + " the model input and the budget fits them) or N (at most N tiles, always)")
  String tiles;

  @Option(
      names = "--tile-size",
      description = "Tile side in frame pixels, >= 32 (default: the model's input size)")
  Integer tileSize;

  @Option(names = "--budget", description = "Latency budget in milliseconds (default: unlimited)")
  Long budgetMs;

  @Option(
      names = "--threshold",
      defaultValue = "0.3",
      description = "Lowest score of a light (default: ${DEFAULT-VALUE})")
  float threshold;

  @Option(
      names = "--classifier",
      description =
          "Second-stage state classifier: builtin (shipped in the jar), an ONNX file (single head +"
              + " label schema), or none; default: builtin for the real models, none for the others")
  String classifier;

  @Option(
      names = "--warmup",
      defaultValue = "1",
      description =
          "Unreported runs first, so admission knows the model's latency (default: ${DEFAULT-VALUE})")
  int warmup;

  @Option(
      names = "--models-dir",
      description = "Where model labels are looked up (default: <shared>/models)")
  Path modelsDir;

  @Option(
      names = "--providers",
      split = ",",
      defaultValue = "cpu",
      description = "Provider preference (default: ${DEFAULT-VALUE})")
  List<String> providers;

  @Option(
      names = "--out",
      description =
          "Write the image with the lights drawn on it (PNG, JPEG, ...); a directory (created) when there"
              + " are several images, each copy under its own file name; nothing is written without it")
  Path out;

  @picocli.CommandLine.Mixin ModelPin pin = new ModelPin();

  @Option(names = "--json", description = "One JSON object on stdout")
  boolean json;

  @Override
  public Integer call() throws Exception {
    if (warmup < 0) {
      throw new IllegalArgumentException("--warmup must be >= 0, got " + warmup);
    }
    if (budgetMs != null && budgetMs < 0) {
      throw new IllegalArgumentException("--budget must be >= 0 ms, got " + budgetMs);
    }
    Slicing slicing = slicing(tiles, tileSize);
    List<Path> files = ImageInputs.resolve(images, imagesDir);
    boolean several = files.size() > 1;
    if (out != null && several) {
      ImageInputs.prepareOutDirectory(out);
    } else if (out != null) {
      CliSupport.checkImageOutput("--out", out);
    }
    PrintWriter stdout = spec.commandLine().getOut();
    PrintWriter stderr = spec.commandLine().getErr();
    Path dir = modelsDir != null ? modelsDir : ModelCatalog.sharedDir().resolve("models");
    try (InferenceSession session =
            ModelCatalog.sessionBuilder(model, dir, pin.value())
                .providers(CliSupport.providers(providers))
                .admission(AdmissionPolicy.DEGRADE)
                .build();
        InferenceSession cls =
            CliSupport.classifier(classifier, model)
                .map(
                    c ->
                        ModelCatalog.classifierSessionBuilder(c)
                            .providers(CliSupport.providers(providers))
                            .build())
                .orElse(null)) {
      TrafficLightDetector.Builder b =
          TrafficLightDetector.builder(session)
              .scoreThreshold(threshold)
              .candidateThreshold(Math.min(threshold, DetrDetector.DEFAULT_CANDIDATE_THRESHOLD))
              .slicing(slicing);
      if (cls != null) {
        b.stateClassifier(StateClassifier.builder(cls).build());
      }
      TrafficLightDetector detector = b.build();
      Budget budget = budgetMs == null ? Budget.unlimited() : Budget.ofMillis(budgetMs);
      Path sample = null;
      if (files.isEmpty()) {
        sample = sampleFor(model, SharedDirectory.find(REAL_SAMPLE)).orElse(null);
        if (sample != null) {
          stderr.println("sample photo: " + REAL_SAMPLE_CREDIT);
        } else if (isRealModel(model)) {
          stderr.println(
              "sample: the shipped synthetic scene (the real sample photo: "
                  + SharedDirectory.describeSearch(REAL_SAMPLE)
                  + ")");
        }
      }
      List<Path> todo = files.isEmpty() ? java.util.Collections.singletonList(sample) : files;
      int failed = 0;
      boolean warmedUp = false;
      for (int i = 0; i < todo.size(); i++) {
        Path image = todo.get(i);
        String name =
            image == null ? "classpath:" + ModelCatalog.SAMPLE_SCENE_RESOURCE : image.toString();
        ImageFrame frame;
        try {
          frame = image == null ? ModelCatalog.sampleScene() : readImage(image);
        } catch (EdgeVisionException e) {
          if (!several) {
            throw e;
          }
          failed++;
          stderr.printf(
              Locale.ROOT, "[%d/%d] %s: error: %s%n", i + 1, todo.size(), name, e.getMessage());
          if (json) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("image", name);
            o.put("error", e.getMessage());
            o.put("error_code", e.code().name());
            stdout.println(COMPACT.writeValueAsString(o));
          }
          continue;
        }
        for (int k = 0; !warmedUp && k < warmup; k++) {
          detector.detect(frame, Budget.unlimited());
        }
        warmedUp = true;
        TrafficLightResult r = detector.detect(frame, budget);
        Path annotated =
            out == null
                ? null
                : ImageInputs.annotatedPath(out, image == null ? out : image, several);
        if (annotated != null) {
          writeAnnotated(frame, r, annotated);
        }
        if (json) {
          Map<String, Object> o = new LinkedHashMap<>();
          o.put("image", name);
          o.put("image_truncated", frame.truncated());
          o.put("model", model);
          o.putAll(toJson(r));
          if (annotated != null) {
            o.put("annotated_image", annotated.toString());
          }
          stdout.println(
              several ? COMPACT.writeValueAsString(o) : CliSupport.JSON.writeValueAsString(o));
        } else {
          stdout.printf(Locale.ROOT, "image %s, model %s%n", name, model);
          if (frame.truncated()) {
            stdout.println(
                "warning: the image file is truncated (no end-of-image marker); its missing rows"
                    + " were decoded as grey");
          }
          printTable(stdout, r);
          if (annotated != null) {
            stdout.printf(Locale.ROOT, "annotated image written to %s%n", annotated);
          }
        }
        if (several) {
          stderr.printf(
              Locale.ROOT,
              "[%d/%d] %s: %d lights, %s, %.1f ms%n",
              i + 1,
              todo.size(),
              name,
              r.lights().size(),
              r.outcome(),
              r.timings().total().toNanos() / 1e6);
          stderr.flush();
        }
      }
      if (failed > 0) {
        stderr.printf(Locale.ROOT, "%d of %d images could not be read%n", failed, todo.size());
      }
      return failed == 0 ? 0 : 1;
    }
  }

  /** {@code --tiles} and {@code --tile-size} as slicing options. */
  static Slicing slicing(String tiles, Integer tileSize) {
    Slicing s = Slicing.parse(tiles);
    if (tileSize != null) {
      if (s.mode() == Slicing.Mode.OFF) {
        throw new IllegalArgumentException("--tile-size needs --tiles auto or N, got --tiles off");
      }
      s = s.toBuilder().tileSize(tileSize).build();
    }
    return s;
  }

  /** Reads an image, refusing empty files with a clear BAD_INPUT error. */
  static ImageFrame readImage(Path path) throws IOException {
    if (Files.isRegularFile(path) && Files.size(path) == 0) {
      throw new EdgeVisionException(
          ErrorCode.BAD_INPUT, "image file " + path + " is empty (0 bytes)");
    }
    return ImageFrames.read(path);
  }

  static Map<String, Object> toJson(TrafficLightResult r) {
    Map<String, Object> o = new LinkedHashMap<>();
    List<Object> detections = new ArrayList<>();
    for (TrafficLight l : r.lights()) {
      Map<String, Object> d = new LinkedHashMap<>();
      d.put("box", box(l.box()));
      d.put("score", round(l.score()));
      d.put("label", l.label());
      d.put("class_id", l.classId());
      d.put("state", l.state().map(s -> state(s, l)).orElse(null));
      d.put("query", l.queryIndex());
      List<Object> alts = new ArrayList<>();
      for (LabelScore a : l.alternatives()) {
        alts.add(
            Map.of(
                "label",
                r.labels().name(a.classId()),
                "class_id",
                a.classId(),
                "score",
                round(a.score())));
      }
      d.put("alternatives", alts);
      detections.add(d);
    }
    o.put("detections", detections);
    List<Object> suppressed = new ArrayList<>();
    for (Suppression s : r.suppressed()) {
      Map<String, Object> e = new LinkedHashMap<>();
      Detection d = s.suppressed();
      e.put("box", box(d.box()));
      e.put("score", round(d.score()));
      e.put("label", r.labels().name(d.classId()));
      e.put("class_id", d.classId());
      e.put("query", d.queryIndex());
      e.put("survivor", s.survivorIndex());
      e.put("rule", s.rule().name());
      e.put("metric", s.metric().name());
      e.put("overlap", round(s.overlap()));
      suppressed.add(e);
    }
    o.put("suppressed", suppressed);
    o.put("timings", timings(r.timings()));
    o.put("tiling", tiling(r.tiling()));
    o.put("outcome", r.outcome().name());
    o.put("message", r.message());
    o.put("deadline_missed", r.deadlineMissed());
    o.put("variant", r.variant());
    o.put("fingerprint", CliSupport.fingerprint(r.fingerprint()));
    return o;
  }

  private static Map<String, Object> state(LightState s, TrafficLight l) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("name", s.name());
    o.put("colour", s.colour().name().toLowerCase(Locale.ROOT));
    o.put("arrows", s.arrows().stream().map(a -> a.name().toLowerCase(Locale.ROOT)).toList());
    o.put("flashing", s.flashing());
    o.put("confidence", round(s.confidence()));
    Map<String, Object> colours = new LinkedHashMap<>();
    for (Colour c : Colour.values()) {
      colours.put(c.name().toLowerCase(Locale.ROOT), round(s.colourProbability(c)));
    }
    o.put("colour_marginals", colours);
    Map<String, Object> arrows = new LinkedHashMap<>();
    for (Arrow a : Arrow.values()) {
      arrows.put(a.name().toLowerCase(Locale.ROOT), round(s.arrowProbability(a)));
    }
    o.put("arrow_marginals", arrows);
    o.put("flashing_probability", round(s.flashingProbability()));
    o.put("source", l.stateSource().name());
    return o;
  }

  private static Map<String, Object> tiling(TilingReport t) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("sliced", t.sliced());
    o.put("tiles", t.tiles());
    o.put("planned_tiles", t.plannedTiles());
    o.put("tile_size", List.of(t.tileWidth(), t.tileHeight()));
    o.put("full_frame", t.fullFrame());
    o.put("batched", t.batched());
    o.put("budget_limited", t.budgetLimited());
    o.put("edge_merges", t.edgeMerges());
    o.put("reason", t.reason());
    return o;
  }

  private static Map<String, Object> timings(DetectionTimings t) {
    Map<String, Object> o = new LinkedHashMap<>();
    Timings d = t.detector();
    o.put("waiting_ms", ms(d.waitingNanos()));
    o.put("preprocess_ms", ms(d.preprocessNanos()));
    o.put("inference_ms", ms(d.inferenceNanos()));
    o.put("postprocess_ms", ms(d.postprocessNanos()));
    o.put("decode_ms", ms(t.decodeNanos()));
    o.put("suppress_ms", ms(t.suppressNanos()));
    o.put("crop_ms", ms(t.cropNanos()));
    o.put("classifier_ms", ms(t.classifier().total().toNanos()));
    o.put("total_ms", ms(t.total().toNanos()));
    return o;
  }

  private static List<Double> box(Box b) {
    return List.of(round(b.x1()), round(b.y1()), round(b.x2()), round(b.y2()));
  }

  private static double round(float v) {
    return Math.round(v * 1e4) / 1e4;
  }

  private static double ms(long nanos) {
    return Math.round(nanos / 1e3) / 1e3;
  }

  private static void printTable(PrintWriter out, TrafficLightResult r) {
    out.printf(
        Locale.ROOT,
        "outcome %s (variant %s)%s%n",
        r.outcome(),
        r.variant(),
        r.message().isEmpty() ? "" : ": " + r.message());
    out.printf(
        Locale.ROOT,
        "%-4s %-32s %-6s %-14s %-22s %s%n",
        "#",
        "box x1,y1,x2,y2 (px)",
        "score",
        "label",
        "state",
        "query");
    for (int i = 0; i < r.lights().size(); i++) {
      TrafficLight l = r.lights().get(i);
      Box b = l.box();
      String state =
          l.state()
              .map(s -> s.name() + " " + String.format(Locale.ROOT, "%.2f", s.confidence()))
              .orElse("-");
      out.printf(
          Locale.ROOT,
          "%-4d %-32s %-6.3f %-14s %-22s %d%n",
          i,
          String.format(Locale.ROOT, "%.1f,%.1f,%.1f,%.1f", b.x1(), b.y1(), b.x2(), b.y2()),
          l.score(),
          l.label(),
          state,
          l.queryIndex());
    }
    TilingReport tl = r.tiling();
    if (tl.sliced() || tl.budgetLimited()) {
      out.printf(
          Locale.ROOT,
          "sliced: %d tile(s) of %dx%d px%s%s%s%n",
          tl.tiles(),
          tl.tileWidth(),
          tl.tileHeight(),
          tl.fullFrame() ? " + full frame" : "",
          tl.batched() ? ", one batch" : ", one by one",
          tl.reason().isEmpty() ? "" : " (" + tl.reason() + ")");
    }
    out.printf(Locale.ROOT, "suppressed %d duplicate(s)%n", r.suppressed().size());
    for (Suppression s : r.suppressed()) {
      out.printf(
          Locale.ROOT,
          "  class %d %.3f (query %d) -> light #%d by %s (%s %.2f)%n",
          s.suppressed().classId(),
          s.suppressed().score(),
          s.suppressed().queryIndex(),
          s.survivorIndex(),
          s.rule(),
          s.metric(),
          s.overlap());
    }
    DetectionTimings t = r.timings();
    out.printf(
        Locale.ROOT,
        "timings preprocess %.2f ms, inference %.2f ms, postprocess %.2f ms (decode %.2f,"
            + " suppress %.2f), classifier %.2f ms, total %.2f ms%n",
        t.detector().preprocessNanos() / 1e6,
        t.detector().inferenceNanos() / 1e6,
        t.detector().postprocessNanos() / 1e6,
        t.decodeNanos() / 1e6,
        t.suppressNanos() / 1e6,
        t.classifier().total().toNanos() / 1e6,
        t.total().toNanos() / 1e6);
    out.printf(
        Locale.ROOT,
        "fingerprint %s (%s, %s)%n",
        r.fingerprint().modelSha256(),
        r.fingerprint().provider(),
        r.fingerprint().variant());
  }

  /**
   * Draws each light's box (in its state's colour, white when unknown) and a label on a copy of the
   * frame.
   */
  static void writeAnnotated(ImageFrame frame, TrafficLightResult r, Path file) {
    Mat bgr = ImageFrames.toBgrMat(frame);
    try {
      int thickness = Math.max(1, Math.round(Math.max(frame.width(), frame.height()) / 400f));
      double fontScale = Math.max(0.35, Math.max(frame.width(), frame.height()) / 1400.0);
      for (int i = 0; i < r.lights().size(); i++) {
        TrafficLight l = r.lights().get(i);
        Scalar colour = l.state().map(s -> bgr(s.colour())).orElse(new Scalar(255, 255, 255));
        Box b = l.box();
        Imgproc.rectangle(
            bgr, new Point(b.x1(), b.y1()), new Point(b.x2(), b.y2()), colour, thickness);
        // Short label (index, score, state) on a filled background under the box, so neighbours
        // stay legible;
        // the full labels are in the table / JSON under the same index.
        String text =
            String.format(
                Locale.ROOT,
                "#%d %.2f%s",
                i,
                l.score(),
                l.state().map(s -> " " + s.name()).orElse(""));
        int[] baseline = new int[1];
        Size size = Imgproc.getTextSize(text, Imgproc.FONT_HERSHEY_SIMPLEX, fontScale, 1, baseline);
        double x = Math.min(Math.max(0, b.x1()), Math.max(0, frame.width() - size.width - 2));
        double y =
            b.y2() + size.height + 4 <= frame.height() ? b.y2() + size.height + 3 : b.y1() - 3;
        Imgproc.rectangle(
            bgr,
            new Point(x, y - size.height - 2),
            new Point(x + size.width + 2, y + baseline[0]),
            new Scalar(0, 0, 0),
            Imgproc.FILLED);
        Imgproc.putText(
            bgr,
            text,
            new Point(x + 1, y),
            Imgproc.FONT_HERSHEY_SIMPLEX,
            fontScale,
            colour,
            1,
            Imgproc.LINE_AA);
      }
      if (!Imgcodecs.imwrite(file.toString(), bgr)) {
        throw new EdgeVisionException(
            ErrorCode.BAD_INPUT,
            "cannot write " + file + " (unknown image extension or unwritable directory)");
      }
    } finally {
      bgr.release();
    }
  }

  private static Scalar bgr(Colour c) {
    return switch (c) {
      case RED -> new Scalar(0, 0, 255);
      case YELLOW -> new Scalar(0, 220, 255);
      case GREEN -> new Scalar(0, 200, 0);
      case OFF -> new Scalar(128, 128, 128);
      case UNKNOWN -> new Scalar(255, 255, 255);
    };
  }

  /** Whether {@code model} names one of the real-photo catalogue pipelines. */
  static boolean isRealModel(String model) {
    return ModelCatalog.REAL.equals(model) || ModelCatalog.REAL_ATTO.equals(model);
  }

  /**
   * The default image when no {@code --image} is given: the real sample photo for the real-photo
   * models when it was found, otherwise none (the shipped synthetic scene).
   */
  static Optional<Path> sampleFor(String model, Optional<Path> realSample) {
    return isRealModel(model) ? realSample.filter(Files::isRegularFile) : Optional.empty();
  }
}
