package io.edgevision.core.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds {@code ../shared} (real models, photos, golden files) at test time, never copied into the repository.
 *
 * <p>Lookup order: system property {@code edgevision.shared.dir}, environment variable {@code
 * EDGEVISION_SHARED_DIR}, then {@code ../shared} and {@code ../../shared} relative to the working directory.
 * When a resource is absent the test is skipped with the reason, unless system property {@code
 * edgevision.require.shared=true} or environment variable {@code EDGEVISION_REQUIRE_SHARED=true} is set (CI
 * sets it), in which case the test fails.
 */
public final class SharedResources {
  private SharedResources() {}

  /** @return true when absence must fail rather than skip */
  public static boolean required() {
    return Boolean.parseBoolean(System.getProperty("edgevision.require.shared", "false"))
        || Boolean.parseBoolean(System.getenv().getOrDefault("EDGEVISION_REQUIRE_SHARED", "false"));
  }

  /** @return the shared directory, possibly non-existent */
  public static Path root() {
    String p = System.getProperty("edgevision.shared.dir");
    if (p == null || p.isBlank()) {
      p = System.getenv("EDGEVISION_SHARED_DIR");
    }
    if (p != null && !p.isBlank()) {
      return Path.of(p);
    }
    for (String candidate : new String[] {"../shared", "../../shared"}) {
      Path c = Path.of(candidate);
      if (Files.isDirectory(c)) {
        return c;
      }
    }
    return Path.of("../shared");
  }

  /**
   * @param relative e.g. {@code models/deimv2_hgnetv2_atto_coco_raw.onnx}
   * @return the existing path; skips (or fails when required) otherwise
   */
  public static Path require(String relative) {
    Path p = root().resolve(relative);
    if (!Files.exists(p)) {
      String msg = "shared resource " + relative + " not found under " + root().toAbsolutePath()
          + " (set -Dedgevision.shared.dir or EDGEVISION_SHARED_DIR)";
      if (required()) {
        throw new AssertionError(msg + "; required because edgevision.require.shared / EDGEVISION_REQUIRE_SHARED"
            + " is set");
      }
      assumeTrue(false, msg);
    }
    return p;
  }

  /** @return a model under {@code shared/models} */
  public static Path model(String file) {
    return require("models/" + file);
  }

  /** @return a file under {@code shared/data} */
  public static Path data(String relative) {
    return require("data/" + relative);
  }
}
