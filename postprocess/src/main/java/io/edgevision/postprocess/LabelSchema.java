package io.edgevision.postprocess;

import io.edgevision.postprocess.internal.Checks;
import io.edgevision.postprocess.internal.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Maps each joint class of a single softmax state head to structured attributes: colour, arrows and
 * (when the schema has it) flashing. Parsed from JSON with a JDK-only reader.
 *
 * <p>Format (UTF-8 JSON; keys are case-sensitive, values of {@code colour}/{@code arrows} are not):
 *
 * <pre>{@code
 * {
 *   "name": "traffic-light-states-v1",                 // optional
 *   "classes": [                                        // required, in head output order
 *     {"name": "red",        "colour": "red",   "arrows": ["none"]},
 *     {"name": "red_left",   "colour": "red",   "arrows": ["left"]},
 *     {"name": "green_ls",   "colour": "green", "arrows": ["left", "straight"]},
 *     {"name": "yellow_fl",  "colour": "yellow", "flashing": true},
 *     {"name": "off",        "colour": "off"}
 *   ]
 * }
 * }</pre>
 *
 * <ul>
 *   <li>{@code name}: required, unique, non-empty.
 *   <li>{@code colour} (or {@code color}): required; {@code red}, {@code yellow} ({@code amber}),
 *       {@code green}, {@code off}, {@code unknown}.
 *   <li>{@code arrows}: optional array of {@code none}, {@code left}, {@code right}, {@code
 *       straight}, {@code u_turn}; default {@code ["none"]}; {@code none} cannot be combined.
 *   <li>{@code flashing}: optional boolean. The schema {@link #hasFlashing() has flashing} when any
 *       class sets it; classes that omit it are then non-flashing.
 *   <li>{@code index}: optional; when present it must equal the class's position in the array.
 *   <li>No two classes may share the same (colour, arrows, flashing) combination; unknown keys are
 *       rejected.
 * </ul>
 *
 * <p>(JSON has no comments; the {@code //} notes above are explanations only.)
 *
 * <p>Threading: immutable.
 */
public final class LabelSchema {
  private static final Set<String> CLASS_KEYS =
      Set.of("index", "name", "colour", "color", "arrows", "flashing");

  private final String name;
  private final List<StateClass> classes;
  private final boolean hasFlashing;

  private LabelSchema(String name, List<StateClass> classes, boolean hasFlashing) {
    this.name = name;
    this.classes = List.copyOf(classes);
    this.hasFlashing = hasFlashing;
  }

  /**
   * Builds a schema from classes given in head output order.
   *
   * @param name the schema name (may be empty)
   * @param classes the classes; {@code classes.get(i).index() == i}
   * @return the schema
   * @throws IllegalArgumentException when the classes are empty, out of order, or repeat a name or
   *     combination
   */
  public static LabelSchema of(String name, List<StateClass> classes) {
    Checks.checkArgument(!classes.isEmpty(), "expected at least one class, got %d", 0);
    Set<String> names = new HashSet<>();
    Set<List<Object>> combos = new HashSet<>();
    boolean flashing = false;
    for (int i = 0; i < classes.size(); i++) {
      StateClass c = classes.get(i);
      Checks.checkArgument(c.index() == i, "expected class index %d, got %d", i, c.index());
      Checks.checkArgument(
          names.add(c.name()), "expected unique class names, got \"%s\" twice", c.name());
      Checks.checkArgument(
          combos.add(List.of(c.colour(), c.arrows(), c.flashing())),
          "expected unique (colour, arrows, flashing) combinations, got %s twice (class \"%s\")",
          c.colour() + " " + c.arrows() + (c.flashing() ? " flashing" : ""),
          c.name());
      flashing |= c.flashing();
    }
    return new LabelSchema(name, classes, flashing);
  }

  /**
   * Parses a schema document (format above).
   *
   * @param json the JSON text
   * @return the schema
   * @throws IllegalArgumentException when the document is malformed or violates the format
   */
  public static LabelSchema parse(String json) {
    Map<String, Object> root = Json.asObject(Json.parse(json), "label schema");
    for (String key : root.keySet()) {
      Checks.checkArgument(
          key.equals("name") || key.equals("classes"),
          "label schema: expected keys name, classes, got \"%s\"",
          key);
    }
    String schemaName = root.containsKey("name") ? Json.asString(root.get("name"), "name") : "";
    List<Object> rawClasses = Json.asArray(root.get("classes"), "classes");
    List<StateClass> classes = new ArrayList<>(rawClasses.size());
    boolean anyFlashing = false;
    for (int i = 0; i < rawClasses.size(); i++) {
      String where = "classes[" + i + "]";
      Map<String, Object> c = Json.asObject(rawClasses.get(i), where);
      for (String key : c.keySet()) {
        Checks.checkArgument(
            CLASS_KEYS.contains(key),
            "%s: expected keys index, name, colour, arrows, flashing, got \"%s\"",
            where,
            key);
      }
      if (c.containsKey("index")) {
        int index = Json.asIndex(c.get("index"), where + ".index");
        Checks.checkArgument(index == i, "%s.index: expected %s, got %s", where, i, index);
      }
      String className = Json.asString(c.get("name"), where + ".name");
      Checks.checkArgument(
          !(c.containsKey("colour") && c.containsKey("color")),
          "%s: expected one of colour or color, got both",
          where);
      Object colourValue = c.containsKey("colour") ? c.get("colour") : c.get("color");
      Colour colour = Colour.parse(Json.asString(colourValue, where + ".colour"));
      Set<Arrow> arrows = EnumSet.noneOf(Arrow.class);
      if (c.containsKey("arrows")) {
        for (Object a : Json.asArray(c.get("arrows"), where + ".arrows")) {
          arrows.add(Arrow.parse(Json.asString(a, where + ".arrows[]")));
        }
        Checks.checkArgument(
            !arrows.isEmpty(), "%s.arrows: expected at least one arrow, got []", where);
      } else {
        arrows.add(Arrow.NONE);
      }
      boolean flashing = false;
      if (c.containsKey("flashing")) {
        flashing = Json.asBoolean(c.get("flashing"), where + ".flashing");
        anyFlashing = true;
      }
      classes.add(new StateClass(i, className, colour, arrows, flashing));
    }
    LabelSchema schema = of(schemaName, classes);
    return new LabelSchema(schema.name, schema.classes, anyFlashing);
  }

  /**
   * Reads a UTF-8 schema file.
   *
   * @param file the file
   * @return the schema
   * @throws IOException when the file cannot be read
   * @throws IllegalArgumentException when the document is malformed or violates the format
   */
  public static LabelSchema read(Path file) throws IOException {
    return parse(
        new String(
            Files.readAllBytes(file), StandardCharsets.UTF_8)); // readString: Android API 33+
  }

  /**
   * Reads a UTF-8 schema from a stream (e.g. a classpath resource); the stream is read to its end,
   * not closed.
   *
   * @param in the stream
   * @return the schema
   * @throws IOException when the stream cannot be read
   * @throws IllegalArgumentException when the document is malformed or violates the format
   */
  public static LabelSchema read(InputStream in) throws IOException {
    ByteArrayOutputStream bytes =
        new ByteArrayOutputStream(); // readAllBytes, transferTo: Android API 33+
    byte[] buf = new byte[8192];
    for (int n; (n = in.read(buf)) != -1; ) {
      bytes.write(buf, 0, n);
    }
    return parse(new String(bytes.toByteArray(), StandardCharsets.UTF_8));
  }

  /**
   * @return the schema name, possibly empty
   */
  public String name() {
    return name;
  }

  /**
   * @return the number of joint classes (the head's output width)
   */
  public int size() {
    return classes.size();
  }

  /**
   * @param index class index, {@code 0 <= index < size()}
   * @return the class
   */
  public StateClass stateClass(int index) {
    return classes.get(index);
  }

  /**
   * @return every class, in head output order
   */
  public List<StateClass> classes() {
    return classes;
  }

  /**
   * @return whether any class declares the flashing attribute
   */
  public boolean hasFlashing() {
    return hasFlashing;
  }

  /**
   * Looks up the class with exactly these attributes.
   *
   * @param colour the colour
   * @param arrows the arrows
   * @param flashing the flashing flag
   * @return its index, or empty when the schema has no such combination
   */
  public OptionalInt find(Colour colour, Set<Arrow> arrows, boolean flashing) {
    for (StateClass c : classes) {
      if (c.colour() == colour && c.arrows().equals(arrows) && c.flashing() == flashing) {
        return OptionalInt.of(c.index());
      }
    }
    return OptionalInt.empty();
  }

  /** Value equality: same name, classes and flashing flag. */
  @Override
  public boolean equals(Object o) {
    return o instanceof LabelSchema s
        && name.equals(s.name)
        && classes.equals(s.classes)
        && hasFlashing == s.hasFlashing;
  }

  @Override
  public int hashCode() {
    return 31 * (31 * name.hashCode() + classes.hashCode()) + Boolean.hashCode(hasFlashing);
  }

  @Override
  public String toString() {
    return "LabelSchema{name="
        + name
        + ", classes="
        + classes.size()
        + ", flashing="
        + hasFlashing
        + "}";
  }
}
