package io.edgevision.postprocess.golden;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runner reads whatever directory it is pointed at, and fails loudly on what it cannot check.
 */
class GoldenDirectoryTest {
  private static final String NMS_CASE =
      "{\"kind\":\"nms\",\"name\":\"extra\",\"reference\":\"hand-made\",\"iou_threshold\":0.5,"
          + "\"boxes_xyxy\":[[0,0,10,10],[1,0,11,10],[20,0,30,10]],\"scores\":[0.9,0.8,0.7],"
          + "\"expected_keep\":%s}";

  @Test
  void propertyPointsTheRunnerAtAnotherDirectory(@TempDir Path dir) throws Throwable {
    Files.writeString(
        dir.resolve("nms-extra.json"), String.format(NMS_CASE, "[0,2]"), StandardCharsets.UTF_8);
    Files.writeString(dir.resolve("notes.txt"), "not a golden file", StandardCharsets.UTF_8);
    String previous = System.getProperty(GoldenRunner.DIR_PROPERTY);
    System.setProperty(GoldenRunner.DIR_PROPERTY, dir.toString());
    try {
      assertThat(GoldenRunner.resolveDirectory()).isEqualTo(dir);
      List<DynamicTest> tests =
          GoldenRunner.testsFor(GoldenRunner.resolveDirectory()).collect(Collectors.toList());
      assertThat(tests).extracting(DynamicTest::getDisplayName).containsExactly("nms-extra.json");
      tests.get(0).getExecutable().execute();
    } finally {
      if (previous == null) {
        System.clearProperty(GoldenRunner.DIR_PROPERTY);
      } else {
        System.setProperty(GoldenRunner.DIR_PROPERTY, previous);
      }
    }
  }

  @Test
  void aWrongExpectationFails(@TempDir Path dir) throws Exception {
    Files.writeString(
        dir.resolve("nms-wrong.json"), String.format(NMS_CASE, "[0,1,2]"), StandardCharsets.UTF_8);
    DynamicTest test = GoldenRunner.testsFor(dir).findFirst().orElseThrow();
    assertThatThrownBy(() -> test.getExecutable().execute())
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("kept indices in order");
  }

  @Test
  void anUnknownKindFailsNamingTheFileAndKind(@TempDir Path dir) throws Exception {
    Files.writeString(
        dir.resolve("rotated_nms-x.json"),
        "{\"kind\":\"rotated_nms\",\"name\":\"x\"}",
        StandardCharsets.UTF_8);
    DynamicTest test = GoldenRunner.testsFor(dir).findFirst().orElseThrow();
    assertThatThrownBy(() -> test.getExecutable().execute())
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("rotated_nms-x.json")
        .hasMessageContaining("unknown golden kind \"rotated_nms\"");
  }
}
