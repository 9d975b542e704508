package io.edgevision.postprocess.golden;

import static org.assertj.core.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Parity with torchvision, OpenCV and scikit-image: one dynamic test per golden file. */
class GoldenFilesTest {
  @TestFactory
  Stream<DynamicTest> goldenFiles() {
    Path dir = GoldenRunner.resolveDirectory();
    if (!Files.isDirectory(dir)) {
      if (GoldenRunner.requireShared()) {
        fail(
            "golden directory %s does not exist, and edgevision.require.shared / EDGEVISION_REQUIRE_SHARED is"
                + " true; set -D%s or %s",
            dir.toAbsolutePath(), GoldenRunner.DIR_PROPERTY, GoldenRunner.DIR_ENV);
      }
      // One visible skipped test carrying the reason (an aborted factory would not show as
      // skipped).
      String reason =
          "golden directory "
              + dir.toAbsolutePath()
              + " not found: parity tests skipped (set -D"
              + GoldenRunner.DIR_PROPERTY
              + ", "
              + GoldenRunner.DIR_ENV
              + ", or -Dedgevision.require.shared=true"
              + " to fail instead)";
      return Stream.of(DynamicTest.dynamicTest("golden files", () -> Assumptions.abort(reason)));
    }
    return GoldenRunner.testsFor(dir);
  }
}
