package io.edgevision.core;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

/**
 * Locates EdgeVision's shared resource directory ({@code models/}, {@code data/}, {@code golden/}),
 * which is kept beside a checkout rather than inside it, so that models and photos are never copied
 * into a repository.
 *
 * <p>Candidates, in order: the system property {@code edgevision.shared.dir}; the environment
 * variable {@code EDGEVISION_SHARED_DIR}; then {@code shared} beside each ancestor directory (up to
 * five levels) of the location the SDK was loaded from, i.e. the installation (so the CLI built in
 * a checkout finds {@code ../shared} of that checkout from any working directory). The working
 * directory is never searched: a file placed beside whatever directory a program happens to run in
 * is not picked up (issue 16). The build passes {@code
 * -Dedgevision.shared.dir=<checkout>/../shared} to the tests.
 *
 * <p>Threading: stateless, safe from any thread.
 */
public final class SharedDirectory {
  /** System property naming the shared directory. */
  public static final String PROPERTY = "edgevision.shared.dir";

  /** Environment variable naming the shared directory. */
  public static final String ENVIRONMENT = "EDGEVISION_SHARED_DIR";

  private SharedDirectory() {}

  /**
   * @return every candidate directory in lookup order (existing or not, duplicates removed)
   */
  public static List<Path> candidates() {
    LinkedHashSet<Path> out = new LinkedHashSet<>();
    String p = System.getProperty(PROPERTY);
    if (p != null && !p.isBlank() && !p.startsWith("${")) {
      out.add(Path.of(p));
    }
    String env = System.getenv(ENVIRONMENT);
    if (env != null && !env.isBlank()) {
      out.add(Path.of(env));
    }
    try {
      Path code =
          Path.of(
              SharedDirectory.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      Path dir = code.toAbsolutePath().getParent();
      for (int i = 0; i < 5 && dir != null; i++, dir = dir.getParent()) {
        if (dir.getParent() != null) {
          out.add(dir.getParent().resolve("shared"));
        }
      }
    } catch (URISyntaxException | RuntimeException e) {
      // no code source (some class loaders, Android): the other candidates remain
    }
    return new ArrayList<>(out);
  }

  /**
   * @return the first candidate that is a directory, if any
   */
  public static Optional<Path> root() {
    return candidates().stream().filter(Files::isDirectory).findFirst();
  }

  /**
   * @param relative e.g. {@code models/det_500m.onnx}
   * @return the first candidate's file that exists, if any
   */
  public static Optional<Path> find(String relative) {
    return candidates().stream().map(c -> c.resolve(relative)).filter(Files::exists).findFirst();
  }

  /**
   * @param relative e.g. {@code models/det_500m.onnx}
   * @return a message listing where {@code relative} was looked for, for error messages
   */
  public static String describeSearch(String relative) {
    return relative
        + " not found under "
        + candidates().stream().map(c -> c.toAbsolutePath().normalize().toString()).toList()
        + " (set -D"
        + PROPERTY
        + " or "
        + ENVIRONMENT
        + ")";
  }
}
