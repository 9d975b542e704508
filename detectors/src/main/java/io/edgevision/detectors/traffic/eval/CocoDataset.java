package io.edgevision.detectors.traffic.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgevision.postprocess.Box;
import io.edgevision.postprocess.Colour;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * A COCO-format annotation file (the {@code instances_*.json} layout): images, box annotations and
 * categories, plus an optional per-annotation light state.
 *
 * <p>State annotations (an extension; plain COCO has none): an annotation may carry {@code "state":
 * "red"} or {@code "attributes": {"state": "red"}} ({@code colour}/{@code color} also accepted),
 * with the colours of {@link Colour#parse}. Absent means "not annotated" ({@link Colour#UNKNOWN}).
 * A state may also be a joint state name such as {@code "red_left"} (the EdgeVision validation set,
 * {@code detectors/src/test/resources/trafficlights}); its colour is then {@code
 * attributes.colour}, else the part before the first {@code _}, and the name is kept in {@link
 * Annotation#stateName()}. {@code attributes.row} (a row of housings side by side, -1 = none) is
 * kept too.
 *
 * <p>Threading: immutable.
 *
 * @param images the images, file order
 * @param annotations every annotation, file order
 * @param categories category id to name
 */
public record CocoDataset(
    List<Image> images, List<Annotation> annotations, Map<Integer, String> categories) {
  /**
   * One image entry.
   *
   * @param id the image id
   * @param fileName the file name, relative to the images directory
   * @param width width in pixels
   * @param height height in pixels
   */
  public record Image(long id, String fileName, int width, int height) {
    /** Validates the entry. */
    public Image {
      Objects.requireNonNull(fileName, "fileName");
    }
  }

  /**
   * One box annotation.
   *
   * @param id the annotation id
   * @param imageId the image it belongs to
   * @param categoryId the COCO category id (not the contiguous index)
   * @param box the box, {@code x1, y1, x2, y2} pixels (from COCO's {@code [x, y, w, h]})
   * @param crowd COCO {@code iscrowd}: a crowd region, ignored by the evaluation (neither needed
   *     nor a false positive)
   * @param state the annotated light colour, {@link Colour#UNKNOWN} when not annotated
   * @param stateName the annotated state as written (e.g. {@code "red_left"}), {@code ""} when not
   *     annotated
   * @param row {@code attributes.row}: the id of the row of side-by-side housings this light
   *     belongs to within its image, {@link #NO_ROW} when none or not annotated
   */
  public record Annotation(
      long id,
      long imageId,
      int categoryId,
      Box box,
      boolean crowd,
      Colour state,
      String stateName,
      int row) {
    /** {@link #row()} of a light that is not in a row. */
    public static final int NO_ROW = -1;

    /** Validates the entry. */
    public Annotation {
      Objects.requireNonNull(box, "box");
      Objects.requireNonNull(state, "state");
      Objects.requireNonNull(stateName, "stateName");
    }
  }

  /** Validates and copies. */
  public CocoDataset {
    images = List.copyOf(images);
    annotations = List.copyOf(annotations);
    categories = Map.copyOf(categories);
  }

  /**
   * Reads a COCO annotation file.
   *
   * @param file the JSON file
   * @return the dataset
   * @throws IOException when the file cannot be read or is not JSON
   * @throws IllegalArgumentException when a required field is missing or malformed
   */
  public static CocoDataset read(Path file) throws IOException {
    JsonNode root = new ObjectMapper().readTree(file.toFile());
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException(
          "expected a COCO JSON object in " + file + ", got " + root);
    }
    List<Image> images = new ArrayList<>();
    for (JsonNode n : array(root, "images")) {
      images.add(
          new Image(
              required(n, "id").asLong(),
              required(n, "file_name").asText(),
              required(n, "width").asInt(),
              required(n, "height").asInt()));
    }
    Map<Integer, String> categories = new LinkedHashMap<>();
    for (JsonNode n : array(root, "categories")) {
      categories.put(required(n, "id").asInt(), required(n, "name").asText());
    }
    List<Annotation> annotations = new ArrayList<>();
    for (JsonNode n : array(root, "annotations")) {
      JsonNode bbox = required(n, "bbox");
      if (!bbox.isArray() || bbox.size() != 4) {
        throw new IllegalArgumentException(
            "expected bbox [x, y, w, h], got " + bbox + " in annotation " + n.get("id"));
      }
      float x = (float) bbox.get(0).asDouble();
      float y = (float) bbox.get(1).asDouble();
      float w = (float) bbox.get(2).asDouble();
      float h = (float) bbox.get(3).asDouble();
      String stateName = stateName(n);
      annotations.add(
          new Annotation(
              required(n, "id").asLong(),
              required(n, "image_id").asLong(),
              required(n, "category_id").asInt(),
              new Box(x, y, x + w, y + h),
              n.path("iscrowd").asInt(0) == 1,
              colour(n, stateName),
              stateName,
              n.path("attributes").path("row").asInt(Annotation.NO_ROW)));
    }
    return new CocoDataset(images, annotations, categories);
  }

  /**
   * @param name a category name, e.g. {@code "traffic light"}
   * @return its COCO category id, if present
   */
  public OptionalInt categoryId(String name) {
    for (Map.Entry<Integer, String> e : categories.entrySet()) {
      if (e.getValue().equals(name)) {
        return OptionalInt.of(e.getKey());
      }
    }
    return OptionalInt.empty();
  }

  /**
   * @param imageId an image id
   * @param categoryId a category id
   * @return that image's annotations of that category, file order
   */
  public List<Annotation> annotations(long imageId, int categoryId) {
    return annotations.stream()
        .filter(a -> a.imageId() == imageId && a.categoryId() == categoryId)
        .toList();
  }

  /**
   * @param imageId an image id
   * @return that image's annotations of every category, file order
   */
  public List<Annotation> annotations(long imageId) {
    return annotations.stream().filter(a -> a.imageId() == imageId).toList();
  }

  /** {@code state}, else {@code attributes.state|colour|color} as written; "" when none. */
  private static String stateName(JsonNode n) {
    JsonNode s = n.path("state");
    if (s.isMissingNode()) {
      JsonNode attrs = n.path("attributes");
      for (String key : new String[] {"state", "colour", "color"}) {
        if (attrs.has(key)) {
          s = attrs.get(key);
          break;
        }
      }
    }
    return s.isTextual() ? s.asText() : "";
  }

  /**
   * The colour of a state name: a colour itself, else attributes.colour|color, else the part before
   * '_'.
   */
  private static Colour colour(JsonNode n, String stateName) {
    if (stateName.isEmpty()) {
      return Colour.UNKNOWN;
    }
    if (isColour(stateName)) {
      return Colour.parse(stateName);
    }
    JsonNode attrs = n.path("attributes");
    for (String key : new String[] {"colour", "color"}) {
      if (attrs.path(key).isTextual()) {
        return Colour.parse(attrs.get(key).asText());
      }
    }
    int cut = stateName.indexOf('_');
    if (cut > 0 && isColour(stateName.substring(0, cut))) {
      return Colour.parse(stateName.substring(0, cut));
    }
    throw new IllegalArgumentException(
        "expected a state that is a colour (red, yellow, amber, green, off) or starts"
            + " with one (red_left), or an attributes.colour, got \""
            + stateName
            + "\" in annotation "
            + n.get("id"));
  }

  private static boolean isColour(String name) {
    try {
      Colour.parse(name);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static Iterable<JsonNode> array(JsonNode root, String key) {
    JsonNode a = root.path(key);
    if (!a.isArray()) {
      throw new IllegalArgumentException(
          "expected a '" + key + "' array in the COCO file, got " + a.getNodeType());
    }
    return a;
  }

  private static JsonNode required(JsonNode n, String key) {
    JsonNode v = n.get(key);
    if (v == null || v.isNull()) {
      throw new IllegalArgumentException(
          "expected field '" + key + "' in " + abbreviate(n.toString()));
    }
    return v;
  }

  private static String abbreviate(String s) {
    return s.length() <= 120 ? s : s.substring(0, 117) + "...";
  }
}
