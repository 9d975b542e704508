package io.edgevision.jni;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A directory of serialized TensorRT engines keyed by {@link EngineCacheKey}, plus one timing cache
 * per TensorRT version and GPU.
 *
 * <h2>File format</h2>
 *
 * Big-endian: the magic {@code EVTRTENG} (8 bytes), the format version (int32, {@value
 * #FORMAT_VERSION}), the header length (int32) and header (UTF-8: {@link
 * EngineCacheKey#canonical()}, or a timing-cache header), the payload length (int64), the payload's
 * SHA-256 (32 bytes), then the payload (the engine plan as TensorRT serialized it).
 *
 * <h2>Invalidation</h2>
 *
 * A lookup returns the payload only when the magic, format version and header match exactly, the
 * file has exactly the announced length and the checksum matches. Anything else is a miss with the
 * reason (never an exception, never a partial engine): the caller rebuilds and {@link #store}
 * replaces the file. Files are written to a temporary file in the same directory and moved into
 * place with {@link StandardCopyOption#ATOMIC_MOVE}, so readers see the old file or the new one,
 * never a torn one.
 *
 * <p>Threading: thread-safe and safe across processes sharing the directory (the last writer wins;
 * both engines are valid).
 */
public final class EngineCache {
  /** Format version written by this class; other versions are rejected. */
  public static final int FORMAT_VERSION = 1;

  private static final byte[] MAGIC = "EVTRTENG".getBytes(StandardCharsets.US_ASCII);
  private static final int FIXED = MAGIC.length + 4 + 4 + 8 + 32;
  private static final int MAX_HEADER = 1 << 20;

  private final Path directory;

  /**
   * @param directory where the files live (created on first store)
   */
  public EngineCache(Path directory) {
    this.directory = Objects.requireNonNull(directory, "directory");
  }

  /**
   * @return the directory
   */
  public Path directory() {
    return directory;
  }

  /**
   * @param key a key @return where its engine is stored
   */
  public Path pathOf(EngineCacheKey key) {
    return directory.resolve(key.fileName());
  }

  /**
   * The outcome of a lookup.
   *
   * @param payload the engine plan when usable
   * @param file the file looked at
   * @param reason empty on a hit; otherwise why the file was not used ("no cache entry", "checksum
   *     mismatch", "built for tensorrt (11.1.0 vs 11.2.0)", ...)
   */
  public record Lookup(Optional<byte[]> payload, Path file, String reason) {
    public Lookup {
      Objects.requireNonNull(payload, "payload");
      Objects.requireNonNull(file, "file");
      Objects.requireNonNull(reason, "reason");
    }

    /**
     * @return true when the payload is present
     */
    public boolean hit() {
      return payload.isPresent();
    }
  }

  /**
   * @param key what the engine must have been built for
   * @return the engine, or a miss with the reason
   */
  public Lookup lookup(EngineCacheKey key) {
    Path file = pathOf(key);
    return read(file, key.canonical(), key);
  }

  /**
   * Writes an engine atomically.
   *
   * @param key what it was built for
   * @param plan the serialized engine
   * @return the file written
   * @throws UncheckedIOException when the directory cannot be written
   */
  public Path store(EngineCacheKey key, byte[] plan) {
    Path file = pathOf(key);
    write(file, key.canonical(), plan);
    return file;
  }

  /**
   * @return the header of the timing cache of one TensorRT version and GPU
   */
  static String timingHeader(DeviceInfo device) {
    return "timing-cache\ntensorrt="
        + device.tensorRtVersion()
        + "\ngpu="
        + device.name()
        + "\ncc="
        + device.computeCapability()
        + "\n";
  }

  /**
   * @return the timing cache file of one TensorRT version and GPU
   */
  Path timingCachePath(DeviceInfo device) {
    String id = sha256(timingHeader(device).getBytes(StandardCharsets.UTF_8)).substring(0, 16);
    return directory.resolve("timing." + id + ".cache");
  }

  /**
   * @return the stored timing cache for this device, or a miss
   */
  Lookup lookupTimingCache(DeviceInfo device) {
    return read(timingCachePath(device), timingHeader(device), null);
  }

  /** Writes the timing cache for this device atomically. */
  void storeTimingCache(DeviceInfo device, byte[] cache) {
    write(timingCachePath(device), timingHeader(device), cache);
  }

  static Lookup read(Path file, String expectedHeader, @Nullable EngineCacheKey key) {
    byte[] all;
    try {
      all = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return miss(file, "no cache entry");
    } catch (IOException e) {
      return miss(file, "unreadable (" + e + ")");
    }
    ByteBuffer b = ByteBuffer.wrap(all);
    if (all.length < FIXED) {
      return miss(file, "truncated: expected at least " + FIXED + " bytes, got " + all.length);
    }
    byte[] magic = new byte[MAGIC.length];
    b.get(magic);
    if (!Arrays.equals(magic, MAGIC)) {
      return miss(file, "not an EdgeVision engine file (bad magic)");
    }
    int version = b.getInt();
    if (version != FORMAT_VERSION) {
      return miss(file, "format version " + version + ", expected " + FORMAT_VERSION);
    }
    int headerLength = b.getInt();
    if (headerLength < 0 || headerLength > MAX_HEADER || headerLength > b.remaining() - 8 - 32) {
      return miss(file, "truncated or corrupt header (length " + headerLength + ")");
    }
    byte[] header = new byte[headerLength];
    b.get(header);
    String got = new String(header, StandardCharsets.UTF_8);
    if (!got.equals(expectedHeader)) {
      EngineCacheKey stored = key == null ? null : EngineCacheKey.parse(got);
      String diff = stored == null || key == null ? "" : stored.differences(key);
      return miss(file, "built for something else" + (diff.isEmpty() ? "" : ": " + diff));
    }
    long payloadLength = b.getLong();
    byte[] checksum = new byte[32];
    b.get(checksum);
    if (payloadLength != b.remaining()) {
      return miss(
          file,
          "truncated: expected a payload of " + payloadLength + " bytes, got " + b.remaining());
    }
    byte[] payload = new byte[b.remaining()];
    b.get(payload);
    if (!Arrays.equals(checksum, sha256Bytes(payload))) {
      return miss(file, "checksum mismatch (the payload is corrupt)");
    }
    return new Lookup(Optional.of(payload), file, "");
  }

  static void write(Path file, String header, byte[] payload) {
    byte[] h = header.getBytes(StandardCharsets.UTF_8);
    try {
      Files.createDirectories(file.getParent());
      Path tmp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
      try {
        ByteArrayOutputStream head = new ByteArrayOutputStream(FIXED + h.length);
        try (DataOutputStream out = new DataOutputStream(head)) {
          out.write(MAGIC);
          out.writeInt(FORMAT_VERSION);
          out.writeInt(h.length);
          out.write(h);
          out.writeLong(payload.length);
          out.write(sha256Bytes(payload));
        }
        try (var ch = Files.newOutputStream(tmp)) {
          head.writeTo(ch);
          ch.write(payload);
        }
        try {
          Files.move(
              tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
          throw new IOException(
              "the cache directory " + file.getParent() + " does not support atomic moves", e);
        }
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot write TensorRT cache file " + file + ": " + e.getMessage(), e);
    }
  }

  private static Lookup miss(Path file, String reason) {
    return new Lookup(Optional.empty(), file, reason);
  }

  static String sha256(byte[] bytes) {
    return java.util.HexFormat.of().formatHex(sha256Bytes(bytes));
  }

  private static byte[] sha256Bytes(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java platform", e);
    }
  }
}
