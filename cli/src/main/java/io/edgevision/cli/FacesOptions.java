package io.edgevision.cli;

import io.edgevision.core.EdgeVisionException;
import io.edgevision.core.ErrorCode;
import io.edgevision.core.ModelSource;
import io.edgevision.detectors.face.FaceGallery;
import io.edgevision.detectors.face.FaceRecognizer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.SecretKey;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * Options shared by the {@code faces} subcommands (a picocli mixin): models, providers, output
 * format.
 */
final class FacesOptions {
  static final String DEFAULT_DETECTOR = "det_500m.onnx";
  static final String DEFAULT_EMBEDDER = "mobilefacenet_arcface_128d.onnx";

  /**
   * SHA-256 of the default models, from the shared directory's MANIFEST.md: defaults never run
   * substitutes.
   */
  static final java.util.Map<String, String> DEFAULT_SHA256 =
      java.util.Map.of(
          DEFAULT_DETECTOR, "5e4447f50245bbd7966bd6c0fa52938c61474a04ec7def48753668a9d8b4ea3a",
          DEFAULT_EMBEDDER, "93fac2c9747e612f4f491c7842563a515ee2b6c237d9fee05e96291b07ac6019");

  @Option(
      names = "--detector",
      paramLabel = "ONNX",
      description =
          "Face detector, YuNet or SCRFD (default: "
              + DEFAULT_DETECTOR
              + " from the shared models)")
  @Nullable Path detector;

  @Option(
      names = "--embedder",
      paramLabel = "ONNX",
      description = "Embedding model (default: " + DEFAULT_EMBEDDER + " from the shared models)")
  @Nullable Path embedder;

  @Option(
      names = "--providers",
      split = ",",
      defaultValue = "cpu",
      description = "Provider preference (default: ${DEFAULT-VALUE})")
  List<String> providers = new ArrayList<>(List.of("cpu"));

  @Option(names = "--json", description = "One JSON object on stdout")
  boolean json;

  FaceRecognizer recognizer(float verifyThreshold, float identifyThreshold) {
    ModelSource d =
        detector != null
            ? ModelSource.of(detector)
            : ModelSource.of(sharedModel(DEFAULT_DETECTOR))
                .withSha256(DEFAULT_SHA256.get(DEFAULT_DETECTOR));
    ModelSource e =
        embedder != null
            ? ModelSource.of(embedder)
            : ModelSource.of(sharedModel(DEFAULT_EMBEDDER))
                .withSha256(DEFAULT_SHA256.get(DEFAULT_EMBEDDER));
    return FaceRecognizer.builder(d, e)
        .providers(CliSupport.providers(providers))
        .verifyThreshold(verifyThreshold)
        .identifyThreshold(identifyThreshold)
        .build();
  }

  /**
   * A model from the shared directory ({@link io.edgevision.core.SharedDirectory} lookup order).
   */
  static Path sharedModel(String file) {
    return io.edgevision.core.SharedDirectory.find("models/" + file)
        .orElseThrow(
            () ->
                new EdgeVisionException(
                    ErrorCode.MODEL_NOT_FOUND,
                    "default model "
                        + io.edgevision.core.SharedDirectory.describeSearch("models/" + file)
                        + "; or pass --detector / --embedder"));
  }

  /**
   * Reads an AES key file: 16, 24 or 32 raw bytes, or that many bytes as hex text.
   *
   * @param file the key file, or null for no encryption
   * @return the key, or null
   */
  static @Nullable SecretKey key(@Nullable Path file) throws IOException {
    if (file == null) {
      return null;
    }
    byte[] raw = Files.readAllBytes(file);
    String text = new String(raw, StandardCharsets.US_ASCII).trim();
    if (text.matches("([0-9a-fA-F]{2}){16}|([0-9a-fA-F]{2}){24}|([0-9a-fA-F]{2}){32}")) {
      raw = HexFormat.of().parseHex(text);
    }
    return FaceGallery.aesKey(raw);
  }
}
