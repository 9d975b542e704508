package io.edgevision.cli;

import io.edgevision.core.EdgeVisionException;
import io.edgevision.core.ErrorCode;
import io.edgevision.core.ImageFrame;
import io.edgevision.core.ImageFrames;
import io.edgevision.core.OpenCvLoader;
import io.edgevision.detectors.face.Face;
import io.edgevision.detectors.face.Keypoint;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.opencv.core.Core;
import org.opencv.core.Mat;
import org.opencv.core.Point;
import org.opencv.core.Scalar;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;
import picocli.CommandLine.Model.CommandSpec;

/** JSON shapes, drawing and error handling shared by the {@code faces} subcommands. */
final class FacesSupport {
  /** Landmark colours (BGR): eyes, nose, mouth corners. */
  private static final Scalar[] LANDMARK_COLOURS = {
    new Scalar(255, 0, 0),
    new Scalar(255, 0, 0),
    new Scalar(0, 255, 255),
    new Scalar(255, 0, 255),
    new Scalar(255, 0, 255)
  };

  private FacesSupport() {}

  /** Runs a command body; SDK and I/O errors print {@code error: ...} and give exit code 1. */
  static int guarded(CommandSpec spec, Callable<Integer> body) throws Exception {
    try {
      return body.call();
    } catch (EdgeVisionException e) {
      spec.commandLine().getErr().println("error: " + Main.oneLine(e.getMessage()));
      return 1;
    } catch (java.io.IOException e) {
      spec.commandLine()
          .getErr()
          .println("error: " + Main.oneLine(e.getClass().getSimpleName() + ": " + e.getMessage()));
      return 1;
    }
  }

  static Map<String, Object> face(Face f) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("box", List.of(f.box().x1(), f.box().y1(), f.box().x2(), f.box().y2()));
    o.put("score", f.score());
    List<List<Float>> lm = new ArrayList<>();
    for (Keypoint k : f.landmarks().points()) {
      lm.add(List.of(k.x(), k.y()));
    }
    o.put("landmarks", lm);
    return o;
  }

  /** A copy of the frame as a BGR Mat (caller releases). */
  static Mat canvas(ImageFrame frame) {
    OpenCvLoader.ensureLoaded();
    return ImageFrames.toBgrMat(frame);
  }

  /**
   * Draws a face: box (green when named, red when unknown), landmarks, and a label above the box.
   */
  static void draw(Mat img, Face f, String label, boolean known) {
    double scale = Math.max(0.5, Math.min(img.cols(), img.rows()) / 800.0);
    int thick = Math.max(1, (int) Math.round(2 * scale));
    Scalar colour = known ? new Scalar(0, 200, 0) : new Scalar(0, 0, 230);
    Imgproc.rectangle(
        img,
        new Point(f.box().x1(), f.box().y1()),
        new Point(f.box().x2(), f.box().y2()),
        colour,
        thick);
    for (int i = 0; i < 5; i++) {
      Keypoint k = f.landmarks().points().get(i);
      Imgproc.circle(img, new Point(k.x(), k.y()), Math.max(2, thick + 1), LANDMARK_COLOURS[i], -1);
    }
    int[] baseline = new int[1];
    org.opencv.core.Size size =
        Imgproc.getTextSize(label, Imgproc.FONT_HERSHEY_SIMPLEX, 0.7 * scale, thick, baseline);
    double x = Math.max(0, f.box().x1());
    double y = Math.max(size.height + 4, f.box().y1() - 4);
    Imgproc.rectangle(
        img,
        new Point(x, y - size.height - 4),
        new Point(x + size.width + 4, y + baseline[0]),
        colour,
        -1);
    Imgproc.putText(
        img,
        label,
        new Point(x + 2, y - 2),
        Imgproc.FONT_HERSHEY_SIMPLEX,
        0.7 * scale,
        new Scalar(255, 255, 255),
        thick);
  }

  /** Places two images side by side (same height), for {@code verify --out}. Caller releases. */
  static Mat sideBySide(Mat a, Mat b) {
    int h = Math.max(a.rows(), b.rows());
    Mat pa = new Mat();
    Mat pb = new Mat();
    Core.copyMakeBorder(a, pa, 0, h - a.rows(), 0, 0, Core.BORDER_CONSTANT, new Scalar(0, 0, 0));
    Core.copyMakeBorder(b, pb, 0, h - b.rows(), 0, 0, Core.BORDER_CONSTANT, new Scalar(0, 0, 0));
    Mat out = new Mat();
    Core.hconcat(List.of(pa, pb), out);
    pa.release();
    pb.release();
    return out;
  }

  static void write(Mat img, Path out) {
    boolean ok;
    try {
      ok = Imgcodecs.imwrite(out.toString(), img);
    } catch (org.opencv.core.CvException e) {
      throw new EdgeVisionException(
          ErrorCode.BAD_INPUT,
          "cannot write image "
              + out
              + ": expected a writable"
              + " .png/.jpg path, got OpenCV error: "
              + Main.oneLine(e.getMessage()),
          e);
    }
    if (!ok) {
      throw new EdgeVisionException(
          ErrorCode.BAD_INPUT,
          "cannot write image "
              + out
              + " (unknown extension or unwritable directory; use .png or .jpg)");
    }
  }
}
