package io.edgevision.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.edgevision.core.ExecutionProvider;
import io.edgevision.core.Fingerprint;
import io.edgevision.core.ModelSource;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Helpers shared by the subcommands. */
final class CliSupport {
  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** The model shipped in sdk-core for running `bench` on a fresh machine. */
  static final String BUILTIN_BENCH_MODEL = "io/edgevision/core/fixtures/bench_classifier.onnx";

  /** SHA-256 of {@link #BUILTIN_BENCH_MODEL}: the named model never runs substituted bytes. */
  static final String BUILTIN_BENCH_SHA256 =
      "ccaf6f3d8b6e20ec4312c84ce14e846b6244eade8eaf1262af23f2a31dad3973";

  private CliSupport() {}

  /**
   * @param option the {@code --classifier} value, or null when not given
   * @param model the {@code --model} value
   * @return the classifier to run ({@code builtin} or a path), or empty for none: the option when
   *     given ({@code none} turns it off), else the catalogue's default for the model
   */
  static java.util.Optional<String> classifier(
      @org.jspecify.annotations.Nullable String option, String model) {
    if (option == null) {
      return io.edgevision.detectors.traffic.ModelCatalog.defaultClassifier(model);
    }
    return option.equalsIgnoreCase("none")
        ? java.util.Optional.empty()
        : java.util.Optional.of(option);
  }

  static ModelSource source(String model) {
    return source(model, null);
  }

  /**
   * @param model {@code builtin:bench}, {@code classpath:RESOURCE} or a file
   * @param sha256 a pin ({@code --sha256}), or null
   * @return the source, pinned when {@code sha256} is given or the model is {@code builtin:bench}
   */
  static ModelSource source(String model, @org.jspecify.annotations.Nullable String sha256) {
    ModelSource src = sourceUnpinned(model);
    if (model.equals("builtin:bench")) {
      if (sha256 != null && !sha256.equals(BUILTIN_BENCH_SHA256)) {
        throw new IllegalArgumentException(
            "--sha256 for builtin:bench: expected "
                + BUILTIN_BENCH_SHA256
                + " (its known SHA-256), got "
                + sha256);
      }
      return src.withSha256(BUILTIN_BENCH_SHA256);
    }
    return sha256 == null ? src : src.withSha256(sha256);
  }

  private static ModelSource sourceUnpinned(String model) {
    if (model.equals("builtin:bench")) {
      return ModelSource.classpath(BUILTIN_BENCH_MODEL);
    }
    if (model.startsWith("classpath:")) {
      return ModelSource.classpath(model.substring("classpath:".length()));
    }
    return ModelSource.of(Path.of(model));
  }

  /** Extensions OpenCV's imwrite can write in this build. */
  static final List<String> IMAGE_EXTENSIONS =
      List.of("png", "jpg", "jpeg", "bmp", "webp", "tif", "tiff", "ppm", "pgm");

  /**
   * Checks an output image path before any work is done.
   *
   * @param option the option's name, for the message
   * @param out the path
   * @throws IllegalArgumentException naming the option, what was expected and what was got
   */
  static void checkImageOutput(String option, Path out) {
    if (java.nio.file.Files.isDirectory(out)) {
      throw new IllegalArgumentException(
          option
              + ": expected an image file name (."
              + String.join(", .", IMAGE_EXTENSIONS)
              + "), got the directory "
              + out);
    }
    String name = String.valueOf(out.getFileName());
    int dot = name.lastIndexOf('.');
    String ext = dot < 0 ? "" : name.substring(dot + 1).toLowerCase(java.util.Locale.ROOT);
    if (!IMAGE_EXTENSIONS.contains(ext)) {
      throw new IllegalArgumentException(
          option
              + ": expected a file name ending in ."
              + String.join(", .", IMAGE_EXTENSIONS)
              + ", got '"
              + name
              + "'");
    }
    Path parent = out.toAbsolutePath().getParent();
    if (parent != null && !java.nio.file.Files.isDirectory(parent)) {
      throw new IllegalArgumentException(
          option
              + ": expected a file in an existing directory, got "
              + out
              + " (no directory "
              + parent
              + ")");
    }
  }

  /**
   * Checks that a path to be read or written as a file is not a directory.
   *
   * @param option the option's name
   * @param file the path
   * @param what e.g. "a gallery file"
   * @throws IllegalArgumentException when it is a directory
   */
  static void checkNotDirectory(String option, Path file, String what) {
    if (java.nio.file.Files.isDirectory(file)) {
      throw new IllegalArgumentException(
          option + ": expected " + what + ", got the directory " + file);
    }
  }

  static List<ExecutionProvider> providers(List<String> names) {
    List<ExecutionProvider> out = new ArrayList<>();
    for (String n : names) {
      for (String part : n.split("\\+")) { // "cuda+cpu": a fallback chain in one bench cell
        out.add(ExecutionProvider.parse(part.trim()));
      }
    }
    return out;
  }

  static Map<String, Object> fingerprint(Fingerprint f) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("model_sha256", f.modelSha256());
    m.put("variant", f.variant());
    m.put("provider", f.provider().name());
    m.put("onnxruntime_version", f.onnxRuntimeVersion());
    m.put("sdk_version", f.sdkVersion());
    m.put("descriptor_hash", f.descriptorHash());
    if (!f.backend().isEmpty()) {
      m.put("backend", f.backend());
    }
    return m;
  }
}
