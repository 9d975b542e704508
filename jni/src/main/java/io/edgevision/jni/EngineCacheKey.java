package io.edgevision.jni;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;

/**
 * Everything that makes a serialized TensorRT engine valid for a run, after jetson-inference's
 * {@code <model>.<TensorRT version>.<device>.<precision>.engine}: an engine is only loaded when
 * every field matches.
 *
 * @param modelSha256 SHA-256 of the ONNX model bytes
 * @param tensorRtVersion version of the loaded TensorRT library, e.g. {@code 11.2.0}
 * @param gpuName the device name CUDA reports, e.g. {@code Orin}
 * @param computeCapability e.g. {@code 8.7}
 * @param builderFlags {@link TrtBuildOptions#builderFlags()}
 * @param profile {@link ProfileShapes#canonical()}
 *     <p>Threading: immutable.
 */
public record EngineCacheKey(
    String modelSha256,
    String tensorRtVersion,
    String gpuName,
    String computeCapability,
    String builderFlags,
    String profile) {
  public EngineCacheKey {
    Objects.requireNonNull(modelSha256, "modelSha256");
    if (!modelSha256.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException(
          "modelSha256 must be 64 lower-case hex digits, got '" + modelSha256 + "'");
    }
    requireLine(tensorRtVersion, "tensorRtVersion");
    requireLine(gpuName, "gpuName");
    requireLine(computeCapability, "computeCapability");
    requireLine(builderFlags, "builderFlags");
    requireLine(profile, "profile");
  }

  private static void requireLine(String v, String what) {
    Objects.requireNonNull(v, what);
    if (v.isBlank() || v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0) {
      throw new IllegalArgumentException(what + " must be one non-blank line, got '" + v + "'");
    }
  }

  /**
   * @param modelSha256 model hash
   * @param device the GPU (and TensorRT version) the engine is built on
   * @param options build options
   * @param profile profile shapes
   * @return the key
   */
  static EngineCacheKey of(
      String modelSha256, DeviceInfo device, TrtBuildOptions options, ProfileShapes profile) {
    return new EngineCacheKey(
        modelSha256,
        device.tensorRtVersion(),
        device.name(),
        device.computeCapability(),
        options.builderFlags(),
        profile.canonical());
  }

  /**
   * @return the key as the text stored in a cache file's header, one {@code field=value} per line
   */
  public String canonical() {
    return "model="
        + modelSha256
        + "\ntensorrt="
        + tensorRtVersion
        + "\ngpu="
        + gpuName
        + "\ncc="
        + computeCapability
        + "\nflags="
        + builderFlags
        + "\nprofile="
        + profile
        + "\n";
  }

  /**
   * @return SHA-256 of {@link #canonical()}, lower-case hex
   */
  public String digest() {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256")
                  .digest(canonical().getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java platform", e);
    }
  }

  /**
   * @return a file name that is readable and unique per key, e.g. {@code
   *     a9e594dd224d.trt11.2.0.sm87.fp16.3fa2b1c0d4e5f607.engine}
   */
  public String fileName() {
    String precision =
        builderFlags.replaceAll(".*precision=([A-Za-z0-9]+).*", "$1").toLowerCase(Locale.ROOT);
    return modelSha256.substring(0, 12)
        + ".trt"
        + tensorRtVersion.replaceAll("[^0-9.]", "")
        + ".sm"
        + computeCapability.replace(".", "").replaceAll("[^0-9]", "")
        + "."
        + precision.replaceAll("[^a-z0-9]", "")
        + "."
        + digest().substring(0, 16)
        + ".engine";
  }

  /**
   * @param other another key
   * @return the fields that differ, e.g. {@code tensorrt (11.1.0 vs 11.2.0)}; empty when equal
   */
  public String differences(EngineCacheKey other) {
    StringBuilder sb = new StringBuilder();
    diff(sb, "model", modelSha256, other.modelSha256);
    diff(sb, "tensorrt", tensorRtVersion, other.tensorRtVersion);
    diff(sb, "gpu", gpuName, other.gpuName);
    diff(sb, "cc", computeCapability, other.computeCapability);
    diff(sb, "flags", builderFlags, other.builderFlags);
    diff(sb, "profile", profile, other.profile);
    return sb.toString();
  }

  private static void diff(StringBuilder sb, String field, String a, String b) {
    if (!a.equals(b)) {
      sb.append(sb.length() == 0 ? "" : ", ")
          .append(field)
          .append(" (")
          .append(a)
          .append(" vs ")
          .append(b)
          .append(')');
    }
  }

  /**
   * @param canonical text from {@link #canonical()}
   * @return the key, or null when the text is not a well-formed key
   */
  static @org.jspecify.annotations.Nullable EngineCacheKey parse(String canonical) {
    String[] lines = canonical.split("\n", -1);
    if (lines.length != 7 || !lines[6].isEmpty()) {
      return null;
    }
    String[] names = {"model", "tensorrt", "gpu", "cc", "flags", "profile"};
    String[] v = new String[6];
    for (int i = 0; i < 6; i++) {
      if (!lines[i].startsWith(names[i] + "=")) {
        return null;
      }
      v[i] = lines[i].substring(names[i].length() + 1);
    }
    try {
      return new EngineCacheKey(v[0], v[1], v[2], v[3], v[4], v[5]);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
