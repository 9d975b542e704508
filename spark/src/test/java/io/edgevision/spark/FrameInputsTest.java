package io.edgevision.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.edgevision.core.EdgeVisionException;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Local paths and URIs of input frames (no Spark). */
class FrameInputsTest {
  @ParameterizedTest
  @CsvSource({
    "/data/a.jpg, true", // absolute path
    "data/a.jpg, true", // relative path
    "file:/data/a.jpg, true", // binaryFile's form
    "file:///data/a.jpg, true", // full file URI
    "hdfs://nn/drives/a.jpg, false", // another file system
    "s3a://bucket/a.jpg, false", // object store
    "C:/data/a.jpg, true", // not a scheme: one letter (a drive)
  })
  void localOrNot(String path, boolean local) {
    assertThat(FrameInputs.isLocal(path)).isEqualTo(local);
  }

  @ParameterizedTest
  @CsvSource({
    "file:/data/a.jpg, /data/a.jpg",
    "file:///data/a.jpg, /data/a.jpg",
    "/data/a.jpg, /data/a.jpg",
  })
  void localPaths(String path, String want) {
    assertThat(FrameInputs.localPath(path)).isEqualTo(Path.of(want));
  }

  @org.junit.jupiter.api.Test
  void aRemoteFrameWithoutContentIsABadInput() {
    EdgeVisionException e =
        assertThrows(EdgeVisionException.class, () -> FrameInputs.localPath("hdfs://nn/a.jpg"));
    assertThat(e)
        .hasMessageContaining(
            "expected a local path or file: URI for a frame without a 'content' column,"
                + " got hdfs://nn/a.jpg");
  }
}
