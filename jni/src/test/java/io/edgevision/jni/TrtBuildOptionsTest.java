package io.edgevision.jni;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TrtBuildOptionsTest {
  @Test
  void defaults() {
    TrtBuildOptions o = TrtBuildOptions.builder().build();
    assertThat(o.precision()).isEqualTo(TrtPrecision.FP32);
    assertThat(o.workspaceBytes()).isEqualTo(TrtBuildOptions.DEFAULT_WORKSPACE_BYTES);
    assertThat(o.optimizationLevel()).isEqualTo(3);
    assertThat(o.dlaCore()).isEmpty();
    assertThat(o.optBatch()).isEqualTo(1);
    assertThat(o.maxBatch()).isEqualTo(1);
    assertThat(o.dynamicSize()).isEmpty();
    assertThat(o.timingCache()).isTrue();
    assertThat(o.cacheDirectory()).isEqualTo(TrtBuildOptions.defaultCacheDirectory());
    assertThat(o.builderFlags())
        .isEqualTo("precision=FP32;tf32=0;opt=3;workspace=1073741824;dla=-1;gpuFallback=0");
  }

  @Test
  void builderFlagsNameEverythingThatChangesTheEngine() {
    TrtBuildOptions o =
        TrtBuildOptions.builder()
            .precision(TrtPrecision.INT8)
            .workspaceBytes(256L << 20)
            .optimizationLevel(5)
            .dlaCore(1, true)
            .build();
    assertThat(o.builderFlags())
        .isEqualTo("precision=INT8;tf32=0;opt=5;workspace=268435456;dla=1;gpuFallback=1");
    // the listener, cache directory and timing-cache switch do not change the engine
    TrtBuildOptions other =
        o.toBuilder()
            .cacheDirectory(Path.of("elsewhere"))
            .timingCache(false)
            .listener(e -> {})
            .build();
    assertThat(other.builderFlags()).isEqualTo(o.builderFlags());
    assertThat(other.cacheDirectory()).isEqualTo(Path.of("elsewhere"));
  }

  static Stream<Arguments> invalid() {
    return Stream.of(
        // a workspace below 1 MiB
        Arguments.of(
            (Consumer<TrtBuildOptions.Builder>) b -> b.workspaceBytes(1024),
            "workspaceBytes must be >= 1 MiB"),
        // TensorRT has optimisation levels 0..5
        Arguments.of(
            (Consumer<TrtBuildOptions.Builder>) b -> b.optimizationLevel(6),
            "optimizationLevel must be in [0, 5], got 6"),
        Arguments.of(
            (Consumer<TrtBuildOptions.Builder>) b -> b.dlaCore(-2, false),
            "dlaCore must be -1 (none) or >= 0, got -2"),
        // opt batch above max batch
        Arguments.of((Consumer<TrtBuildOptions.Builder>) b -> b.batch(4, 2), "opt=4, max=2"),
        Arguments.of((Consumer<TrtBuildOptions.Builder>) b -> b.batch(0, 2), "1 <= opt <= max"),
        // max size below opt size
        Arguments.of(
            (Consumer<TrtBuildOptions.Builder>) b -> b.dynamicSize(32, 32, 64, 64, 48, 64),
            "1 <= min <= opt <= max"),
        // the DLA runs FP16 and INT8 only
        Arguments.of(
            (Consumer<TrtBuildOptions.Builder>) b -> b.dlaCore(0, true).build(),
            "expected precision FP16 or INT8"));
  }

  @ParameterizedTest
  @MethodSource("invalid")
  void invalidValuesAreRejected(Consumer<TrtBuildOptions.Builder> set, String message) {
    assertThatThrownBy(() -> set.accept(TrtBuildOptions.builder()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }

  @Test
  void cacheDirectoryProperty() {
    String old = System.getProperty(TrtBuildOptions.CACHE_PROPERTY);
    try {
      System.setProperty(TrtBuildOptions.CACHE_PROPERTY, "some/dir");
      assertThat(TrtBuildOptions.defaultCacheDirectory()).isEqualTo(Path.of("some/dir"));
    } finally {
      if (old == null) {
        System.clearProperty(TrtBuildOptions.CACHE_PROPERTY);
      } else {
        System.setProperty(TrtBuildOptions.CACHE_PROPERTY, old);
      }
    }
  }
}
