package io.edgevision.detectors.traffic;

import io.edgevision.core.InferenceSession;
import io.edgevision.core.ModelDescriptor;
import io.edgevision.core.ModelSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Short labels for the real DETR models of the shared model directory ({@code ../shared/models}, see its
 * {@code MANIFEST.md}), with the descriptors those models need (they carry no metadata): DEIMv2 HGNetv2 atto
 * (320×320) and femto (416×416), COCO-80, <b>RGB, plain resize (stretch), /255, no mean/std</b>.
 *
 * <table>
 *   <caption>Labels</caption>
 *   <tr><th>label</th><th>primary</th><th>registered variant (degradation ladder)</th></tr>
 *   <tr><td>{@code femto}</td><td>{@code deimv2_hgnetv2_femto_coco.onnx} (baked)</td>
 *       <td>{@code atto}: {@code deimv2_hgnetv2_atto_coco.onnx}</td></tr>
 *   <tr><td>{@code atto}</td><td>{@code deimv2_hgnetv2_atto_coco.onnx} (baked)</td><td>none</td></tr>
 *   <tr><td>{@code femto-raw}</td><td>{@code deimv2_hgnetv2_femto_coco_raw.onnx}</td>
 *       <td>{@code atto}: {@code deimv2_hgnetv2_atto_coco_raw.onnx}</td></tr>
 *   <tr><td>{@code atto-raw}</td><td>{@code deimv2_hgnetv2_atto_coco_raw.onnx}</td><td>none</td></tr>
 * </table>
 *
 * Anything else is a path to an ONNX file; a path whose file name is one of the four files above gets that
 * model's descriptor as the session's fallback descriptor.
 *
 * <p>The shared directory is, first found: system property {@code edgevision.shared.dir}, environment variable
 * {@code EDGEVISION_SHARED_DIR}, {@code ../shared}, {@code ../../shared} (relative to the working directory).
 *
 * <p>Threading: constants and stateless functions, safe everywhere.
 */
public final class ModelCatalog {
  /** Label of the femto baked model with atto as its degradation variant. */
  public static final String FEMTO = "femto";
  /** Label of the atto baked model alone. */
  public static final String ATTO = "atto";
  /** Label of the femto raw model with atto raw as its degradation variant. */
  public static final String FEMTO_RAW = "femto-raw";
  /** Label of the atto raw model alone. */
  public static final String ATTO_RAW = "atto-raw";
  /** Name of the cheaper variant registered under {@link #FEMTO} and {@link #FEMTO_RAW}. */
  public static final String ATTO_VARIANT = "atto";

  /** DEIMv2 atto: RGB, stretch to 320×320, /255. */
  public static final ModelDescriptor DEIMV2_ATTO_DESCRIPTOR = deim(320);
  /** DEIMv2 femto: RGB, stretch to 416×416, /255. */
  public static final ModelDescriptor DEIMV2_FEMTO_DESCRIPTOR = deim(416);

  private static final String ATTO_FILE = "deimv2_hgnetv2_atto_coco.onnx";
  private static final String FEMTO_FILE = "deimv2_hgnetv2_femto_coco.onnx";
  private static final String ATTO_RAW_FILE = "deimv2_hgnetv2_atto_coco_raw.onnx";
  private static final String FEMTO_RAW_FILE = "deimv2_hgnetv2_femto_coco_raw.onnx";

  private static final Map<String, ModelDescriptor> DESCRIPTORS = Map.of(
      ATTO_FILE, DEIMV2_ATTO_DESCRIPTOR,
      ATTO_RAW_FILE, DEIMV2_ATTO_DESCRIPTOR,
      FEMTO_FILE, DEIMV2_FEMTO_DESCRIPTOR,
      FEMTO_RAW_FILE, DEIMV2_FEMTO_DESCRIPTOR);

  private ModelCatalog() {}

  private static ModelDescriptor deim(int size) {
    return ModelDescriptor.builder()
        .inputSize(size, size)
        .resize(ModelDescriptor.ResizeMode.STRETCH)
        .color(ModelDescriptor.ColorOrder.RGB)
        .scale(1 / 255.0)
        .build();
  }

  /** @return the four labels, ladder first */
  public static List<String> labels() {
    return List.of(FEMTO, ATTO, FEMTO_RAW, ATTO_RAW);
  }

  /** @return the shared directory by the lookup order above (possibly non-existent) */
  public static Path sharedDir() {
    String p = System.getProperty("edgevision.shared.dir");
    if (p == null || p.isBlank()) {
      p = System.getenv("EDGEVISION_SHARED_DIR");
    }
    if (p != null && !p.isBlank()) {
      return Path.of(p);
    }
    for (String candidate : new String[] {"../shared", "../../shared"}) {
      Path c = Path.of(candidate);
      if (Files.isDirectory(c)) {
        return c;
      }
    }
    return Path.of("../shared");
  }

  /**
   * @param fileName an ONNX file name
   * @return the catalogue descriptor of that DEIMv2 file, if it is one
   */
  public static Optional<ModelDescriptor> descriptorFor(String fileName) {
    return Optional.ofNullable(DESCRIPTORS.get(fileName));
  }

  /**
   * A session builder for a label or a path: the model, its descriptor, and for ladder labels the atto variant
   * (add {@code .admission(AdmissionPolicy.DEGRADE)} to use it).
   *
   * @param labelOrPath a label of the table above, or a path to an ONNX file
   * @param modelsDir where labelled models live (usually {@code sharedDir().resolve("models")})
   * @return a builder to complete (providers, admission, listener...)
   */
  public static InferenceSession.Builder sessionBuilder(String labelOrPath, Path modelsDir) {
    String label = labelOrPath.toLowerCase(Locale.ROOT);
    return switch (label) {
      case FEMTO -> ladder(modelsDir, FEMTO_FILE, ATTO_FILE);
      case ATTO -> single(modelsDir.resolve(ATTO_FILE));
      case FEMTO_RAW -> ladder(modelsDir, FEMTO_RAW_FILE, ATTO_RAW_FILE);
      case ATTO_RAW -> single(modelsDir.resolve(ATTO_RAW_FILE));
      default -> single(Path.of(labelOrPath));
    };
  }

  private static InferenceSession.Builder ladder(Path dir, String primary, String variant) {
    return single(dir.resolve(primary))
        .variant(ATTO_VARIANT, ModelSource.of(dir.resolve(variant)), DEIMV2_ATTO_DESCRIPTOR);
  }

  private static InferenceSession.Builder single(Path file) {
    InferenceSession.Builder b = InferenceSession.builder(ModelSource.of(file));
    @Nullable Path name = file.getFileName();
    if (name != null) {
      descriptorFor(name.toString()).ifPresent(b::descriptor);
    }
    return b;
  }
}
