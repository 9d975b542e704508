package io.edgevision.jni;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class EngineCacheTest {
  static final EngineCacheKey KEY = EngineCacheKeyTest.BASE;
  static final byte[] PLAN = plan();

  @TempDir Path dir;

  private static byte[] plan() {
    byte[] b = new byte[4096];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) (i * 31 + 7);
    }
    return b;
  }

  @Test
  void roundTrip() throws IOException {
    EngineCache cache = new EngineCache(dir);
    assertThat(cache.lookup(KEY).reason()).isEqualTo("no cache entry");
    Path file = cache.store(KEY, PLAN);
    assertThat(file.getFileName().toString()).isEqualTo(KEY.fileName());
    EngineCache.Lookup hit = cache.lookup(KEY);
    assertThat(hit.hit()).isTrue();
    assertThat(hit.payload().orElseThrow()).isEqualTo(PLAN);
    assertThat(hit.reason()).isEmpty();
    // the temporary file was moved, not left behind
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files).containsExactly(file);
    }
    // the header is the key's canonical text
    byte[] raw = Files.readAllBytes(file);
    assertThat(new String(raw, 0, 8, java.nio.charset.StandardCharsets.US_ASCII))
        .isEqualTo("EVTRTENG");
    assertThat(raw.length).isEqualTo(8 + 4 + 4 + KEY.canonical().length() + 8 + 32 + PLAN.length);
  }

  @Test
  void storeReplacesAnEntry() {
    EngineCache cache = new EngineCache(dir);
    cache.store(KEY, new byte[] {1, 2, 3});
    cache.store(KEY, PLAN);
    assertThat(cache.lookup(KEY).payload().orElseThrow()).isEqualTo(PLAN);
  }

  static Stream<Arguments> corruptions() {
    int headerEnd = 16 + KEY.canonical().length();
    return Stream.of(
        // one payload bit flipped
        Arguments.of("checksum mismatch", (UnaryOperator<byte[]>) b -> flip(b, b.length - 10)),
        // a write cut short
        Arguments.of(
            "truncated: expected a payload of 4096 bytes, got 4000",
            (UnaryOperator<byte[]>) b -> Arrays.copyOf(b, b.length - 96)),
        // bytes appended after the payload
        Arguments.of(
            "truncated: expected a payload of 4096 bytes, got 4097",
            (UnaryOperator<byte[]>) b -> Arrays.copyOf(b, b.length + 1)),
        // not our file at all
        Arguments.of("bad magic", (UnaryOperator<byte[]>) b -> flip(b, 0)),
        // a file from a future format
        Arguments.of(
            "format version 2, expected 1",
            (UnaryOperator<byte[]>)
                b -> {
                  ByteBuffer.wrap(b).putInt(8, 2);
                  return b;
                }),
        // an absurd header length
        Arguments.of(
            "corrupt header",
            (UnaryOperator<byte[]>)
                b -> {
                  ByteBuffer.wrap(b).putInt(12, Integer.MAX_VALUE);
                  return b;
                }),
        // the header edited: TensorRT version 11.2.0 -> 11.1.0
        Arguments.of(
            "tensorrt (11.1.0 vs 11.2.0)",
            (UnaryOperator<byte[]>) b -> replace(b, "tensorrt=11.2.0", "tensorrt=11.1.0")),
        // the payload-length field corrupted
        Arguments.of("truncated", (UnaryOperator<byte[]>) b -> flip(b, headerEnd + 3)),
        // an empty file
        Arguments.of("truncated: expected at least", (UnaryOperator<byte[]>) b -> new byte[0]));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corruptions")
  void corruptOrMismatchedEntriesAreMissesWithTheReason(String reason, UnaryOperator<byte[]> damage)
      throws IOException {
    EngineCache cache = new EngineCache(dir);
    Path file = cache.store(KEY, PLAN);
    Files.write(file, damage.apply(Files.readAllBytes(file)));
    EngineCache.Lookup l = cache.lookup(KEY);
    assertThat(l.hit()).isFalse();
    assertThat(l.reason()).contains(reason);
    // and a rebuild replaces it
    cache.store(KEY, PLAN);
    assertThat(cache.lookup(KEY).payload().orElseThrow()).isEqualTo(PLAN);
  }

  @Test
  void anEntryForAnotherKeyIsNeverLoaded() throws IOException {
    EngineCache cache = new EngineCache(dir);
    EngineCacheKey other =
        new EngineCacheKey(
            KEY.modelSha256(),
            "11.3.0",
            KEY.gpuName(),
            KEY.computeCapability(),
            KEY.builderFlags(),
            KEY.profile());
    Path file = cache.store(other, PLAN);
    // someone renames the file to where KEY's engine belongs
    Files.move(file, cache.pathOf(KEY));
    EngineCache.Lookup l = cache.lookup(KEY);
    assertThat(l.hit()).isFalse();
    assertThat(l.reason())
        .contains("built for something else")
        .contains("tensorrt (11.3.0 vs 11.2.0)");
  }

  @Test
  void timingCacheIsPerTensorRtVersionAndGpu() {
    EngineCache cache = new EngineCache(dir);
    DeviceInfo h200 = new DeviceInfo(0, "NVIDIA H200", "9.0", 1L << 37, "11.2.0", "13.0", 0);
    DeviceInfo orin = new DeviceInfo(0, "Orin", "8.7", 1L << 34, "11.2.0", "13.0", 2);
    cache.storeTimingCache(h200, new byte[] {9, 9});
    assertThat(cache.lookupTimingCache(h200).payload().orElseThrow()).containsExactly(9, 9);
    assertThat(cache.lookupTimingCache(orin).hit()).isFalse();
    assertThat(cache.timingCachePath(orin)).isNotEqualTo(cache.timingCachePath(h200));
  }

  private static byte[] flip(byte[] b, int at) {
    b[at] ^= 0x40;
    return b;
  }

  private static byte[] replace(byte[] b, String from, String to) {
    String s = new String(b, java.nio.charset.StandardCharsets.ISO_8859_1);
    return s.replace(from, to).getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
  }
}
