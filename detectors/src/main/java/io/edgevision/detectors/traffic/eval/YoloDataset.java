package io.edgevision.detectors.traffic.eval;

import io.edgevision.core.ImageFrames;
import io.edgevision.postprocess.Box;
import io.edgevision.postprocess.Colour;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Reads a YOLO-format detection folder (Ultralytics / Roboflow export) as a {@link CocoDataset}, so
 * that the COCO evaluation runs on it unchanged.
 *
 * <h2>Layout</h2>
 *
 * A split folder {@code DIR} with {@code DIR/images/*.jpg|png|…} and {@code DIR/labels/<image
 * stem>.txt} (a missing label file is an image without lights), and {@code data.yaml} in {@code
 * DIR} or one level up (the usual Roboflow layout: {@code cinta_v2/data.yaml} beside {@code
 * cinta_v2/valid/}). Of {@code data.yaml} only {@code names} is read: a block list ({@code -
 * green}), an inline list ({@code [green, red]}) or a map ({@code 0: green}). A label line is
 * {@code class cx cy w h} normalised to 0..1, or {@code class x1 y1 x2 y2 …} (a polygon, whose
 * bounding box is taken).
 *
 * <h2>Mapping onto the project's schema</h2>
 *
 * Every box becomes an annotation of the one category {@value #CATEGORY} (id {@value
 * #CATEGORY_ID}), whose state is its YOLO class name: the {@link Colour} it names ({@code green},
 * {@code red}, {@code yellow}, {@code amber}, {@code off}, any case), else the colour its name
 * starts with ({@code red_left}, {@code RedLeft}, {@code green-arrow}), else {@link Colour#UNKNOWN}
 * (not annotated). The class name is kept as the annotation's {@link
 * CocoDataset.Annotation#stateName()}. Image width and height come from the file header.
 *
 * <p>Example: {@code CocoDataset d =
 * YoloDataset.read(Path.of("../shared/data/traffic_lights/cinta_v2/valid"));}
 *
 * <p>Threading: stateless static functions; safe everywhere.
 */
public final class YoloDataset {
  /** The category every YOLO box becomes. */
  public static final String CATEGORY = "traffic light";

  /** Its category id. */
  public static final int CATEGORY_ID = 1;

  private static final Set<String> IMAGE_EXTENSIONS =
      Set.of("jpg", "jpeg", "png", "bmp", "webp", "tif", "tiff");

  private YoloDataset() {}

  /**
   * @param dir a folder with {@code images/} (and {@code labels/})
   * @return true when it looks like a YOLO split folder
   */
  public static boolean isYoloFolder(Path dir) {
    return Files.isDirectory(dir.resolve("images")) && Files.isDirectory(dir.resolve("labels"));
  }

  /**
   * @param dir the split folder
   * @return its images directory ({@code dir/images})
   */
  public static Path imagesDir(Path dir) {
    return dir.resolve("images");
  }

  /**
   * Reads a split folder.
   *
   * @param dir the split folder (see the class Javadoc)
   * @return the dataset, images in file-name order, ids from 1
   * @throws IOException when a file cannot be read
   * @throws IllegalArgumentException when the layout, {@code data.yaml} or a label line is
   *     malformed (the message names the file and line)
   */
  public static CocoDataset read(Path dir) throws IOException {
    if (!Files.isDirectory(dir.resolve("images"))) {
      throw new IllegalArgumentException(
          "expected a YOLO folder with images/ and labels/, got "
              + dir
              + " (no images/ directory)");
    }
    Path yaml =
        dataYaml(dir)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "expected data.yaml in "
                            + dir
                            + " or its parent (YOLO class names), found none"));
    List<String> names = names(yaml);
    List<Path> files;
    try (Stream<Path> s = Files.list(dir.resolve("images"))) {
      files = s.filter(Files::isRegularFile).filter(YoloDataset::isImage).sorted().toList();
    }
    List<CocoDataset.Image> images = new ArrayList<>();
    List<CocoDataset.Annotation> annotations = new ArrayList<>();
    long imageId = 0;
    long annId = 0;
    for (Path f : files) {
      imageId++;
      int[] size = imageSize(f);
      String fileName = String.valueOf(f.getFileName());
      images.add(new CocoDataset.Image(imageId, fileName, size[0], size[1]));
      Path label = dir.resolve("labels").resolve(stem(fileName) + ".txt");
      if (!Files.isRegularFile(label)) {
        continue;
      }
      List<String> lines = Files.readAllLines(label, StandardCharsets.UTF_8);
      for (int ln = 0; ln < lines.size(); ln++) {
        String line = lines.get(ln).trim();
        if (line.isEmpty()) {
          continue;
        }
        Box box;
        int cls;
        String where = label + ":" + (ln + 1);
        try {
          String[] v = line.split("\\s+");
          if (v.length < 5 || (v.length > 5 && v.length % 2 == 0)) {
            throw new IllegalArgumentException(
                "expected 'class cx cy w h' or 'class x1 y1 x2 y2 ...', got "
                    + v.length
                    + " values");
          }
          cls = Integer.parseInt(v[0]);
          box = v.length == 5 ? centre(v, size) : polygon(v, size);
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(
              where + ": " + e.getMessage() + " in \"" + line + "\"", e);
        }
        if (cls < 0 || cls >= names.size()) {
          throw new IllegalArgumentException(
              where + ": class " + cls + " is not in data.yaml's names " + names);
        }
        String name = names.get(cls);
        annotations.add(
            new CocoDataset.Annotation(
                ++annId,
                imageId,
                CATEGORY_ID,
                box,
                false,
                colour(name),
                name,
                CocoDataset.Annotation.NO_ROW));
      }
    }
    return new CocoDataset(images, annotations, Map.of(CATEGORY_ID, CATEGORY));
  }

  /** {@code data.yaml} of a split folder: in it, else one level up. */
  static Optional<Path> dataYaml(Path dir) {
    Path here = dir.resolve("data.yaml");
    if (Files.isRegularFile(here)) {
      return Optional.of(here);
    }
    Path parent = dir.toAbsolutePath().normalize().getParent();
    if (parent != null && Files.isRegularFile(parent.resolve("data.yaml"))) {
      return Optional.of(parent.resolve("data.yaml"));
    }
    return Optional.empty();
  }

  /**
   * The class names of a {@code data.yaml}.
   *
   * @param yaml the file
   * @return the names, index order
   * @throws IOException when it cannot be read
   * @throws IllegalArgumentException when it has no {@code names}
   */
  static List<String> names(Path yaml) throws IOException {
    List<String> lines = Files.readAllLines(yaml, StandardCharsets.UTF_8);
    for (int i = 0; i < lines.size(); i++) {
      String line = stripComment(lines.get(i));
      if (!line.startsWith("names:")) {
        continue;
      }
      String rest = line.substring("names:".length()).trim();
      if (rest.startsWith("[")) {
        if (!rest.endsWith("]")) {
          throw new IllegalArgumentException(
              yaml + ": expected an inline list names: [a, b] on one line, got " + rest);
        }
        List<String> out = new ArrayList<>();
        for (String part : rest.substring(1, rest.length() - 1).split(",")) {
          if (!part.isBlank()) {
            out.add(unquote(part.trim()));
          }
        }
        return out;
      }
      Map<Integer, String> byIndex = new LinkedHashMap<>();
      List<String> list = new ArrayList<>();
      for (int j = i + 1; j < lines.size(); j++) {
        String raw = lines.get(j);
        String item = stripComment(raw);
        if (item.isEmpty()) {
          continue;
        }
        if (!Character.isWhitespace(raw.charAt(0)) && !item.startsWith("-")) {
          break; // the next top-level key
        }
        if (item.startsWith("-")) {
          list.add(unquote(item.substring(1).trim()));
        } else {
          int colon = item.indexOf(':');
          if (colon < 0) {
            throw new IllegalArgumentException(
                yaml
                    + ":"
                    + (j + 1)
                    + ": expected '- name' or 'N: name' under"
                    + " names, got "
                    + item);
          }
          byIndex.put(
              Integer.parseInt(item.substring(0, colon).trim()),
              unquote(item.substring(colon + 1).trim()));
        }
      }
      if (!byIndex.isEmpty()) {
        for (int k = 0; k < byIndex.size(); k++) {
          String n = byIndex.get(k);
          if (n == null) {
            throw new IllegalArgumentException(
                yaml + ": expected names 0.." + (byIndex.size() - 1) + ", missing " + k);
          }
          list.add(n);
        }
      }
      if (list.isEmpty()) {
        throw new IllegalArgumentException(yaml + ": 'names' has no entries");
      }
      return list;
    }
    throw new IllegalArgumentException(
        "expected a 'names' key (the class names) in " + yaml + ", found none");
  }

  /**
   * @param name a YOLO class name
   * @return its colour (see the class Javadoc), {@link Colour#UNKNOWN} when it names none
   */
  public static Colour colour(String name) {
    String t = name.trim();
    String n = t.toLowerCase(Locale.ROOT);
    for (String c : new String[] {"green", "red", "yellow", "amber", "off"}) {
      if (!n.startsWith(c)) {
        continue;
      }
      if (n.length() == c.length()) {
        return Colour.parse(c);
      }
      char next = t.charAt(c.length());
      if (!Character.isLetter(next) || Character.isUpperCase(next)) {
        return Colour.parse(c); // red_left, green-arrow, RedLeft
      }
    }
    return Colour.UNKNOWN;
  }

  private static Box centre(String[] v, int[] size) {
    float cx = Float.parseFloat(v[1]);
    float cy = Float.parseFloat(v[2]);
    float w = Float.parseFloat(v[3]);
    float h = Float.parseFloat(v[4]);
    if (!(w > 0 && h > 0)) {
      throw new IllegalArgumentException(
          "expected a positive width and height, got " + w + " x " + h);
    }
    return new Box(
        (cx - w / 2) * size[0],
        (cy - h / 2) * size[1],
        (cx + w / 2) * size[0],
        (cy + h / 2) * size[1]);
  }

  private static Box polygon(String[] v, int[] size) {
    float x1 = Float.MAX_VALUE;
    float y1 = Float.MAX_VALUE;
    float x2 = -Float.MAX_VALUE;
    float y2 = -Float.MAX_VALUE;
    for (int i = 1; i < v.length; i += 2) {
      float x = Float.parseFloat(v[i]);
      float y = Float.parseFloat(v[i + 1]);
      x1 = Math.min(x1, x);
      y1 = Math.min(y1, y);
      x2 = Math.max(x2, x);
      y2 = Math.max(y2, y);
    }
    return new Box(x1 * size[0], y1 * size[1], x2 * size[0], y2 * size[1]);
  }

  /** Width and height from the image header (ImageIO), else by decoding it (OpenCV). */
  private static int[] imageSize(Path f) throws IOException {
    try (ImageInputStream in = ImageIO.createImageInputStream(f.toFile())) {
      if (in != null) {
        Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
        if (readers.hasNext()) {
          ImageReader r = readers.next();
          try {
            r.setInput(in);
            return new int[] {r.getWidth(0), r.getHeight(0)};
          } finally {
            r.dispose();
          }
        }
      }
    }
    var frame = ImageFrames.read(f);
    return new int[] {frame.width(), frame.height()};
  }

  private static boolean isImage(Path p) {
    String n = String.valueOf(p.getFileName());
    int dot = n.lastIndexOf('.');
    return dot > 0 && IMAGE_EXTENSIONS.contains(n.substring(dot + 1).toLowerCase(Locale.ROOT));
  }

  private static String stem(String fileName) {
    int dot = fileName.lastIndexOf('.');
    return dot > 0 ? fileName.substring(0, dot) : fileName;
  }

  private static String stripComment(String s) {
    int hash = s.indexOf(" #");
    String t = hash >= 0 ? s.substring(0, hash) : s;
    return t.startsWith("#") ? "" : t.trim();
  }

  private static String unquote(String s) {
    if (s.length() >= 2
        && (s.charAt(0) == '\'' || s.charAt(0) == '"')
        && s.charAt(s.length() - 1) == s.charAt(0)) {
      return s.substring(1, s.length() - 1);
    }
    return s;
  }
}
