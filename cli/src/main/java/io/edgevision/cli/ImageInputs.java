package io.edgevision.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * The images of a multi-image command: {@code --image} files (repeatable) and the images of an
 * {@code --images} directory, and where their annotated copies go.
 */
final class ImageInputs {
  /** File name extensions read from an {@code --images} directory (what OpenCV decodes). */
  static final Set<String> EXTENSIONS = Set.of("jpg", "jpeg", "png", "bmp", "webp", "tif", "tiff");

  private ImageInputs() {}

  /**
   * @param files {@code --image} files, in order (may be empty)
   * @param dir an {@code --images} directory whose image files (by extension, not recursive) follow
   *     in name order, or null
   * @return the images, files first
   * @throws IllegalArgumentException when the directory is not one, or holds no image
   * @throws IOException when the directory cannot be listed
   */
  static List<Path> resolve(List<Path> files, @Nullable Path dir) throws IOException {
    List<Path> out = new ArrayList<>(files);
    if (dir != null) {
      if (!Files.isDirectory(dir)) {
        throw new IllegalArgumentException(
            "--images expects a directory, got "
                + dir
                + (Files.exists(dir) ? " (a file: use --image)" : " (does not exist)"));
      }
      try (Stream<Path> s = Files.list(dir)) {
        List<Path> found =
            s.filter(Files::isRegularFile).filter(ImageInputs::isImage).sorted().toList();
        if (found.isEmpty()) {
          throw new IllegalArgumentException(
              "expected image files ("
                  + String.join(", ", EXTENSIONS.stream().sorted().toList())
                  + ") in "
                  + dir
                  + ", found none");
        }
        out.addAll(found);
      }
    }
    return out;
  }

  static boolean isImage(Path p) {
    Path name = p.getFileName();
    if (name == null) {
      return false;
    }
    String n = name.toString();
    int dot = n.lastIndexOf('.');
    return dot > 0 && EXTENSIONS.contains(n.substring(dot + 1).toLowerCase(Locale.ROOT));
  }

  /**
   * @param out the {@code --out} argument
   * @param image the image
   * @param several whether the command has several images ({@code out} is then a directory)
   * @return the annotated copy's path: {@code out} itself for one image, else {@code out/<image
   *     file name>}
   */
  static Path annotatedPath(Path out, Path image, boolean several) {
    if (!several) {
      return out;
    }
    Path name = image.getFileName();
    return out.resolve(name == null ? "image.png" : name.toString());
  }

  /**
   * Prepares {@code --out} as a directory for several images.
   *
   * @throws IllegalArgumentException when it exists and is not a directory
   * @throws IOException when it cannot be created
   */
  static void prepareOutDirectory(Path out) throws IOException {
    if (Files.exists(out) && !Files.isDirectory(out)) {
      throw new IllegalArgumentException(
          "--out must be a directory when there are several images, got the file " + out);
    }
    Files.createDirectories(out);
  }
}
