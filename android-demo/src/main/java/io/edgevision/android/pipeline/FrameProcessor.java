package io.edgevision.android.pipeline;

import io.edgevision.android.frames.Yuv420;
import io.edgevision.core.Budget;
import io.edgevision.core.ImageFrame;
import io.edgevision.detectors.face.FaceMatch;
import io.edgevision.detectors.traffic.TrafficLight;
import io.edgevision.detectors.traffic.TrafficLightResult;
import io.edgevision.postprocess.Box;
import io.edgevision.postprocess.Colour;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The path every camera frame takes, free of Android classes so tests drive it with a real photo:
 * camera planes → {@link Yuv420#toNv21} into a pooled buffer → {@link LatestFrameWins} → the
 * traffic-light or face pipeline → marks and a heads-up line for the {@link Display}.
 *
 * <h2>Lifecycle</h2>
 *
 * Owns its runner, not the pipelines: {@link #close()} stops the runner after the frame in flight
 * (idempotent); the activity then closes the pipelines. Frames offered after close are dropped.
 *
 * <h2>Threading</h2>
 *
 * {@link #onFrame} from the camera thread; settings from any thread; {@link Display#show} is called
 * on the worker thread (the activity posts to the UI thread).
 */
public final class FrameProcessor implements AutoCloseable {
  /** What the app does with frames. */
  public enum Mode {
    TRAFFIC_LIGHTS,
    FACES
  }

  /** Receives what to draw. Fast, never throws. */
  public interface Display {
    /**
     * @param shown the marks and the heads-up line of one processed frame
     */
    void show(Shown shown);
  }

  /**
   * One processed frame's output.
   *
   * @param marks boxes in frame pixels
   * @param headsUp the heads-up line
   * @param frameWidth frame width (sensor orientation)
   * @param frameHeight frame height
   * @param rotationDegrees sensor-to-screen rotation
   * @param outcome the SDK outcome name ({@code COMPLETED}, {@code REJECTED}, ...), or the face
   *     result kind
   */
  public record Shown(
      List<Mark> marks,
      String headsUp,
      int frameWidth,
      int frameHeight,
      int rotationDegrees,
      String outcome) {
    /** Copies the marks. */
    public Shown {
      marks = List.copyOf(marks);
    }
  }

  private record CameraFrame(ImageFrame frame, ByteBuffer buffer, int rotation) {}

  private static final int RED = 0xFFFF3B30;
  private static final int YELLOW = 0xFFFFCC00;
  private static final int GREEN = 0xFF34C759;
  private static final int GREY = 0xFFB0B0B0;
  private static final int POOL = 3;

  private final Supplier<@Nullable TrafficLightPipeline> traffic;
  private final Supplier<@Nullable FacePipeline> faces;
  private final Display display;
  private final LatestFrameWins<CameraFrame, Shown> runner;
  private final BlockingQueue<ByteBuffer> pool = new ArrayBlockingQueue<>(POOL);
  private volatile Mode mode = Mode.TRAFFIC_LIGHTS;
  private volatile long budgetMillis = 50;
  private volatile @Nullable String enrolAs;
  private volatile @Nullable String verifyAs;

  /**
   * @param traffic the traffic-light pipeline, or null while it is not ready
   * @param faces the face pipeline, or null when face models are missing
   * @param display where results go
   */
  public FrameProcessor(
      Supplier<@Nullable TrafficLightPipeline> traffic,
      Supplier<@Nullable FacePipeline> faces,
      Display display) {
    this.traffic = Objects.requireNonNull(traffic, "traffic");
    this.faces = Objects.requireNonNull(faces, "faces");
    this.display = Objects.requireNonNull(display, "display");
    runner =
        new LatestFrameWins<>(
            "edgevision-frames",
            this::process,
            new LatestFrameWins.Listener<>() {
              @Override
              public void done(CameraFrame f, Shown shown) {
                release(f);
                display.show(shown);
              }

              @Override
              public void failed(CameraFrame f, RuntimeException error) {
                release(f);
                display.show(
                    new Shown(
                        List.of(),
                        "error: " + error.getMessage(),
                        f.frame().width(),
                        f.frame().height(),
                        f.rotation(),
                        "ERROR"));
              }

              @Override
              public void skipped(CameraFrame f) {
                release(f);
              }
            });
  }

  /**
   * @param m the mode for the next frames
   */
  public void mode(Mode m) {
    mode = Objects.requireNonNull(m, "mode");
  }

  /**
   * @return the current mode
   */
  public Mode mode() {
    return mode;
  }

  /**
   * @param millis the latency budget per frame, &gt; 0
   */
  public void budgetMillis(long millis) {
    if (millis <= 0) {
      throw new IllegalArgumentException("budget must be > 0 ms, got " + millis);
    }
    budgetMillis = millis;
  }

  /**
   * @return the latency budget per frame
   */
  public long budgetMillis() {
    return budgetMillis;
  }

  /**
   * @param identity enrol the most prominent face of the next face-mode frame under this name
   */
  public void enrolNext(String identity) {
    enrolAs = Objects.requireNonNull(identity, "identity");
  }

  /**
   * @param identity verify frames against this identity (null: identify against the whole gallery)
   */
  public void verifyAgainst(@Nullable String identity) {
    verifyAs = identity;
  }

  /**
   * @return frames skipped by latest-frame-wins so far
   */
  public long skippedFrames() {
    return runner.skipped();
  }

  /**
   * A camera frame, from the camera thread (or a test): converted to NV21 into a pooled buffer and
   * offered to the worker. The planes are not kept.
   *
   * @param width frame width (sensor orientation)
   * @param height frame height
   * @param y Y plane
   * @param u U plane
   * @param v V plane
   * @param rotationDegrees sensor-to-screen rotation
   */
  public void onFrame(
      int width, int height, Yuv420.Plane y, Yuv420.Plane u, Yuv420.Plane v, int rotationDegrees) {
    int size = Yuv420.nv21Size(width, height);
    ByteBuffer buf = pool.poll();
    if (buf == null || buf.capacity() != size) {
      buf = ByteBuffer.allocateDirect(size);
    }
    buf.clear();
    ImageFrame frame = Yuv420.toNv21(width, height, y, u, v, buf);
    runner.offer(new CameraFrame(frame, buf, rotationDegrees));
  }

  private void release(CameraFrame f) {
    pool.offer(f.buffer());
  }

  private Shown process(CameraFrame f) {
    return mode == Mode.FACES ? faces(f) : trafficLights(f);
  }

  private Shown trafficLights(CameraFrame f) {
    TrafficLightPipeline p = traffic.get();
    int w = f.frame().width();
    int h = f.frame().height();
    if (p == null) {
      return new Shown(
          List.of(), "loading the traffic-light model...", w, h, f.rotation(), "LOADING");
    }
    long budget = budgetMillis;
    TrafficLightResult r = p.detect(f.frame(), Budget.ofMillis(budget));
    List<Mark> marks = new ArrayList<>();
    for (TrafficLight l : r.lights()) {
      Box b = l.box();
      int colour = l.state().map(s -> colour(s.colour())).orElse(GREY);
      marks.add(
          new Mark(
              b.x1(),
              b.y1(),
              b.x2(),
              b.y2(),
              String.format(Locale.ROOT, "%s %.2f", l.label(), l.score()),
              colour));
    }
    String line =
        HeadsUp.line(
                r.outcome().name(),
                r.timings().total().toNanos(),
                budget,
                p.stats(),
                p.providerDecisions())
            + " | lights "
            + r.lights().size()
            + " | skipped "
            + runner.skipped()
            + (r.message().isEmpty() ? "" : " | " + r.message());
    return new Shown(marks, line, w, h, f.rotation(), r.outcome().name());
  }

  private static int colour(Colour c) {
    return switch (c) {
      case RED -> RED;
      case YELLOW -> YELLOW;
      case GREEN -> GREEN;
      default -> GREY;
    };
  }

  private Shown faces(CameraFrame f) {
    FacePipeline p = faces.get();
    int w = f.frame().width();
    int h = f.frame().height();
    if (p == null) {
      return new Shown(
          List.of(),
          "face mode needs the face models (see README: adb push)",
          w,
          h,
          f.rotation(),
          "NO_MODELS");
    }
    long t0 = System.nanoTime();
    String enrol = enrolAs;
    if (enrol != null) {
      enrolAs = null;
      try {
        return p.enrol(f.frame(), enrol)
            .map(
                face ->
                    new Shown(
                        List.of(mark(face.face().box(), "enrolled " + enrol, GREEN)),
                        "enrolled " + enrol + " (gallery: " + p.identities() + ")",
                        w,
                        h,
                        f.rotation(),
                        "ENROLLED"))
            .orElseGet(
                () ->
                    new Shown(
                        List.of(),
                        "no face to enrol: look at the camera and try again",
                        w,
                        h,
                        f.rotation(),
                        "NO_FACE"));
      } catch (IOException e) {
        return new Shown(
            List.of(), "cannot save the gallery: " + e.getMessage(), w, h, f.rotation(), "ERROR");
      }
    }
    String verify = verifyAs;
    if (verify != null) {
      return p.verify(f.frame(), verify)
          .map(
              v ->
                  new Shown(
                      List.of(),
                      String.format(
                          Locale.ROOT,
                          "%s: %s (similarity %.2f, threshold %.2f) %.1f ms",
                          verify,
                          v.same() ? "SAME" : "DIFFERENT",
                          v.similarity(),
                          v.threshold(),
                          (System.nanoTime() - t0) / 1e6),
                      w,
                      h,
                      f.rotation(),
                      v.same() ? "SAME" : "DIFFERENT"))
          .orElseGet(() -> new Shown(List.of(), "no face", w, h, f.rotation(), "NO_FACE"));
    }
    List<Mark> marks = new ArrayList<>();
    long budget = budgetMillis;
    FacePipeline.Identified id = p.identifyAll(f.frame(), Budget.ofMillis(budget));
    for (FacePipeline.Recognition r : id.faces()) {
      String who =
          r.identification().isUnknown()
              ? "unknown"
              : r.identification().best().map(FaceMatch::identity).orElse("unknown");
      float sim = r.identification().best().map(FaceMatch::similarity).orElse(0f);
      marks.add(
          mark(
              r.face().face().box(),
              String.format(Locale.ROOT, "%s %.2f", who, sim),
              "unknown".equals(who) ? GREY : GREEN));
    }
    return new Shown(
        marks,
        String.format(
            Locale.ROOT,
            "%s %.1f ms (budget %d ms) | faces %d | gallery %s%s",
            id.outcome(),
            (System.nanoTime() - t0) / 1e6,
            budget,
            marks.size(),
            p.identities(),
            id.message().isEmpty() ? "" : " | " + id.message()),
        w,
        h,
        f.rotation(),
        id.outcome().name());
  }

  private static Mark mark(Box b, String label, int colour) {
    return new Mark(b.x1(), b.y1(), b.x2(), b.y2(), label, colour);
  }

  /** Stops the worker after the frame in flight; idempotent. */
  @Override
  public void close() {
    runner.close();
  }
}
