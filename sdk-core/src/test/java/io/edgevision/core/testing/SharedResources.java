package io.edgevision.core.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;

/**
 * Finds {@code ../shared} (real models, photos, golden files) at test time, never copied into the
 * repository.
 *
 * <p>Lookup order: {@link io.edgevision.core.SharedDirectory}. When a resource is absent the test
 * is skipped with the reason, unless system property {@code edgevision.require.shared=true} or
 * environment variable {@code EDGEVISION_REQUIRE_SHARED=true} is set (CI sets it), in which case
 * the test fails.
 */
public final class SharedResources {
  private SharedResources() {}

  /**
   * @return true when absence must fail rather than skip
   */
  public static boolean required() {
    return Boolean.parseBoolean(System.getProperty("edgevision.require.shared", "false"))
        || Boolean.parseBoolean(System.getenv().getOrDefault("EDGEVISION_REQUIRE_SHARED", "false"));
  }

  /**
   * @return the shared directory ({@link io.edgevision.core.SharedDirectory} lookup), possibly
   *     non-existent
   */
  public static Path root() {
    return io.edgevision.core.SharedDirectory.root().orElse(Path.of("../shared"));
  }

  /**
   * @param relative e.g. {@code models/deimv2_hgnetv2_atto_coco_raw.onnx}
   * @return the existing path; skips (or fails when required) otherwise
   */
  public static Path require(String relative) {
    Path p = io.edgevision.core.SharedDirectory.find(relative).orElse(null);
    if (p == null) {
      String msg = "shared resource " + io.edgevision.core.SharedDirectory.describeSearch(relative);
      if (required()) {
        throw new AssertionError(
            msg
                + "; required because edgevision.require.shared / EDGEVISION_REQUIRE_SHARED"
                + " is set");
      }
      assumeTrue(false, msg);
    }
    return p;
  }

  /**
   * @return a model under {@code shared/models}
   */
  public static Path model(String file) {
    return require("models/" + file);
  }

  /**
   * @return a file under {@code shared/data}
   */
  public static Path data(String relative) {
    return require("data/" + relative);
  }
}
