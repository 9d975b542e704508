package io.edgevision.core;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxModelMetadata;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxTensorLike;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions;
import com.fasterxml.jackson.databind.JsonNode;
import io.edgevision.core.ModelDescriptor.Layout;
import io.edgevision.core.ModelDescriptor.ResizeMode;
import io.edgevision.core.internal.Json;
import io.edgevision.core.internal.LatencyEstimator;
import io.edgevision.core.spi.BackendModel;
import io.edgevision.core.spi.BackendSession;
import io.edgevision.core.spi.ExecutionBackend;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedDeque;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One loaded model (the primary or a variant) with its ONNX Runtime session and workspace pool. */
final class Engine {
  private static final Logger LOG = LoggerFactory.getLogger(Engine.class);
  static final String SDK_VERSION = readSdkVersion();

  final String variant;
  final ModelInfo info;
  final ExecutionProvider provider;
  final List<ProviderDecision> decisions;
  Fingerprint fingerprint; // replaced once by attach(), before the engine is published
  @Nullable BackendSession
      backend; // set once by attach() for ExecutionProvider.isBackend() providers
  final LatencyEstimator estimator;
  final OrtSession session;
  final String imageInput;
  final @Nullable String sizeInput;
  final OnnxJavaType sizeInputType;
  final boolean sizeWidthFirst;
  final long staticBatch;
  private final ConcurrentLinkedDeque<Workspace> pool = new ConcurrentLinkedDeque<>();

  private Engine(
      String variant,
      ModelInfo info,
      ExecutionProvider provider,
      List<ProviderDecision> decisions,
      OrtSession session,
      String imageInput,
      @Nullable String sizeInput,
      OnnxJavaType sizeInputType,
      boolean sizeWidthFirst,
      long staticBatch,
      LatencyEstimator estimator) {
    this.variant = variant;
    this.info = info;
    this.provider = provider;
    this.decisions = List.copyOf(decisions);
    this.session = session;
    this.imageInput = imageInput;
    this.sizeInput = sizeInput;
    this.sizeInputType = sizeInputType;
    this.sizeWidthFirst = sizeWidthFirst;
    this.staticBatch = staticBatch;
    this.estimator = estimator;
    this.fingerprint =
        new Fingerprint(
            info.sha256(),
            variant,
            provider,
            OrtEnvironment.getEnvironment().getVersion(),
            SDK_VERSION,
            info.descriptor().hash());
  }

  /** Session-wide options shared by the primary model and its variants. */
  record Config(
      List<ExecutionProvider> providers,
      int intraOpThreads,
      int interOpThreads,
      SessionOptions.OptLevel optLevel,
      @Nullable Path optimizedModelCache,
      int deviceId,
      int latencyWindow,
      double latencyQuantile,
      NativeLogLevel logLevel,
      Map<String, String> sessionConfig,
      List<ExecutionBackend> backends,
      @Nullable Path nativeProfile) {
    Config withProviders(List<ExecutionProvider> p) {
      return new Config(
          p,
          intraOpThreads,
          interOpThreads,
          optLevel,
          optimizedModelCache,
          deviceId,
          latencyWindow,
          latencyQuantile,
          logLevel,
          sessionConfig,
          backends,
          nativeProfile);
    }
  }

  static Engine load(
      String variant, ModelSource source, ModelDescriptor builderDescriptor, Config cfg) {
    return load(variant, source, builderDescriptor, cfg, List.of());
  }

