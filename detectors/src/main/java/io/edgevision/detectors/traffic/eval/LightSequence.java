package io.edgevision.detectors.traffic.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgevision.postprocess.Box;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A labelled traffic-light video sequence in the {@code edgevision-trafficlight-sequence-v1} format
 * ({@code sequence.json} beside its frames; format in {@code training/README.md}): per frame the
 * true state of every light (also when hidden), what the pixels show, and a simulated detector
 * output.
 *
 * <p>Threading: immutable.
 *
 * @param name the sequence name
 * @param kind its kind ({@code cycle}, {@code flashing}, {@code dropouts}, …)
 * @param dir the directory holding {@code sequence.json} and the frames
 * @param fps frames per second (frame {@code i} is at {@code i / fps} s)
 * @param labels the joint states, head order
 * @param tracks the lights
 * @param frames the frames, index order
 */
public record LightSequence(
    String name,
    String kind,
    Path dir,
    int fps,
    List<String> labels,
    List<Track> tracks,
    List<SequenceFrame> frames) {
  /** The format this reader accepts. */
  public static final String FORMAT = "edgevision-trafficlight-sequence-v1";

  /** Validates and copies. */
  public LightSequence {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(dir, "dir");
    if (fps <= 0) {
      throw new IllegalArgumentException("expected fps > 0, got " + fps);
    }
    labels = List.copyOf(labels);
    tracks = List.copyOf(tracks);
    frames = List.copyOf(frames);
  }

  /**
   * A light of the sequence.
   *
   * @param trackId its id
   * @param flashing whether it flashes
   * @param flashingColour its lit colour when flashing ({@code yellow}, {@code red}), else {@code
   *     null}
   */
  public record Track(int trackId, boolean flashing, @Nullable String flashingColour) {}

  /**
   * The truth for one light in one frame.
   *
   * @param trackId the light
   * @param box its box, pixels
   * @param state the true joint state (the phase the signal is in)
   * @param renderedState what the pixels show (differs on {@code misread} and {@code flicker}
   *     frames)
   * @param visible false when hidden ({@code occluded})
   * @param event {@code none}, {@code occluded}, {@code misread} or {@code flicker}
   */
  public record SequenceObject(
      int trackId, Box box, String state, String renderedState, boolean visible, String event) {}

  /**
   * A simulated detection (one per visible light: jittered box, the rendered state as label).
   *
   * @param trackId the true light (for scoring only; a tracker must not read it)
   * @param box the box, pixels
   * @param state the label
   * @param score the score
   */
  public record SimulatedDetection(int trackId, Box box, String state, float score) {}

  /**
   * One frame.
   *
   * @param index the frame index
   * @param file the image file name, relative to {@link LightSequence#dir()}
   * @param objects the truth
   * @param detections the simulated detector output
   */
  public record SequenceFrame(
      int index, String file, List<SequenceObject> objects, List<SimulatedDetection> detections) {
    /** Copies. */
    public SequenceFrame {
      objects = List.copyOf(objects);
      detections = List.copyOf(detections);
    }
  }

  /**
   * @return the track with this id
   */
  Track track(int trackId) {
    return tracks.stream()
        .filter(t -> t.trackId() == trackId)
        .findFirst()
        .orElseThrow(
            () -> new IllegalArgumentException("no track " + trackId + " in sequence " + name));
  }

  /**
   * @param frameIndex a frame index
   * @return its capture time, nanoseconds from the first frame
   */
  public long timestampNanos(int frameIndex) {
    return Math.round(frameIndex * 1e9 / fps);
  }

  /**
   * Reads every sequence listed by an {@code index.json} ({@code {"sequences": ["seq_01_cycle",
   * …]}}).
   *
   * @param dir the directory holding {@code index.json} and one folder per sequence
   * @return the sequences, index order
   * @throws IOException when a file cannot be read or is not JSON
   * @throws IllegalArgumentException when a file is not in the expected format
   */
  public static List<LightSequence> readAll(Path dir) throws IOException {
    JsonNode index = new ObjectMapper().readTree(dir.resolve("index.json").toFile());
    JsonNode names = index == null ? null : index.get("sequences");
    if (names == null || !names.isArray()) {
      throw new IllegalArgumentException(
          "expected {\"sequences\": [...]} in " + dir.resolve("index.json"));
    }
    List<LightSequence> out = new ArrayList<>();
    for (JsonNode n : names) {
      out.add(read(dir.resolve(n.asText())));
    }
    return out;
  }

  /**
   * Reads one sequence.
   *
   * @param dir the sequence's directory (holding {@code sequence.json})
   * @return the sequence
   * @throws IOException when the file cannot be read or is not JSON
   * @throws IllegalArgumentException when it is not in the {@value #FORMAT} format
   */
  public static LightSequence read(Path dir) throws IOException {
    Path file = dir.resolve("sequence.json");
    JsonNode root = new ObjectMapper().readTree(file.toFile());
    if (root == null || !FORMAT.equals(root.path("format").asText())) {
      throw new IllegalArgumentException(
          "expected format "
              + FORMAT
              + " in "
              + file
              + ", got "
              + (root == null ? "nothing" : root.path("format")));
    }
    List<String> labels = new ArrayList<>();
    root.path("labels").forEach(l -> labels.add(l.asText()));
    List<Track> tracks = new ArrayList<>();
    for (JsonNode t : root.path("tracks")) {
      JsonNode colour = t.path("flashing_colour");
      tracks.add(
          new Track(
              required(t, "track_id").asInt(),
              t.path("flashing").asBoolean(false),
              colour.isTextual() ? colour.asText() : null));
    }
    List<SequenceFrame> frames = new ArrayList<>();
    for (JsonNode f : root.path("frames")) {
      List<SequenceObject> objects = new ArrayList<>();
      for (JsonNode o : f.path("objects")) {
        objects.add(
            new SequenceObject(
                required(o, "track_id").asInt(),
                box(required(o, "bbox")),
                required(o, "state").asText(),
                o.path("rendered_state").asText(o.get("state").asText()),
                o.path("visible").asBoolean(true),
                o.path("event").asText("none")));
      }
      List<SimulatedDetection> detections = new ArrayList<>();
      for (JsonNode d : f.path("detections")) {
        detections.add(
            new SimulatedDetection(
                d.path("track_id").asInt(-1),
                box(required(d, "bbox")),
                required(d, "state").asText(),
                (float) required(d, "score").asDouble()));
      }
      frames.add(
          new SequenceFrame(
              required(f, "index").asInt(), required(f, "file").asText(), objects, detections));
    }
    return new LightSequence(
        root.path("name").asText(dir.getFileName() == null ? "" : dir.getFileName().toString()),
        root.path("kind").asText(""),
        dir,
        root.path("fps").asInt(10),
        labels,
        tracks,
        frames);
  }

  private static Box box(JsonNode bbox) {
    if (!bbox.isArray() || bbox.size() != 4) {
      throw new IllegalArgumentException("expected bbox [x, y, w, h], got " + bbox);
    }
    float x = (float) bbox.get(0).asDouble();
    float y = (float) bbox.get(1).asDouble();
    return new Box(x, y, x + (float) bbox.get(2).asDouble(), y + (float) bbox.get(3).asDouble());
  }

  private static JsonNode required(JsonNode n, String key) {
    JsonNode v = n.get(key);
    if (v == null || v.isNull()) {
      String s = n.toString();
      throw new IllegalArgumentException(
          "expected field '"
              + key
              + "' in "
              + (s.length() <= 120 ? s : s.substring(0, 117) + "..."));
    }
    return v;
  }
}
