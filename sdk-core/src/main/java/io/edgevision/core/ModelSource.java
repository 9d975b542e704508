package io.edgevision.core;

import static io.edgevision.core.internal.Checks.checkArgument;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Where a model's bytes come from: a file, a byte array or a classpath resource, optionally with a
 * pinned SHA-256 that the bytes must match. Immutable; reading happens when a session is built.
 *
 * <pre>{@code
 * ModelSource src = ModelSource.of(Path.of("models/deimv2_hgnetv2_atto_coco_raw.onnx"))
 *     .withSha256("a9e594dd224d6d11e98f9c75ee9afc044fb2b833c50343144408897679c0ff6e");
 * }</pre>
 *
 * <p>Threading: immutable, safe to share.
 */
public final class ModelSource {
  private final String name;
  private final @Nullable Path path;
  private final byte @Nullable [] bytes;
  private final @Nullable String resource;
  private final @Nullable String pinnedSha256;

  private ModelSource(
      String name,
      @Nullable Path path,
      byte @Nullable [] bytes,
      @Nullable String resource,
      @Nullable String pinnedSha256) {
    this.name = name;
    this.path = path;
    this.bytes = bytes;
    this.resource = resource;
    this.pinnedSha256 = pinnedSha256;
  }

  /**
   * @param path an ONNX file; a sidecar descriptor {@code path + ".json"} or {@code <stem>.json} is
   *     read when present
   * @return the source
   */
  public static ModelSource of(Path path) {
    Objects.requireNonNull(path, "path");
    return new ModelSource(path.toString(), path, null, null, null);
  }

  /**
   * @param bytes the ONNX model (copied)
   * @param name a name for messages and the fingerprint
   * @return the source
   */
  public static ModelSource of(byte[] bytes, String name) {
    Objects.requireNonNull(bytes, "bytes");
    Objects.requireNonNull(name, "name");
    return new ModelSource(name, null, bytes.clone(), null, null);
  }

  /**
   * @param resource a classpath resource path such as {@code
   *     io/edgevision/core/fixtures/bench_classifier.onnx}
   * @return the source
   */
  public static ModelSource classpath(String resource) {
    Objects.requireNonNull(resource, "resource");
    return new ModelSource("classpath:" + resource, null, null, resource, null);
  }

  /**
   * @param sha256 expected SHA-256 of the bytes, 64 hex digits; a mismatch fails the build with
   *     {@link ErrorCode#MODEL_INVALID}
   * @return a copy of this source with the pin
   */
  public ModelSource withSha256(String sha256) {
    String s = Objects.requireNonNull(sha256, "sha256").toLowerCase(Locale.ROOT);
    checkArgument(s.matches("[0-9a-f]{64}"), "sha256 must be 64 hex digits, got '%s'", sha256);
    return new ModelSource(name, path, bytes, resource, s);
  }

  /**
   * @return the name used in messages: the path, the given name or {@code classpath:...}
   */
  public String name() {
    return name;
  }

  /**
   * @return the file path when this source is a file
   */
  public Optional<Path> path() {
    return Optional.ofNullable(path);
  }

  /**
   * @return the pinned SHA-256, if any
   */
  public Optional<String> pinnedSha256() {
    return Optional.ofNullable(pinnedSha256);
  }

  /**
   * Reads the model bytes.
   *
   * @return the bytes
   * @throws EdgeVisionException {@link ErrorCode#MODEL_NOT_FOUND} when the file or resource is
   *     missing
   */
  public byte[] read() {
    if (bytes != null) {
      return bytes.clone();
    }
    if (path != null) {
      try {
        return Files.readAllBytes(path);
      } catch (NoSuchFileException e) {
        throw new EdgeVisionException(
            ErrorCode.MODEL_NOT_FOUND, "model file not found: " + path.toAbsolutePath(), e);
      } catch (IOException e) {
        throw new EdgeVisionException(
            ErrorCode.MODEL_NOT_FOUND,
            "model file cannot be read: " + path.toAbsolutePath() + " (" + e + ")",
            e);
      }
    }
    ClassLoader cl = Thread.currentThread().getContextClassLoader();
    try (InputStream in =
        (cl != null ? cl : ModelSource.class.getClassLoader())
            .getResourceAsStream(Objects.requireNonNull(resource))) {
      if (in == null) {
        throw new EdgeVisionException(
            ErrorCode.MODEL_NOT_FOUND, "classpath resource not found: " + resource);
      }
      return io.edgevision.core.internal.AndroidCompat.readAllBytes(in);
    } catch (IOException e) {
      throw new EdgeVisionException(
          ErrorCode.MODEL_NOT_FOUND, "cannot read resource " + resource, e);
    }
  }

  @Override
  public String toString() {
    return "ModelSource[" + name + "]";
  }
}