  /**
   * @param earlier decisions of providers already tried (a backend that failed to open)
   */
  private static Engine load(
      String variant,
      ModelSource source,
      ModelDescriptor builderDescriptor,
      Config cfg,
      List<ProviderDecision> earlier) {
    byte[] bytes = source.read();
    String sha = sha256(bytes);
    source
        .pinnedSha256()
        .ifPresent(
            pin -> {
              if (!pin.equals(sha)) {
                throw new EdgeVisionException(
                    ErrorCode.MODEL_INVALID,
                    "SHA-256 of "
                        + source.name()
                        + " does not match"
                        + " the pinned value: expected "
                        + pin
                        + ", got "
                        + sha);
              }
            });
    ModelDescriptor sidecar = readSidecar(source);
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    EnumSet<ExecutionProvider> available = ExecutionProvider.available();
    List<ProviderDecision> decisions = new ArrayList<>(earlier);
    OrtSession session = null;
    ExecutionProvider selected = null;
    EdgeVisionException modelError = null;
    for (ExecutionProvider p : cfg.providers()) {
      if (selected != null) {
        decisions.add(
            new ProviderDecision(
                p, ProviderDecision.Status.NOT_TRIED, "an earlier provider was selected"));
        continue;
      }
      ProviderDecision backendMissing =
          p.isBackend() ? Backends.unavailable(p, cfg.backends()) : null;
      if (backendMissing != null) {
        decisions.add(backendMissing);
        continue;
      }
      ExecutionProvider ortProvider =
          p.isBackend() ? ExecutionProvider.CPU : p; // a backend: ORT reads the IO
      if (!available.contains(ortProvider)) {
        decisions.add(
            new ProviderDecision(
                p,
                ProviderDecision.Status.NOT_IN_BUILD,
                "not in this ONNX Runtime build (it has "
                    + available
                    + "); for CUDA/TensorRT use the onnxruntime_gpu"
                    + " artifact"));
        continue;
      }
      try {
        session = createSession(env, bytes, sha, ortProvider, cfg, variant);
        selected = p;
        decisions.add(new ProviderDecision(p, ProviderDecision.Status.SELECTED, ""));
      } catch (OrtException e) {
        // The CPU provider is part of every build and accepts every valid model: its failure is the
        // model's.
        if (isModelError(e) || p == ExecutionProvider.CPU) {
          modelError =
              new EdgeVisionException(
                  ErrorCode.MODEL_INVALID,
                  "cannot load "
                      + source.name()
                      + " as an ONNX model (expected a valid model, got "
                      + bytes.length
                      + " bytes that ONNX Runtime"
                      + " rejects on "
                      + p
                      + "): "
                      + e.getMessage(),
                  e);
          break;
        }
        decisions.add(
            new ProviderDecision(
                p,
                ProviderDecision.Status.FAILED_TO_INITIALISE,
                "failed to initialise: " + e.getMessage()));
      } catch (RuntimeException | LinkageError e) {
        decisions.add(
            new ProviderDecision(
                p, ProviderDecision.Status.FAILED_TO_INITIALISE, "failed to initialise: " + e));
      }
    }
    if (modelError != null) {
      throw modelError;
    }
    if (session == null) {
      // Every provider failed: if a plain CPU session rejects the model too, the model is at fault.
      String invalid =
          cfg.providers().contains(ExecutionProvider.CPU) ? null : rejectedByCpu(env, bytes);
      if (invalid != null) {
        throw new EdgeVisionException(
            ErrorCode.MODEL_INVALID,
            "cannot load "
                + source.name()
                + " as an ONNX model (expected a valid model, got "
                + bytes.length
                + " bytes that ONNX Runtime"
                + " rejects even on a plain CPU session): "
                + invalid
                + " (providers tried: "
                + decisions
                + ")");
      }
      throw new EdgeVisionException(
          ErrorCode.PROVIDER_UNAVAILABLE,
          "no execution provider of "
              + cfg.providers()
              + " could run "
              + source.name()
              + ": "
              + decisions);
    }
    LOG.info(
        "{} [{}]: execution provider {} selected ({})",
        source.name(),
        variant,
        selected,
        decisions);
    Engine engine;
    try {
      engine =
          describe(
              variant,
              source,
              bytes.length,
              sha,
              session,
              selected,
              decisions,
              sidecar,
              builderDescriptor,
              cfg);
    } catch (RuntimeException e) {
      closeQuietly(session);
      throw e;
    }
    if (selected.isBackend()) {
      try {
        engine.attach(
            java.util.Objects.requireNonNull(Backends.find(selected, cfg.backends()))
                .open(new BackendModel(bytes, engine.info, cfg.deviceId())));
      } catch (RuntimeException | LinkageError e) {
        engine.close();
        int at = earlier.size() + cfg.providers().indexOf(selected);
        List<ProviderDecision> failed = new ArrayList<>(decisions.subList(0, at));
        failed.add(
            new ProviderDecision(
                selected,
                ProviderDecision.Status.FAILED_TO_INITIALISE,
                "failed to open: "
                    + (e instanceof EdgeVisionException ? e.getMessage() : e.toString())));
        List<ExecutionProvider> rest =
            cfg.providers().subList(cfg.providers().indexOf(selected) + 1, cfg.providers().size());
        if (rest.isEmpty()) {
          throw new EdgeVisionException(
              ErrorCode.PROVIDER_UNAVAILABLE,
              "no execution provider could run " + source.name() + ": " + failed,
              e);
        }
        LOG.warn(
            "{} [{}]: {} failed, falling back to {}: {}",
            source.name(),
            variant,
            selected,
            rest,
            e.toString());
        return load(variant, source, builderDescriptor, cfg.withProviders(rest), failed);
      }
    }
    return engine;
  }

