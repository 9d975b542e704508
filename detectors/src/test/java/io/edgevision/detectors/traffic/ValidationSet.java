package io.edgevision.detectors.traffic;

import java.nio.file.Path;

/**
 * The committed validation set (detectors/src/test/resources/trafficlights), for the runtime and
 * eval tests.
 */
public final class ValidationSet {
  private ValidationSet() {}

  /**
   * @return the directory holding {@code annotations.json} and the scenes
   * @throws Exception when the test resources are missing
   */
  public static Path dir() throws Exception {
    return Path.of(
            ValidationSet.class
                .getClassLoader()
                .getResource("trafficlights/annotations.json")
                .toURI())
        .getParent();
  }
}
