package io.edgevision.cli;

import io.edgevision.core.ImageFrame;
import io.edgevision.core.ImageFrames;
import io.edgevision.detectors.face.Face;
import io.edgevision.detectors.face.FaceRecognizer;
import io.edgevision.detectors.face.RecognizedFace;
import io.edgevision.detectors.face.Verification;
import java.io.PrintWriter;
import java.nio.file.Path;
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
 * {@code edgevision faces verify A.jpg B.jpg}: are the most prominent faces of two photos the same
 * person?
 */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description =
        "Compare the most prominent face (largest box) of two photos: cosine similarity and decision.")
final class FacesVerifyCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin FacesOptions common = new FacesOptions();

  @Parameters(index = "0", paramLabel = "A", description = "First photo")
  Path a;

  @Parameters(index = "1", paramLabel = "B", description = "Second photo")
  Path b;

  @Option(
      names = "--threshold",
      defaultValue = "0.45",
      description =
          "Cosine threshold for 'same person' (default: ${DEFAULT-VALUE}, measured on the shared sets)")
  float threshold;

  @Option(
      names = "--out",
      paramLabel = "PNG",
      description = "Write both photos side by side with boxes, landmarks, labels")
  @Nullable Path out;

  @Override
  public Integer call() throws Exception {
    return FacesSupport.guarded(spec, this::run);
  }

  private int run() throws Exception {
    if (out != null) {
      CliSupport.checkImageOutput("--out", out);
    }
    PrintWriter o = spec.commandLine().getOut();
    try (FaceRecognizer r = common.recognizer(threshold, threshold)) {
      ImageFrame fa = ImageFrames.read(a);
      ImageFrame fb = ImageFrames.read(b);
      List<Face> facesA = r.detect(fa);
      List<Face> facesB = r.detect(fb);
      if (facesA.isEmpty() || facesB.isEmpty()) {
        spec.commandLine()
            .getErr()
            .println("error: no face found in " + (facesA.isEmpty() ? a : b));
        return 1;
      }
      Face pa = facesA.stream().min(Face.MOST_PROMINENT_FIRST).orElseThrow();
      Face pb = facesB.stream().min(Face.MOST_PROMINENT_FIRST).orElseThrow();
      RecognizedFace ra = r.recognize(fa, List.of(pa)).get(0);
      RecognizedFace rb = r.recognize(fb, List.of(pb)).get(0);
      Verification v = r.verify(ra.embedding(), rb.embedding());
      if (out != null) {
        Mat ma = FacesSupport.canvas(fa);
        Mat mb = FacesSupport.canvas(fb);
        String label =
            String.format(Locale.ROOT, "%.3f %s", v.similarity(), v.same() ? "same" : "different");
        FacesSupport.draw(ma, pa, "A " + label, v.same());
        FacesSupport.draw(mb, pb, "B " + label, v.same());
        Mat both = FacesSupport.sideBySide(ma, mb);
        try {
          FacesSupport.write(both, out);
        } finally {
          ma.release();
          mb.release();
          both.release();
        }
      }
      if (common.json) {
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("similarity", v.similarity());
        j.put("threshold", v.threshold());
        j.put("same", v.same());
        j.put("a", used(a, facesA, pa));
        j.put("b", used(b, facesB, pb));
        j.put("fingerprint", fingerprint(r));
        o.println(CliSupport.JSON.writeValueAsString(j));
      } else {
        o.printf(
            Locale.ROOT,
            "%s: %s (similarity %.4f, threshold %.2f)%n",
            v.same() ? "SAME" : "DIFFERENT",
            v.same() ? "same person" : "different people",
            v.similarity(),
            v.threshold());
        o.println(describe("A", a, facesA, pa));
        o.println(describe("B", b, facesB, pb));
      }
      return 0;
    }
  }

  static Map<String, Object> fingerprint(FaceRecognizer r) {
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("detector", CliSupport.fingerprint(r.detector().session().fingerprint()));
    f.put("detector_family", r.detector().family().name());
    f.put("embedder", CliSupport.fingerprint(r.embedder().fingerprint()));
    return f;
  }

  private static Map<String, Object> used(Path p, List<Face> all, Face chosen) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("image", p.toString());
    m.put("faces", all.size());
    m.put("face_index", all.indexOf(chosen));
    m.put("face", FacesSupport.face(chosen));
    return m;
  }

  private static String describe(String tag, Path p, List<Face> all, Face chosen) {
    String which =
        all.size() == 1
            ? "its only face"
            : "the most prominent of "
                + all.size()
                + " faces (#"
                + all.indexOf(chosen)
                + ", largest box)";
    return String.format(
        Locale.ROOT,
        "  %s %s: %s, box [%.0f, %.0f, %.0f, %.0f], score %.2f",
        tag,
        p,
        which,
        chosen.box().x1(),
        chosen.box().y1(),
        chosen.box().x2(),
        chosen.box().y2(),
        chosen.score());
  }
}