  /** Hands the run to a backend session; called once, before the engine is published. */
  private void attach(BackendSession b) {
    this.backend = b;
    this.fingerprint =
        new Fingerprint(
            info.sha256(),
            variant,
            provider,
            fingerprint.onnxRuntimeVersion(),
            SDK_VERSION,
            info.descriptor().hash(),
            b.describe());
    LOG.info("{} [{}]: running on {}", info.name(), variant, fingerprint.backend());
  }

  private static OrtSession createSession(
      OrtEnvironment env, byte[] bytes, String sha, ExecutionProvider p, Config cfg, String variant)
      throws OrtException {
    try (SessionOptions opts = new SessionOptions()) {
      opts.setOptimizationLevel(cfg.optLevel());
      Path profile = cfg.nativeProfile();
      if (profile != null) {
        // ONNX Runtime appends a timestamp and ".json", and writes the file when the session is
        // released.
        opts.enableProfiling(profile + "-" + variant);
      }
      opts.setSessionLogLevel(cfg.logLevel().ort());
      for (Map.Entry<String, String> e : cfg.sessionConfig().entrySet()) {
        opts.addConfigEntry(e.getKey(), e.getValue());
      }
      if (cfg.intraOpThreads() > 0) {
        opts.setIntraOpNumThreads(cfg.intraOpThreads());
      }
      if (cfg.interOpThreads() > 0) {
        opts.setInterOpNumThreads(cfg.interOpThreads());
      }
      switch (p) {
        case TENSORRT -> {
          opts.addTensorrt(cfg.deviceId());
          if (ExecutionProvider.available().contains(ExecutionProvider.CUDA)) {
            opts.addCUDA(cfg.deviceId()); // nodes TensorRT cannot take run on CUDA, not CPU
          }
        }
        case CUDA -> opts.addCUDA(cfg.deviceId());
        case NNAPI -> opts.addNnapi();
        case XNNPACK ->
            opts.addXnnpack(
                Map.of(
                    "intra_op_num_threads", Integer.toString(Math.max(1, cfg.intraOpThreads()))));
        case COREML -> opts.addCoreML();
        case CPU -> {}
      }
      Path cache = cfg.optimizedModelCache();
      boolean cacheable =
          cache != null
              && (p == ExecutionProvider.CPU
                  || p == ExecutionProvider.CUDA
                  || p == ExecutionProvider.XNNPACK);
      if (cacheable) {
        Path file =
            cache.resolve(
                sha
                    + "-"
                    + p.name().toLowerCase(Locale.ROOT)
                    + "-"
                    + cfg.optLevel()
                    + "-ort"
                    + env.getVersion()
                    + ".onnx");
        if (Files.isRegularFile(file)) {
          try {
            return env.createSession(file.toString(), opts);
          } catch (OrtException e) {
            LOG.warn("optimised-model cache {} unusable ({}); rebuilding it", file, e.getMessage());
            deleteQuietly(file);
          }
        }
        try {
          Files.createDirectories(cache);
          opts.setOptimizedModelFilePath(file.toString());
        } catch (IOException e) {
          LOG.warn("optimised-model cache directory {} unusable: {}", cache, e.toString());
        }
      }
      return env.createSession(bytes, opts);
    }
  }

