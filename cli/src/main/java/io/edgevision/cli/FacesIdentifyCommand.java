package io.edgevision.cli;

import io.edgevision.core.ImageFrame;
import io.edgevision.core.ImageFrames;
import io.edgevision.detectors.face.FaceGallery;
import io.edgevision.detectors.face.FaceMatch;
import io.edgevision.detectors.face.FaceRecognizer;
import io.edgevision.detectors.face.Identification;
import io.edgevision.detectors.face.RecognizedFace;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import org.opencv.core.Mat;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code edgevision faces identify --gallery G IMG}: who is in the photo? Every face is identified.
 */
@Command(
    name = "identify",
    mixinStandardHelpOptions = true,
    description =
        "Identify every face of a photo against a gallery: top-k matches above the threshold, or unknown.")
final class FacesIdentifyCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin FacesOptions common = new FacesOptions();

  @Option(names = "--gallery", required = true, paramLabel = "FILE", description = "Gallery file")
  Path gallery;

  @Option(
      names = "--key-file",
      paramLabel = "FILE",
      description = "AES key of an encrypted gallery")
  @Nullable Path keyFile;

  @Option(
      names = "--threshold",
      defaultValue = "0.45",
      description = "Minimum cosine similarity (default: ${DEFAULT-VALUE})")
  float threshold;

  @Option(
      names = "--top-k",
      defaultValue = "5",
      description = "Matches per face (default: ${DEFAULT-VALUE})")
  int topK;

  @Option(
      names = "--out",
      paramLabel = "PNG",
      description = "Write the photo with boxes, landmarks and names")
  @Nullable Path out;

  @Parameters(index = "0", paramLabel = "IMG", description = "Photo")
  Path image;

  @Override
  public Integer call() throws Exception {
    return FacesSupport.guarded(spec, this::run);
  }

  private int run() throws Exception {
    CliSupport.checkNotDirectory("--gallery", gallery, "a gallery file");
    if (out != null) {
      CliSupport.checkImageOutput("--out", out);
    }
    PrintWriter o = spec.commandLine().getOut();
    try (FaceRecognizer r = common.recognizer(threshold, threshold)) {
      FaceGallery g = r.loadGallery(gallery, FacesOptions.key(keyFile));
      ImageFrame frame = ImageFrames.read(image);
      List<RecognizedFace> faces = r.recognize(frame);
      List<Map<String, Object>> results = new ArrayList<>();
      Mat img = out != null ? FacesSupport.canvas(frame) : null;
      try {
        for (int i = 0; i < faces.size(); i++) {
          RecognizedFace f = faces.get(i);
          Identification id = g.identify(f.embedding(), topK, threshold);
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("face_index", i);
          m.put("face", FacesSupport.face(f.face()));
          m.put("identity", id.best().map(FaceMatch::identity).orElse(null));
          m.put("known", !id.isUnknown());
          m.put(
              "matches",
              id.matches().stream()
                  .map(x -> Map.of("identity", x.identity(), "similarity", x.similarity()))
                  .toList());
          results.add(m);
          if (img != null) {
            String label =
                id.best()
                    .map(b -> String.format(Locale.ROOT, "%s %.2f", b.identity(), b.similarity()))
                    .orElse("unknown");
            FacesSupport.draw(img, f.face(), label, !id.isUnknown());
          }
        }
        if (img != null) {
          FacesSupport.write(img, out);
        }
      } finally {
        if (img != null) {
          img.release();
        }
      }
      if (common.json) {
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("image", image.toString());
        j.put("gallery", gallery.toString());
        j.put("identities", g.size());
        j.put("threshold", threshold);
        j.put("faces", results);
        j.put("fingerprint", FacesVerifyCommand.fingerprint(r));
        o.println(CliSupport.JSON.writeValueAsString(j));
      } else {
        o.printf(
            Locale.ROOT,
            "%s: %d face(s), gallery %s (%d identities), threshold %.2f%n",
            image,
            faces.size(),
            gallery,
            g.size(),
            threshold);
        for (Map<String, Object> m : results) {
          @SuppressWarnings("unchecked")
          List<Map<String, Object>> matches = (List<Map<String, Object>>) m.get("matches");
          o.printf(
              Locale.ROOT,
              "  face #%s: %s%s%n",
              m.get("face_index"),
              m.get("identity") == null ? "unknown" : m.get("identity"),
              matches.isEmpty()
                  ? ""
                  : "  "
                      + matches.stream()
                          .map(
                              x ->
                                  String.format(
                                      Locale.ROOT,
                                      "%s %.3f",
                                      x.get("identity"),
                                      (Float) x.get("similarity")))
                          .toList());
        }
      }
      return 0;
    }
  }
}
