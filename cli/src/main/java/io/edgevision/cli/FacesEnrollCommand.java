package io.edgevision.cli;

import io.edgevision.core.ImageFrame;
import io.edgevision.core.ImageFrames;
import io.edgevision.detectors.face.Face;
import io.edgevision.detectors.face.FaceGallery;
import io.edgevision.detectors.face.FaceRecognizer;
import io.edgevision.detectors.face.RecognizedFace;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import javax.crypto.SecretKey;
import org.jspecify.annotations.Nullable;
import org.opencv.core.Mat;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code edgevision faces enroll --gallery G --id NAME IMG...}: add a person's photos to a gallery
 * file.
 */
@Command(
    name = "enroll",
    mixinStandardHelpOptions = true,
    description =
        "Add the most prominent face of each photo to an identity in a gallery file (created if absent).")
final class FacesEnrollCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin FacesOptions common = new FacesOptions();

  @Option(
      names = "--gallery",
      required = true,
      paramLabel = "FILE",
      description = "Gallery file (written atomically)")
  Path gallery;

  @Option(names = "--id", required = true, paramLabel = "NAME", description = "Identity name")
  String id;

  @Option(
      names = "--key-file",
      paramLabel = "FILE",
      description = "AES key (16/24/32 raw bytes or hex) to encrypt the gallery at rest")
  @Nullable Path keyFile;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description = "Write each photo with the enrolled face drawn, as DIR/<name>.png")
  @Nullable Path out;

  @Parameters(arity = "1..*", paramLabel = "IMG", description = "Photos of the person")
  List<Path> images;

  @Override
  public Integer call() throws Exception {
    return FacesSupport.guarded(spec, this::run);
  }

  private int run() throws Exception {
    CliSupport.checkNotDirectory("--gallery", gallery, "a gallery file");
    if (out != null && Files.exists(out) && !Files.isDirectory(out)) {
      throw new IllegalArgumentException("--out: expected a directory, got the file " + out);
    }
    PrintWriter o = spec.commandLine().getOut();
    SecretKey key = FacesOptions.key(keyFile);
    try (FaceRecognizer r =
        common.recognizer(
            FaceRecognizer.DEFAULT_VERIFY_THRESHOLD, FaceRecognizer.DEFAULT_IDENTIFY_THRESHOLD)) {
      FaceGallery g = Files.exists(gallery) ? r.loadGallery(gallery, key) : r.newGallery();
      List<Map<String, Object>> used = new ArrayList<>();
      List<RecognizedFace> faces = new ArrayList<>();
      for (Path p : images) {
        ImageFrame frame = ImageFrames.read(p);
        List<Face> all = r.detect(frame);
        if (all.isEmpty()) {
          spec.commandLine()
              .getErr()
              .println("error: no face found in " + p + "; nothing was enrolled");
          return 1;
        }
        Face chosen = all.stream().min(Face.MOST_PROMINENT_FIRST).orElseThrow();
        faces.add(r.recognize(frame, List.of(chosen)).get(0));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("image", p.toString());
        m.put("faces", all.size());
        m.put("face_index", all.indexOf(chosen));
        m.put("face", FacesSupport.face(chosen));
        used.add(m);
        if (out != null) {
          Files.createDirectories(out);
          Mat img = FacesSupport.canvas(frame);
          try {
            FacesSupport.draw(img, chosen, id, true);
            String name = p.getFileName().toString().replaceFirst("\\.[^.]*$", "");
            FacesSupport.write(img, out.resolve(name + ".png"));
          } finally {
            img.release();
          }
        }
      }
      g.enroll(id, faces.stream().map(RecognizedFace::embedding).toList());
      if (key != null) {
        g.save(gallery, key);
      } else {
        g.save(gallery);
      }
      if (common.json) {
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("gallery", gallery.toString());
        j.put("id", id);
        j.put("enrolled", faces.size());
        j.put("embeddings_for_id", g.embeddingCount(id));
        j.put("identities", g.size());
        j.put("encrypted", key != null);
        j.put("images", used);
        j.put("fingerprint", FacesVerifyCommand.fingerprint(r));
        o.println(CliSupport.JSON.writeValueAsString(j));
      } else {
        o.printf(
            Locale.ROOT,
            "enrolled %d face(s) as '%s' into %s (%d identities, %d embeddings for '%s')%n",
            faces.size(),
            id,
            gallery,
            g.size(),
            g.embeddingCount(id),
            id);
        for (Map<String, Object> m : used) {
          int n = (Integer) m.get("faces");
          o.printf(
              Locale.ROOT,
              "  %s: %s%n",
              m.get("image"),
              n == 1
                  ? "its only face"
                  : "the most prominent of " + n + " faces (#" + m.get("face_index") + ")");
        }
      }
      return 0;
    }
  }
}