  /**
   * @return ORT's message when a CPU-only session cannot be built from the bytes, else null
   */
  private static @Nullable String rejectedByCpu(OrtEnvironment env, byte[] bytes) {
    try (SessionOptions opts = new SessionOptions();
        OrtSession s = env.createSession(bytes, opts)) {
      return null;
    } catch (OrtException e) {
      return e.getMessage();
    }
  }

  private static boolean isModelError(OrtException e) {
    return switch (e.getCode()) {
      case ORT_INVALID_PROTOBUF, ORT_INVALID_GRAPH, ORT_NO_MODEL, ORT_NOT_IMPLEMENTED -> true;
      default -> {
        String m = String.valueOf(e.getMessage());
        yield m.contains("Protobuf parsing failed")
            || m.contains("ModelProto does not have a graph")
            || m.contains("Load model from memory failed")
            || m.contains("nvalid model")
            || m.contains("No graph was found")
            || m.contains("Failed to load model");
      }
    };
  }

  private static Engine describe(
      String variant,
      ModelSource source,
      long fileSize,
      String sha,
      OrtSession session,
      ExecutionProvider provider,
      List<ProviderDecision> decisions,
      ModelDescriptor sidecar,
      ModelDescriptor builderDescriptor,
      Config cfg) {
    List<TensorInfo> inputs;
    List<TensorInfo> outputs;
    Map<String, String> metadata;
    String producer;
    String graph;
    try {
      inputs = signature(session.getInputInfo());
      outputs = signature(session.getOutputInfo());
      OnnxModelMetadata md = session.getMetadata();
      metadata = new LinkedHashMap<>(md.getCustomMetadata());
      producer = md.getProducerName();
      graph = md.getGraphName();
    } catch (OrtException e) {
      throw new EdgeVisionException(
          ErrorCode.NATIVE_FAILURE, "cannot read the signature of " + source.name(), e);
    }
    ModelDescriptor descriptor;
    try {
      descriptor =
          ModelDescriptor.fromProperties(metadata)
              .withFallback(sidecar)
              .withFallback(builderDescriptor);
    } catch (IllegalArgumentException e) {
      throw new EdgeVisionException(
          ErrorCode.MODEL_DESCRIPTOR_MISMATCH,
          "descriptor of " + source.name() + " is invalid: " + e.getMessage(),
          e);
    }
    // The image input: explicit, else the first float rank-4 input.
    String imageName =
        descriptor
            .inputName()
            .orElseGet(
                () ->
                    inputs.stream()
                        .filter(t -> t.type() == ElementType.FLOAT32 && t.rank() == 4)
                        .map(TensorInfo::name)
                        .findFirst()
                        .orElseThrow(
                            () ->
                                mismatch(
                                    source, "a float32 rank-4 image input", "inputs " + inputs)));
    TensorInfo image =
        inputs.stream()
            .filter(t -> t.name().equals(imageName))
            .findFirst()
            .orElseThrow(
                () -> mismatch(source, "an input named '" + imageName + "'", "inputs " + inputs));
    if (image.type() != ElementType.FLOAT32 || image.rank() != 4) {
      throw mismatch(
          source, "image input '" + imageName + "' of type float32 and rank 4", image.toString());
    }
    boolean nchw = descriptor.layout() == Layout.NCHW;
    int cAxis = nchw ? 1 : 3;
    int hAxis = nchw ? 2 : 1;
    int wAxis = nchw ? 3 : 2;
    int channels = descriptor.color().channels();
    if (!image.isDynamic(cAxis) && image.dim(cAxis) != channels) {
      throw mismatch(
          source,
          channels + " channels (" + descriptor.color() + ", " + descriptor.layout() + ")",
          image.dim(cAxis) + " in " + image);
    }
    long batch = image.isDynamic(0) ? -1 : image.dim(0);
    boolean staticSize = !image.isDynamic(hAxis) && !image.isDynamic(wAxis);
    Optional<int[]> size = descriptor.inputSize();
    if (size.isPresent()
        && staticSize
        && (size.get()[0] != image.dim(wAxis) || size.get()[1] != image.dim(hAxis))) {
      throw mismatch(
          source,
          "input size " + size.get()[0] + "x" + size.get()[1] + " (descriptor)",
          image.dim(wAxis) + "x" + image.dim(hAxis) + " in " + image);
    }
    if (size.isEmpty()) {
      if (staticSize) {
        descriptor =
            descriptor.toBuilder()
                .inputSize((int) image.dim(wAxis), (int) image.dim(hAxis))
                .build();
      } else if (descriptor.resize() != ResizeMode.PAD_TO_MULTIPLE) {
        throw mismatch(
            source,
            ModelDescriptor.INPUT_SIZE + " or resize=pad_to_multiple for the dynamic input",
            image.toString());
      }
    } else if (staticSize && descriptor.resize() == ResizeMode.PAD_TO_MULTIPLE) {
      int m = descriptor.padMultiple();
      if (size.get()[0] % m != 0 || size.get()[1] % m != 0) {
        throw mismatch(source, "a static input size that is a multiple of " + m, image.toString());
      }
    }
    // Other inputs: only a frame-size input can be fed.
    String sizeName = descriptor.sizeInput().orElse(null);
    OnnxJavaType sizeType = OnnxJavaType.INT64;
    for (TensorInfo t : inputs) {
      if (t.name().equals(imageName)) {
        continue;
      }
      boolean looksLikeSize =
          t.rank() == 2
              && (t.isDynamic(1) || t.dim(1) == 2)
              && (t.type() == ElementType.INT64
                  || t.type() == ElementType.INT32
                  || t.type() == ElementType.FLOAT32);
      if (sizeName == null && looksLikeSize) {
        sizeName = t.name();
      }
      if (!t.name().equals(sizeName)) {
        throw mismatch(
            source,
            "only an image input and an optional frame-size input [N,2]",
            "another input " + t);
      }
      if (!looksLikeSize) {
        throw mismatch(
            source,
            "frame-size input '" + t.name() + "' of shape [N,2] (int64, int32 or float32)",
            t.toString());
      }
      sizeType =
          switch (t.type()) {
            case INT32 -> OnnxJavaType.INT32;
            case FLOAT32 -> OnnxJavaType.FLOAT;
            default -> OnnxJavaType.INT64;
          };
    }
    ModelInfo info =
        new ModelInfo(
            source.name(), sha, fileSize, inputs, outputs, metadata, producer, graph, descriptor);
    return new Engine(
        variant,
        info,
        provider,
        decisions,
        session,
        imageName,
        sizeName,
        sizeType,
        descriptor.sizeInputWidthFirst(),
        batch,
        new LatencyEstimator(cfg.latencyWindow(), cfg.latencyQuantile()));
  }

