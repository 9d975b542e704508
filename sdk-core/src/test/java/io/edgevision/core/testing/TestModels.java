package io.edgevision.core.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The committed fixture models of {@code sdk-core/src/test/resources/models} (see tools/fixtures).
 */
public final class TestModels {
  private TestModels() {}

  /**
   * @param name e.g. {@code tiny_detr_raw.onnx}
   * @return a file copy of the classpath fixture in a temporary directory (stable per JVM)
   */
  public static Path path(String name) {
    try {
      Path dir =
          Path.of(
              System.getProperty("java.io.tmpdir"),
              "edgevision-fixtures-" + ProcessHandle.current().pid());
      Files.createDirectories(dir);
      Path out = dir.resolve(name);
      if (!Files.exists(out)) {
        try (InputStream in = TestModels.class.getResourceAsStream("/models/" + name)) {
          if (in == null) {
            throw new IllegalArgumentException("no fixture model " + name);
          }
          Path tmp = Files.createTempFile(dir, name, ".tmp");
          Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
          Files.move(tmp, out, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * @return the bytes of a fixture model
   */
  public static byte[] bytes(String name) {
    try {
      return Files.readAllBytes(path(name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
