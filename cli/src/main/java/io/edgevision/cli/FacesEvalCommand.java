package io.edgevision.cli;

import io.edgevision.core.EdgeVisionException;
import io.edgevision.core.ErrorCode;
import io.edgevision.core.ImageFrames;
import io.edgevision.detectors.face.Embedding;
import io.edgevision.detectors.face.FaceGallery;
import io.edgevision.detectors.face.FaceRecognizer;
import io.edgevision.detectors.face.GalleryStorage;
import io.edgevision.detectors.face.RecognizedFace;
import io.edgevision.detectors.face.VerificationMetrics;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code edgevision faces eval --pairs pairs.csv --images DIR}: verification quality on labelled
 * pairs (CSV {@code file_x,file_y,Decision} with Yes/No, as in deepface's {@code master.csv}).
 */
@Command(
    name = "eval",
    mixinStandardHelpOptions = true,
    description =
        "Evaluate verification on labelled pairs: ROC AUC, best accuracy and threshold, TAR at FAR 1e-2/1e-3.")
final class FacesEvalCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin FacesOptions common = new FacesOptions();

  @Option(
      names = "--pairs",
      required = true,
      paramLabel = "CSV",
      description = "file_x,file_y,Decision (Yes/No; also 1/0, true/false, same/different)")
  Path pairs;

  @Option(
      names = "--images",
      required = true,
      paramLabel = "DIR",
      description = "Directory holding the images")
  Path images;

  @Option(
      names = "--threshold",
      defaultValue = "0.45",
      description = "Threshold whose accuracy is also reported (default: ${DEFAULT-VALUE})")
  float threshold;

  @Option(
      names = "--gallery-storage",
      defaultValue = "FLOAT32",
      paramLabel = "FLOAT32|INT8",
      description =
          "Score each pair as a FaceGallery of this storage would: enrol the first photo's embedding,"
              + " identify the second (default: ${DEFAULT-VALUE}, the exact cosine)")
  GalleryStorage storage;

  @Override
  public Integer call() throws Exception {
    return FacesSupport.guarded(spec, this::run);
  }

  private int run() throws Exception {
    PrintWriter o = spec.commandLine().getOut();
    List<String[]> rows = new ArrayList<>();
    List<String> lines = Files.readAllLines(pairs);
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).trim();
      if (line.isEmpty() || (i == 0 && line.toLowerCase(Locale.ROOT).contains("decision"))) {
        continue;
      }
      String[] c = line.split(",");
      if (c.length < 3) {
        throw new EdgeVisionException(
            ErrorCode.BAD_INPUT,
            pairs + " line " + (i + 1) + ": expected file_x,file_y,Decision, got '" + line + "'");
      }
      rows.add(new String[] {c[0].trim(), c[1].trim(), c[2].trim()});
    }
    try (FaceRecognizer r = common.recognizer(threshold, threshold)) {
      Map<String, Optional<Embedding>> cache = new HashMap<>();
      List<String> noFace = new ArrayList<>();
      List<Double> scores = new ArrayList<>();
      List<Boolean> same = new ArrayList<>();
      int skipped = 0;
      int correct = 0;
      double maxDelta = 0;
      for (String[] row : rows) {
        Optional<Embedding> a = embedding(r, row[0], cache, noFace);
        Optional<Embedding> b = embedding(r, row[1], cache, noFace);
        if (a.isEmpty() || b.isEmpty()) {
          skipped++;
          continue;
        }
        boolean truth = label(row[2], row);
        float exact = a.get().similarity(b.get());
        float s = exact;
        if (storage != GalleryStorage.FLOAT32) {
          FaceGallery g = FaceGallery.create(a.get().model(), storage);
          g.enroll("x", a.get());
          s = g.identify(b.get(), 1, -1f).best().orElseThrow().similarity();
          maxDelta = Math.max(maxDelta, Math.abs(s - exact));
        }
        scores.add((double) s);
        same.add(truth);
        correct += (s >= threshold) == truth ? 1 : 0;
      }
      boolean[] y = new boolean[same.size()];
      for (int i = 0; i < y.length; i++) {
        y[i] = same.get(i);
      }
      VerificationMetrics m =
          VerificationMetrics.compute(
              scores.stream().mapToDouble(Double::doubleValue).toArray(),
              y,
              VerificationMetrics.DEFAULT_FARS);
      if (common.json) {
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("pairs", scores.size());
        j.put("positives", m.positives());
        j.put("negatives", m.negatives());
        j.put("skipped_pairs", skipped);
        j.put("images_without_face", noFace);
        j.put("auc", m.auc());
        j.put("best_accuracy", m.bestAccuracy());
        j.put("best_threshold", m.bestThreshold());
        Map<String, Object> tars = new LinkedHashMap<>();
        Map<String, Object> tarThresholds = new LinkedHashMap<>();
        for (VerificationMetrics.TarAtFar t : m.tarAtFar()) {
          String k = String.format(Locale.ROOT, "%.0e", t.far()).replace("e-0", "e-");
          tars.put(k, t.tar());
          tarThresholds.put(k, t.threshold());
        }
        j.put("tar_at_far", tars);
        j.put("tar_at_far_thresholds", tarThresholds);
        j.put("threshold", threshold);
        j.put("gallery_storage", storage.name());
        j.put("max_score_delta_vs_float32", maxDelta);
        j.put("accuracy_at_threshold", correct / (double) scores.size());
        j.put("detector", r.detector().family().name());
        j.put("fingerprint", FacesVerifyCommand.fingerprint(r));
        o.println(CliSupport.JSON.writeValueAsString(j));
      } else {
        o.printf(
            Locale.ROOT,
            "%d pairs (%d same, %d different), detector %s%n",
            scores.size(),
            m.positives(),
            m.negatives(),
            r.detector().family());
        if (skipped > 0) {
          o.printf(Locale.ROOT, "skipped %d pair(s): no face in %s%n", skipped, noFace);
        }
        if (storage != GalleryStorage.FLOAT32) {
          o.printf(
              Locale.ROOT,
              "gallery storage %s: max |score - float32 cosine| %.5f%n",
              storage,
              maxDelta);
        }
        o.printf(Locale.ROOT, "ROC AUC        %.4f%n", m.auc());
        o.printf(
            Locale.ROOT,
            "best accuracy  %.4f at threshold %.3f%n",
            m.bestAccuracy(),
            m.bestThreshold());
        o.printf(
            Locale.ROOT,
            "accuracy       %.4f at threshold %.3f%n",
            correct / (double) scores.size(),
            threshold);
        for (VerificationMetrics.TarAtFar t : m.tarAtFar()) {
          o.printf(
              Locale.ROOT,
              "TAR @ FAR %.0e  %.4f (threshold %.3f, %d false accepts)%n",
              t.far(),
              t.tar(),
              t.threshold(),
              t.falseAccepts());
        }
      }
      return 0;
    }
  }

  private Optional<Embedding> embedding(
      FaceRecognizer r, String file, Map<String, Optional<Embedding>> cache, List<String> noFace) {
    return cache.computeIfAbsent(
        file,
        f -> {
          Optional<RecognizedFace> face = r.mostProminent(ImageFrames.read(images.resolve(f)));
          if (face.isEmpty()) {
            noFace.add(f);
          }
          return face.map(RecognizedFace::embedding);
        });
  }

  private boolean label(String v, String[] row) {
    switch (v.toLowerCase(Locale.ROOT)) {
      case "yes", "1", "true", "same":
        return true;
      case "no", "0", "false", "different":
        return false;
      default:
        throw new EdgeVisionException(
            ErrorCode.BAD_INPUT,
            pairs
                + ": expected Yes/No in the Decision column, got '"
                + v
                + "' for "
                + row[0]
                + ","
                + row[1]);
    }
  }
}