  private static EdgeVisionException mismatch(ModelSource source, String expected, String got) {
    return new EdgeVisionException(
        ErrorCode.MODEL_DESCRIPTOR_MISMATCH,
        source.name() + ": expected " + expected + ", got " + got);
  }

  private static List<TensorInfo> signature(Map<String, NodeInfo> nodes) {
    List<TensorInfo> out = new ArrayList<>();
    for (NodeInfo n : nodes.values()) {
      if (n.getInfo() instanceof ai.onnxruntime.TensorInfo t) {
        long[] shape = t.getShape();
        String[] names = t.getDimensionNames();
        List<Long> s = new ArrayList<>();
        List<String> dn = new ArrayList<>();
        for (int i = 0; i < shape.length; i++) {
          s.add(shape[i] < 0 ? -1L : shape[i]);
          dn.add(names != null && i < names.length && names[i] != null ? names[i] : "");
        }
        out.add(new TensorInfo(n.getName(), elementType(t), s, dn));
      } else {
        out.add(new TensorInfo(n.getName(), ElementType.OTHER, List.of(), List.of()));
      }
    }
    return out;
  }

  private static ElementType elementType(ai.onnxruntime.TensorInfo t) {
    return switch (t.onnxType) {
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT -> ElementType.FLOAT32;
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT16 -> ElementType.FLOAT16;
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_DOUBLE -> ElementType.FLOAT64;
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT8 -> ElementType.INT8;
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT8 -> ElementType.UINT8;
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT16 -> ElementType.INT16;
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT32 -> ElementType.INT32;
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT64 -> ElementType.INT64;
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_BOOL -> ElementType.BOOL;
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_STRING -> ElementType.STRING;
      default -> ElementType.OTHER;
    };
  }

