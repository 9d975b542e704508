package io.edgevision.detectors.traffic;

import io.edgevision.core.EdgeVisionException;
import io.edgevision.core.ErrorCode;
import io.edgevision.core.ImageFrame;
import io.edgevision.core.ImageFrames;
import io.edgevision.core.InferenceSession;
import io.edgevision.core.ModelDescriptor;
import io.edgevision.core.ModelSource;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Short labels for the traffic-light models: the EdgeVision models shipped in this jar (the
 * <b>real-photo</b> detector, the default, and the <b>synthetic-scene</b> model), and the COCO DETR
 * models of the shared model directory ({@code ../shared/models}, see its {@code MANIFEST.md}) with
 * the descriptors those models need (they carry no metadata): DEIMv2 HGNetv2 atto (320×320) and
 * femto (416×416), COCO-80, <b>RGB, plain resize (stretch), /255, no mean/std</b>.
 *
 * <table>
 *   <caption>Labels</caption>
 *   <tr><th>label</th><th>primary</th><th>registered variant (degradation ladder)</th></tr>
 *   <tr><td>{@code real} (the default of the CLI, {@link #DEFAULT})</td><td>classpath {@value
 *       #REAL_FEMTO_RESOURCE}: DEIMv2 femto (416×416) fine-tuned on real photos (cinTA_v2, CC BY 4.0) as a
 *       one-class "traffic light" detector; the state comes from the built-in classifier ({@link
 *       #defaultClassifier})</td><td>{@code atto}: {@value #REAL_ATTO_RESOURCE} (320×320)</td></tr>
 *   <tr><td>{@code real-atto}</td><td>classpath {@value #REAL_ATTO_RESOURCE}</td><td>none</td></tr>
 *   <tr><td>{@code builtin} or {@code synthetic}</td><td>classpath {@value #BUILTIN_MODEL_RESOURCE}: the
 *       EdgeVision TinyDETR trained on synthetic scenes (~1 M parameters, 320×320, six joint states incl. off
 *       and arrows, descriptor and label schema in its metadata; {@code docs/TRAFFIC_MODEL.md})</td>
 *       <td>none</td></tr>
 *   <tr><td>{@code femto}</td><td>{@code deimv2_hgnetv2_femto_coco.onnx} (baked)</td>
 *       <td>{@code atto}: {@code deimv2_hgnetv2_atto_coco.onnx}</td></tr>
 *   <tr><td>{@code atto}</td><td>{@code deimv2_hgnetv2_atto_coco.onnx} (baked)</td><td>none</td></tr>
 *   <tr><td>{@code femto-raw}</td><td>{@code deimv2_hgnetv2_femto_coco_raw.onnx}</td>
 *       <td>{@code atto}: {@code deimv2_hgnetv2_atto_coco_raw.onnx}</td></tr>
 *   <tr><td>{@code atto-raw}</td><td>{@code deimv2_hgnetv2_atto_coco_raw.onnx}</td><td>none</td></tr>
 * </table>
 *
 * Anything else is a path to an ONNX file; a path whose file name is one of the four files above
 * gets that model's descriptor as the session's fallback descriptor.
 *
 * <p>The shared directory is, first found: system property {@code edgevision.shared.dir},
 * environment variable {@code EDGEVISION_SHARED_DIR}, then beside the installation the SDK was
 * loaded from (see {@link io.edgevision.core.SharedDirectory}); never relative to the working
 * directory.
 *
 * <p>Integrity: every label is pinned to its known SHA-256 ({@link #BUILTIN_SHA256} and the shared
 * directory's {@code MANIFEST.md}; {@link #knownSha256(String)}), variants included, so a label
 * never runs a substituted or damaged file: a mismatch fails the session build with {@link
 * ErrorCode#MODEL_INVALID}. Paths are not pinned unless the caller pins them ({@link
 * #sessionBuilder(String, Path, String)}).
 *
 * <p>Threading: constants and stateless functions, safe everywhere.
 */
public final class ModelCatalog {
  /**
   * Label of the built-in EdgeVision traffic-light model (classpath resource, no shared directory
   * needed).
   */
  public static final String BUILTIN = "builtin";

  /** Another name of {@link #BUILTIN}: the model trained on synthetic scenes only. */
  public static final String SYNTHETIC = "synthetic";

  /**
   * Label of the real-photo detector (DEIMv2 femto fine-tuned on cinTA_v2, with the atto one as its
   * degradation variant); its lights get their state from the built-in classifier.
   */
  public static final String REAL = "real";

  /** Label of the real-photo atto detector alone (320×320, cheaper). */
  public static final String REAL_ATTO = "real-atto";

  /** The label the CLI uses when none is given: {@link #REAL}. */
  public static final String DEFAULT = REAL;

  /** Classpath resource of the real-photo femto detector. */
  public static final String REAL_FEMTO_RESOURCE =
      "io/edgevision/detectors/traffic/edgevision-traffic-lights-real-femto.onnx";

  /** Classpath resource of the real-photo atto detector. */
  public static final String REAL_ATTO_RESOURCE =
      "io/edgevision/detectors/traffic/edgevision-traffic-lights-real.onnx";

  /** SHA-256 of {@link #REAL_FEMTO_RESOURCE}. */
  public static final String REAL_FEMTO_SHA256 =
      "66daae3330ec0d0988ccc1e7e707c07442d8c37d997b2fe8c11623e1dc496365";

  /** SHA-256 of {@link #REAL_ATTO_RESOURCE}. */
  public static final String REAL_ATTO_SHA256 =
      "ef72ee1096aab34c55094327bb2245095be710dcb406b297ba8f8c5930edebca";

  /** SHA-256 of {@link #BUILTIN_CLASSIFIER_RESOURCE}. */
  public static final String BUILTIN_CLASSIFIER_SHA256 =
      "c5d05dab3575ed5d21655e590024e1b1fc22d35911ee14b7f50036e4ce2658e8";

  /** Classpath resource of the built-in model. */
  public static final String BUILTIN_MODEL_RESOURCE =
      "io/edgevision/detectors/traffic/edgevision-traffic-lights.onnx";

  /**
   * Classpath resource of the sample scene: validation scene 2 of {@code
   * detectors/src/test/resources/trafficlights} (320×320, two rows of side-by-side housings, 5 and
   * 7, and one single light), for demos with no image at hand.
   */
  public static final String SAMPLE_SCENE_RESOURCE =
      "io/edgevision/detectors/traffic/sample-scene.jpg";

  /**
   * Classpath resource of the built-in second-stage state classifier ({@code --classifier
   * builtin}): a small CNN on 32×32 crops, six joint states, trained on real crops (cinTA_v2, CC BY
   * 4.0) and synthetic off/arrow crops (docs/TRAFFIC_MODEL.md).
   */
  public static final String BUILTIN_CLASSIFIER_RESOURCE =
      "io/edgevision/detectors/traffic/edgevision-light-state.onnx";

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

  /** SHA-256 of the built-in model ({@link #BUILTIN_MODEL_RESOURCE}). */
  public static final String BUILTIN_SHA256 =
      "8edbe25b1fce1004d64c179175d03925254e5829ecd3be238d60efe12759ee11";

  /** SHA-256 of the shared models, from the shared directory's {@code MANIFEST.md}. */
  private static final Map<String, String> KNOWN_SHA256 =
      Map.of(
          ATTO_FILE, "b114aa6610ac7c2bd9b3186ffb001afa872430db957407ef2473f7148d00646e",
          FEMTO_FILE, "c6ad358f750132b891165e034c2ba507abefc5ebe1c1d2732a0acbcacc47e52c",
          ATTO_RAW_FILE, "a9e594dd224d6d11e98f9c75ee9afc044fb2b833c50343144408897679c0ff6e",
          FEMTO_RAW_FILE, "8ca5bd4d168b05eb6c58cdaa26129a9389973132dbf07ec3dff9af025744639a");

  private static final Map<String, ModelDescriptor> DESCRIPTORS =
      Map.of(
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

  /**
   * @return the four labels of the shared models, ladder first ({@link #BUILTIN} is not among them)
   */
  public static List<String> labels() {
    return List.of(FEMTO, ATTO, FEMTO_RAW, ATTO_RAW);
  }

  /**
   * @return the built-in model as a classpath source pinned to {@link #BUILTIN_SHA256} (descriptor
   *     in its metadata)
   */
  public static ModelSource builtinModel() {
    return ModelSource.classpath(BUILTIN_MODEL_RESOURCE).withSha256(BUILTIN_SHA256);
  }

  /**
   * @param labelOrFileName a label ({@link #BUILTIN}, {@link #FEMTO}, ...) or a shared model's file
   *     name
   * @return the SHA-256 the catalogue pins it to, if it is one of the catalogue's models
   */
  public static Optional<String> knownSha256(String labelOrFileName) {
    String k = labelOrFileName.toLowerCase(Locale.ROOT);
    return Optional.ofNullable(
        switch (k) {
          case BUILTIN, SYNTHETIC -> BUILTIN_SHA256;
          case REAL -> REAL_FEMTO_SHA256;
          case REAL_ATTO -> REAL_ATTO_SHA256;
          case FEMTO -> KNOWN_SHA256.get(FEMTO_FILE);
          case ATTO -> KNOWN_SHA256.get(ATTO_FILE);
          case FEMTO_RAW -> KNOWN_SHA256.get(FEMTO_RAW_FILE);
          case ATTO_RAW -> KNOWN_SHA256.get(ATTO_RAW_FILE);
          default -> KNOWN_SHA256.get(labelOrFileName);
        });
  }

  /**
   * A session builder for a second-stage state classifier ({@link StateClassifier}): {@link
   * #BUILTIN} for the classifier shipped in this jar ({@value #BUILTIN_CLASSIFIER_RESOURCE}), else
   * a path to an ONNX file (single head with a label schema in its metadata).
   *
   * @param builtinOrPath {@code builtin} or a path
   * @return a builder to complete (providers...)
   * @throws EdgeVisionException {@link ErrorCode#MODEL_NOT_FOUND} for {@code builtin} when this
   *     build ships no classifier
   */
  public static InferenceSession.Builder classifierSessionBuilder(String builtinOrPath) {
    if (builtinOrPath.toLowerCase(Locale.ROOT).equals(BUILTIN)) {
      if (ModelCatalog.class.getClassLoader().getResource(BUILTIN_CLASSIFIER_RESOURCE) == null) {
        throw new EdgeVisionException(
            ErrorCode.MODEL_NOT_FOUND,
            "this build ships no built-in state classifier"
                + " (expected classpath resource "
                + BUILTIN_CLASSIFIER_RESOURCE
                + "); pass an ONNX file instead");
      }
      return InferenceSession.builder(
          ModelSource.classpath(BUILTIN_CLASSIFIER_RESOURCE).withSha256(BUILTIN_CLASSIFIER_SHA256));
    }
    return InferenceSession.builder(ModelSource.of(Path.of(builtinOrPath)));
  }

  /**
   * Decodes the sample scene shipped beside the built-in model.
   *
   * @return the scene as a BGR frame (a new frame on every call)
   * @throws EdgeVisionException {@link ErrorCode#MODEL_NOT_FOUND} when the resource is missing from
   *     the classpath (a broken package)
   */
  public static ImageFrame sampleScene() {
    try (InputStream in =
        ModelCatalog.class.getClassLoader().getResourceAsStream(SAMPLE_SCENE_RESOURCE)) {
      if (in == null) {
        throw new EdgeVisionException(
            ErrorCode.MODEL_NOT_FOUND,
            "classpath resource "
                + SAMPLE_SCENE_RESOURCE
                + " is missing (edgevision-detectors jar incomplete)");
      }
      return ImageFrames.decode(in.readAllBytes(), "classpath:" + SAMPLE_SCENE_RESOURCE);
    } catch (IOException e) {
      throw new EdgeVisionException(
          ErrorCode.MODEL_NOT_FOUND, "cannot read " + SAMPLE_SCENE_RESOURCE, e);
    }
  }

  /**
   * @return the shared directory ({@link io.edgevision.core.SharedDirectory} lookup order), or when
   *     none exists its last candidate (beside the installation; never the working directory), so
   *     that loads fail with {@link ErrorCode#MODEL_NOT_FOUND} naming it
   */
  public static Path sharedDir() {
    return io.edgevision.core.SharedDirectory.root()
        .orElseGet(
            () -> {
              List<Path> c = io.edgevision.core.SharedDirectory.candidates();
              return c.isEmpty() ? Path.of("shared").toAbsolutePath() : c.get(c.size() - 1);
            });
  }

  /**
   * @param fileName an ONNX file name
   * @return the catalogue descriptor of that DEIMv2 file, if it is one
   */
  public static Optional<ModelDescriptor> descriptorFor(String fileName) {
    return Optional.ofNullable(DESCRIPTORS.get(fileName));
  }

  /**
   * A session builder for a label or a path: the model, its descriptor, and for ladder labels the
   * atto variant (add {@code .admission(AdmissionPolicy.DEGRADE)} to use it). Labels are pinned to
   * their known SHA-256.
   *
   * @param labelOrPath a label of the table above, or a path to an ONNX file
   * @param modelsDir where labelled shared models live (usually {@code
   *     sharedDir().resolve("models")}; unused for {@link #BUILTIN})
   * @return a builder to complete (providers, admission, listener...)
   */
  public static InferenceSession.Builder sessionBuilder(String labelOrPath, Path modelsDir) {
    return sessionBuilder(labelOrPath, modelsDir, null);
  }

  /**
   * As {@link #sessionBuilder(String, Path)}, with the primary model pinned to {@code sha256} (the
   * CLI's {@code --sha256}). For a label the pin must equal the label's known SHA-256 (a label
   * cannot be re-pinned to other bytes).
   *
   * @param labelOrPath a label or a path
   * @param modelsDir where labelled shared models live
   * @param sha256 64 hex digits, or null for the catalogue's pins only
   * @return a builder to complete
   * @throws IllegalArgumentException when {@code sha256} is malformed or contradicts a label's
   *     known SHA-256
   */
  public static InferenceSession.Builder sessionBuilder(
      String labelOrPath, Path modelsDir, @Nullable String sha256) {
    String label = labelOrPath.toLowerCase(Locale.ROOT);
    Optional<String> known =
        labels().contains(label) || shipped(label) ? knownSha256(label) : Optional.empty();
    if (sha256 != null && known.isPresent() && !known.get().equalsIgnoreCase(sha256)) {
      throw new IllegalArgumentException(
          "--sha256 for model '"
              + labelOrPath
              + "': expected "
              + known.get()
              + " (the catalogue's pin), got "
              + sha256);
    }
    return switch (label) {
      case BUILTIN, SYNTHETIC -> InferenceSession.builder(builtinModel());
      case REAL ->
          InferenceSession.builder(
                  ModelSource.classpath(REAL_FEMTO_RESOURCE).withSha256(REAL_FEMTO_SHA256))
              .variant(
                  ATTO_VARIANT,
                  ModelSource.classpath(REAL_ATTO_RESOURCE).withSha256(REAL_ATTO_SHA256));
      case REAL_ATTO ->
          InferenceSession.builder(
              ModelSource.classpath(REAL_ATTO_RESOURCE).withSha256(REAL_ATTO_SHA256));
      case FEMTO -> ladder(modelsDir, FEMTO_FILE, ATTO_FILE);
      case ATTO -> single(modelsDir.resolve(ATTO_FILE), KNOWN_SHA256.get(ATTO_FILE));
      case FEMTO_RAW -> ladder(modelsDir, FEMTO_RAW_FILE, ATTO_RAW_FILE);
      case ATTO_RAW -> single(modelsDir.resolve(ATTO_RAW_FILE), KNOWN_SHA256.get(ATTO_RAW_FILE));
      default -> single(Path.of(labelOrPath), sha256);
    };
  }

  /** Whether a label names a model shipped in this jar (no shared directory needed). */
  private static boolean shipped(String label) {
    return label.equals(BUILTIN)
        || label.equals(SYNTHETIC)
        || label.equals(REAL)
        || label.equals(REAL_ATTO);
  }

  /**
   * The classifier a label's lights need for their state: {@link #BUILTIN} for the one-class
   * real-photo detectors ({@link #REAL}, {@link #REAL_ATTO}), whose boxes carry no state; empty for
   * the others (the synthetic model reads states itself; the COCO models have none to read).
   *
   * @param labelOrPath a label or a path
   * @return {@code builtin} (for {@link #classifierSessionBuilder}) or empty
   */
  public static Optional<String> defaultClassifier(String labelOrPath) {
    String label = labelOrPath.toLowerCase(Locale.ROOT);
    return label.equals(REAL) || label.equals(REAL_ATTO) ? Optional.of(BUILTIN) : Optional.empty();
  }

  private static InferenceSession.Builder ladder(Path dir, String primary, String variant) {
    return single(dir.resolve(primary), KNOWN_SHA256.get(primary))
        .variant(
            ATTO_VARIANT,
            ModelSource.of(dir.resolve(variant)).withSha256(KNOWN_SHA256.get(variant)),
            DEIMV2_ATTO_DESCRIPTOR);
  }

  private static InferenceSession.Builder single(Path file, @Nullable String sha256) {
    ModelSource src =
        sha256 == null ? ModelSource.of(file) : ModelSource.of(file).withSha256(sha256);
    InferenceSession.Builder b = InferenceSession.builder(src);
    @Nullable Path name = file.getFileName();
    if (name != null) {
      descriptorFor(name.toString()).ifPresent(b::descriptor);
    }
    return b;
  }
}
