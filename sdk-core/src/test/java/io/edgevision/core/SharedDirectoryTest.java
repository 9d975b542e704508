package io.edgevision.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SharedDirectoryTest {
  private String saved;

  @BeforeEach
  void save() {
    saved = System.getProperty(SharedDirectory.PROPERTY);
  }

  @AfterEach
  void restore() {
    if (saved == null) {
      System.clearProperty(SharedDirectory.PROPERTY);
    } else {
      System.setProperty(SharedDirectory.PROPERTY, saved);
    }
  }

  @Test
  void thePropertyComesFirstAndItsFilesAreFound(@TempDir Path dir) throws Exception {
    Files.createDirectories(dir.resolve("models"));
    Files.writeString(dir.resolve("models/x.onnx"), "x");
    System.setProperty(SharedDirectory.PROPERTY, dir.toString());
    assertThat(SharedDirectory.candidates().get(0)).isEqualTo(dir);
    assertThat(SharedDirectory.root()).hasValue(dir);
    assertThat(SharedDirectory.find("models/x.onnx")).hasValue(dir.resolve("models/x.onnx"));
    assertThat(SharedDirectory.find("models/nope.onnx")).isEmpty();
    assertThat(SharedDirectory.describeSearch("models/nope.onnx"))
        .contains("models/nope.onnx not found under")
        .contains(dir.toString())
        .contains("EDGEVISION_SHARED_DIR");
  }

  @Test
  void anUnresolvedMavenPlaceholderIsIgnored() {
    System.setProperty(SharedDirectory.PROPERTY, "${edgevision.shared.dir}");
    assertThat(SharedDirectory.candidates()).noneMatch(p -> p.toString().contains("${"));
    assertThat(SharedDirectory.candidates()).isNotEmpty();
  }

  @Test
  void theWorkingDirectoryIsNeverSearched() {
    // issue 16: a models/ directory placed beside any working directory must not be loaded
    assertThat(SharedDirectory.candidates())
        .doesNotContain(Path.of("../shared"), Path.of("../../shared"));
  }
}