  private static ModelDescriptor readSidecar(ModelSource source) {
    Optional<Path> path = source.path();
    if (path.isEmpty()) {
      return ModelDescriptor.builder().build();
    }
    Path p = path.get();
    String file = p.getFileName().toString();
    String stem = file.endsWith(".onnx") ? file.substring(0, file.length() - 5) : file;
    for (Path candidate :
        List.of(p.resolveSibling(file + ".json"), p.resolveSibling(stem + ".json"))) {
      if (!Files.isRegularFile(candidate)) {
        continue;
      }
      try {
        JsonNode root = Json.MAPPER.readTree(candidate.toFile());
        if (root == null || !root.isObject()) {
          throw new EdgeVisionException(
              ErrorCode.MODEL_DESCRIPTOR_MISMATCH,
              "sidecar descriptor "
                  + candidate
                  + ": expected a JSON object of edgevision.* keys, got "
                  + (root == null ? "nothing" : root.getNodeType()));
        }
        Map<String, String> props = new LinkedHashMap<>();
        root.fields()
            .forEachRemaining(
                e ->
                    props.put(
                        e.getKey(),
                        e.getValue().isTextual()
                            ? e.getValue().textValue()
                            : e.getValue().toString()));
        return ModelDescriptor.fromProperties(props);
      } catch (IOException e) {
        throw new EdgeVisionException(
            ErrorCode.MODEL_DESCRIPTOR_MISMATCH,
            "sidecar descriptor " + candidate + " is not valid JSON: " + e.getMessage(),
            e);
      } catch (IllegalArgumentException e) {
        throw new EdgeVisionException(
            ErrorCode.MODEL_DESCRIPTOR_MISMATCH,
            "sidecar descriptor " + candidate + " is invalid: " + e.getMessage(),
            e);
      }
    }
    return ModelDescriptor.builder().build();
  }

  Workspace acquire(int batch) {
    Workspace w = pool.pollFirst();
    if (w != null && w.capacity >= batch) {
      return w;
    }
    if (w != null) {
      w.close();
    }
    return new Workspace(Math.max(batch, staticBatch > 0 ? (int) staticBatch : 1));
  }

  void release(Workspace w) {
    pool.offerFirst(w);
  }

  void close() {
    Workspace w;
    while ((w = pool.pollFirst()) != null) {
      w.close();
    }
    if (backend != null) {
      try {
        backend.close();
      } catch (RuntimeException e) {
        LOG.warn("closing execution backend session failed: {}", e.toString());
      }
    }
    closeQuietly(session);
  }

  private static void closeQuietly(OrtSession s) {
    try {
      s.close();
    } catch (OrtException | RuntimeException e) {
      LOG.warn("closing ONNX Runtime session failed: {}", e.toString());
    }
  }

  private static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException e) {
      LOG.warn("cannot delete {}: {}", p, e.toString());
    }
  }

  static String sha256(byte[] bytes) {
    try {
      return io.edgevision.core.internal.AndroidCompat.hex(
          MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java platform", e);
    }
  }

  private static String readSdkVersion() {
    try (var in = Engine.class.getResourceAsStream("/io/edgevision/core/version.properties")) {
      if (in == null) {
        return "unknown";
      }
      java.util.Properties p = new java.util.Properties();
      p.load(in);
      return p.getProperty("version", "unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }

  /** Per-thread reusable input state: preprocessor output buffer and the ORT tensors over it. */
  final class Workspace implements AutoCloseable {
    final int capacity;
    final ImagePreprocessor pre;
    final Map<String, OnnxTensorLike> inputs = new HashMap<>();
    private @Nullable OnnxTensor imageTensor;
    private int imageBatch;
    private @Nullable FloatBuffer imageBuffer;
    private @Nullable OnnxTensor sizeTensor;
    private int sizeBatch;
    private @Nullable ByteBuffer sizeBytes;

    Workspace(int capacity) {
      this.capacity = capacity;
      this.pre = ImagePreprocessor.create(info.descriptor(), capacity);
    }

    /** Preprocesses the frames and points {@link #inputs} at the tensors. */
    List<PreprocessTransform> prepare(List<ImageFrame> frames) throws OrtException {
      int n = frames.size();
      PreprocessTransform[] ts = new PreprocessTransform[n];
      for (int i = 0; i < n; i++) {
        ts[i] = pre.preprocess(frames.get(i), i);
        if (i > 0
            && (ts[i].tensorWidth() != ts[0].tensorWidth()
                || ts[i].tensorHeight() != ts[0].tensorHeight())) {
          throw new EdgeVisionException(
              ErrorCode.BAD_INPUT,
              "frames of one batch must give one tensor size: frame 0"
                  + " gives "
                  + ts[0].tensorWidth()
                  + "x"
                  + ts[0].tensorHeight()
                  + ", frame "
                  + i
                  + " gives "
                  + ts[i].tensorWidth()
                  + "x"
                  + ts[i].tensorHeight());
        }
      }
      FloatBuffer buf = pre.output(n, ts[0]);
      if (imageTensor == null || imageBatch != n || imageBuffer != buf) {
        if (imageTensor != null) {
          imageTensor.close();
        }
        imageTensor =
            OnnxTensor.createTensor(OrtEnvironment.getEnvironment(), buf, pre.shape(n, ts[0]));
        imageBatch = n;
        imageBuffer = buf;
        inputs.put(imageInput, imageTensor);
      }
      if (sizeInput != null) {
        if (sizeTensor == null || sizeBatch != n) {
          if (sizeTensor != null) {
            sizeTensor.close();
          }
          int bytesPer = sizeInputType == OnnxJavaType.INT64 ? 8 : 4;
          sizeBytes = ByteBuffer.allocateDirect(n * 2 * bytesPer).order(ByteOrder.nativeOrder());
          long[] shape = {n, 2};
          sizeTensor =
              switch (sizeInputType) {
                case INT32 ->
                    OnnxTensor.createTensor(
                        OrtEnvironment.getEnvironment(), sizeBytes.asIntBuffer(), shape);
                case FLOAT ->
                    OnnxTensor.createTensor(
                        OrtEnvironment.getEnvironment(), sizeBytes.asFloatBuffer(), shape);
                default ->
                    OnnxTensor.createTensor(
                        OrtEnvironment.getEnvironment(), sizeBytes.asLongBuffer(), shape);
              };
          sizeBatch = n;
          inputs.put(sizeInput, sizeTensor);
        }
        ByteBuffer b = java.util.Objects.requireNonNull(sizeBytes);
        for (int i = 0; i < n; i++) {
          long first = sizeWidthFirst ? ts[i].sourceWidth() : ts[i].sourceHeight();
          long second = sizeWidthFirst ? ts[i].sourceHeight() : ts[i].sourceWidth();
          switch (sizeInputType) {
            case INT32 -> {
              IntBuffer ib = b.asIntBuffer();
              ib.put(2 * i, (int) first).put(2 * i + 1, (int) second);
            }
            case FLOAT -> {
              FloatBuffer fb = b.asFloatBuffer();
              fb.put(2 * i, first).put(2 * i + 1, second);
            }
            default -> {
              LongBuffer lb = b.asLongBuffer();
              lb.put(2 * i, first).put(2 * i + 1, second);
            }
          }
        }
      }
      return List.of(ts);
    }

    @Override
    public void close() {
      if (imageTensor != null) {
        imageTensor.close();
      }
      if (sizeTensor != null) {
        sizeTensor.close();
      }
      pre.close();
    }
  }
}
