package io.edgevision.core;

import static io.edgevision.core.internal.Checks.checkArgument;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * How to feed a model: input size and resize mode, colour order, scale / mean / std, layout, labels
 * and an output-layout hint. Immutable.
 *
 * <p>A descriptor is assembled per key from three sources, first found wins: the ONNX model's
 * custom metadata, a sidecar JSON file next to the model ({@code model.onnx.json}, else {@code
 * model.json}), then the options given to {@link
 * InferenceSession.Builder#descriptor(ModelDescriptor)}. Keys are the same everywhere (values are
 * strings in ONNX metadata; JSON may use numbers and arrays):
 *
 * <table>
 *   <caption>Descriptor keys</caption>
 *   <tr><th>key</th><th>meaning</th><th>default</th></tr>
 *   <tr><td>{@code edgevision.input_name}</td><td>the image input</td><td>the first float rank-4 input</td></tr>
 *   <tr><td>{@code edgevision.input_size}</td><td>{@code WIDTHxHEIGHT} of the tensor, e.g. {@code 640x640}</td>
 *       <td>the model's static spatial dims</td></tr>
 *   <tr><td>{@code edgevision.resize}</td><td>{@code stretch}, {@code letterbox} or {@code pad_to_multiple}</td>
 *       <td>{@code stretch}</td></tr>
 *   <tr><td>{@code edgevision.letterbox_align}</td><td>{@code center} or {@code top_left}</td><td>{@code center}</td></tr>
 *   <tr><td>{@code edgevision.pad_multiple}</td><td>pad width and height up to this multiple</td><td>32</td></tr>
 *   <tr><td>{@code edgevision.pad_value}</td><td>fill of padded pixels, in raw 0–255 pixel units</td><td>0</td></tr>
 *   <tr><td>{@code edgevision.color}</td><td>{@code rgb}, {@code bgr} or {@code gray}</td><td>{@code rgb}</td></tr>
 *   <tr><td>{@code edgevision.scale}</td><td>multiplier applied to raw pixels</td><td>1/255</td></tr>
 *   <tr><td>{@code edgevision.mean}, {@code edgevision.std}</td><td>per channel, after scaling:
 *       {@code (pixel * scale - mean) / std}; comma list or JSON array</td><td>0 and 1</td></tr>
 *   <tr><td>{@code edgevision.layout}</td><td>{@code nchw} or {@code nhwc}</td><td>{@code nchw}</td></tr>
 *   <tr><td>{@code edgevision.labels}</td><td>class names, JSON array or comma list</td><td>none</td></tr>
 *   <tr><td>{@code edgevision.output_layout}</td><td>hint for decoders, e.g. {@code detr_raw},
 *       {@code detr_baked}, {@code classifier}</td><td>none (decoders detect)</td></tr>
 *   <tr><td>{@code edgevision.size_input}</td><td>an extra input fed the original frame size, e.g.
 *       {@code orig_target_sizes}</td><td>auto: an int64 {@code [N,2]} input</td></tr>
 *   <tr><td>{@code edgevision.size_input_order}</td><td>{@code wh} or {@code hw}</td><td>{@code wh}</td></tr>
 * </table>
 *
 * Any other {@code edgevision.*} key (for example {@code edgevision.label_schema}) is kept in
 * {@link #extras()} for decoders.
 *
 * <h2>Example</h2>
 *
 * <pre>{@code
 * ModelDescriptor d = ModelDescriptor.builder()
 *     .inputSize(320, 320).resize(ResizeMode.STRETCH).color(ColorOrder.RGB).scale(1 / 255f).build();
 * }</pre>
 *
 * <p>Threading: immutable, safe to share.
 */
public final class ModelDescriptor {
  /** Key prefix shared by every descriptor key. */
  public static final String PREFIX = "edgevision.";

  public static final String INPUT_NAME = PREFIX + "input_name";
  public static final String INPUT_SIZE = PREFIX + "input_size";
  public static final String RESIZE = PREFIX + "resize";
  public static final String LETTERBOX_ALIGN = PREFIX + "letterbox_align";
  public static final String PAD_MULTIPLE = PREFIX + "pad_multiple";
  public static final String PAD_VALUE = PREFIX + "pad_value";
  public static final String COLOR = PREFIX + "color";
  public static final String SCALE = PREFIX + "scale";
  public static final String MEAN = PREFIX + "mean";
  public static final String STD = PREFIX + "std";
  public static final String LAYOUT = PREFIX + "layout";
  public static final String LABELS = PREFIX + "labels";
  public static final String OUTPUT_LAYOUT = PREFIX + "output_layout";
  public static final String SIZE_INPUT = PREFIX + "size_input";
  public static final String SIZE_INPUT_ORDER = PREFIX + "size_input_order";

  /** Default pad multiple for {@link ResizeMode#PAD_TO_MULTIPLE}. */
  public static final int DEFAULT_PAD_MULTIPLE = 32;

  /** Default pixel scale: raw 0–255 pixels become 0–1. */
  public static final float DEFAULT_SCALE = 1f / 255f;

  /** How a frame is brought to the tensor's spatial size. */
  public enum ResizeMode {
    /** Resize to exactly the input size, ignoring aspect ratio (bilinear). */
    STRETCH,
    /**
     * Resize keeping aspect ratio to fit the input size, then pad (see {@code letterbox_align}).
     */
    LETTERBOX,
    /**
     * Keep the frame's scale (or shrink it to fit {@code input_size} when given, keeping aspect
     * ratio), then pad right and bottom up to a multiple of {@code pad_multiple}. For models with
     * dynamic spatial dims.
     */
    PAD_TO_MULTIPLE
  }

  /** Channel order the model expects. */
  public enum ColorOrder {
    RGB,
    BGR,
    GRAY;

    /**
     * @return 3 for colour, 1 for gray
     */
    public int channels() {
      return this == GRAY ? 1 : 3;
    }
  }

  /** Tensor memory layout. */
  public enum Layout {
    NCHW,
    NHWC
  }

  private final Map<String, String> values; // canonical string values, sorted

  private ModelDescriptor(Map<String, String> values) {
    this.values = Collections.unmodifiableMap(new TreeMap<>(values));
    // Parse everything once so a bad value fails at build time, with the key in the message.
    inputSize();
    resize();
    letterboxCentered();
    padMultiple();
    padValue();
    color();
    scale();
    mean();
    std();
    layout();
    labels();
    sizeInputWidthFirst();
  }

  /**
   * @return a builder with no keys set (every default applies)
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Builds a descriptor from {@code edgevision.*} key/value pairs; other keys are ignored.
   *
   * @param properties e.g. an ONNX model's custom metadata
   * @return the descriptor
   * @throws IllegalArgumentException when a value cannot be parsed (the message names the key)
   */
  public static ModelDescriptor fromProperties(Map<String, String> properties) {
    Builder b = builder();
    properties.forEach(
        (k, v) -> {
          if (k.startsWith(PREFIX) && !k.startsWith(PREFIX + "test.")) {
            b.set(k, v);
          }
        });
    return b.build();
  }

  /**
   * @return a builder holding this descriptor's keys
   */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.values.putAll(values);
    return b;
  }

  /**
   * Returns a descriptor with the keys of {@code this}, plus those of {@code fallback} that {@code
   * this} lacks.
   *
   * @param fallback lower-priority keys
   * @return the merged descriptor
   */
  public ModelDescriptor withFallback(ModelDescriptor fallback) {
    Map<String, String> merged = new TreeMap<>(fallback.values);
    merged.putAll(values);
    return new ModelDescriptor(merged);
  }

  /**
   * @return every key explicitly set, with its canonical string value (sorted by key)
   */
  public Map<String, String> asProperties() {
    return values;
  }

  /**
   * @return true when {@code key} was explicitly set
   */
  public boolean has(String key) {
    return values.containsKey(key);
  }

  /**
   * @return the explicit image input name, if set
   */
  public Optional<String> inputName() {
    return Optional.ofNullable(values.get(INPUT_NAME));
  }

  /**
   * @return {@code [width, height]} when {@code input_size} is set
   */
  public Optional<int[]> inputSize() {
    String v = values.get(INPUT_SIZE);
    if (v == null) {
      return Optional.empty();
    }
    String[] parts = v.toLowerCase(Locale.ROOT).split("x");
    try {
      checkArgument(parts.length == 2, "");
      int w = Integer.parseInt(parts[0].trim());
      int h = Integer.parseInt(parts[1].trim());
      checkArgument(w > 0 && h > 0, "");
      return Optional.of(new int[] {w, h});
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          INPUT_SIZE
              + " must be WIDTHxHEIGHT with positive integers, e.g. 640x480, got '"
              + v
              + "'");
    }
  }

  /**
   * @return the resize mode (default {@link ResizeMode#STRETCH})
   */
  public ResizeMode resize() {
    return parseEnum(RESIZE, ResizeMode.class, ResizeMode.STRETCH);
  }

  /**
   * @return true when letterbox padding is split evenly (centre), false for top-left placement
   */
  public boolean letterboxCentered() {
    String v = values.getOrDefault(LETTERBOX_ALIGN, "center");
    checkArgument(
        v.equals("center") || v.equals("top_left"),
        "%s must be center or top_left, got '%s'",
        LETTERBOX_ALIGN,
        v);
    return v.equals("center");
  }

  /**
   * @return the pad multiple (default {@value #DEFAULT_PAD_MULTIPLE})
   */
  public int padMultiple() {
    int m = (int) parseDouble(PAD_MULTIPLE, DEFAULT_PAD_MULTIPLE);
    checkArgument(m >= 1, "%s must be >= 1, got %s", PAD_MULTIPLE, m);
    return m;
  }

  /**
   * @return the fill value of padded pixels in raw pixel units (default 0)
   */
  public double padValue() {
    double v = parseDouble(PAD_VALUE, 0);
    checkArgument(v >= 0 && v <= 255, "%s must be in [0, 255], got %s", PAD_VALUE, v);
    return v;
  }

  /**
   * @return the colour order (default RGB)
   */
  public ColorOrder color() {
    return parseEnum(COLOR, ColorOrder.class, ColorOrder.RGB);
  }

  /**
   * @return the pixel multiplier (default 1/255)
   */
  public float scale() {
    double s = parseDouble(SCALE, DEFAULT_SCALE);
    checkArgument(
        s > 0 && Double.isFinite(s), "%s must be a positive finite number, got %s", SCALE, s);
    return (float) s;
  }

  /**
   * @return per-channel mean after scaling, one value per channel (default zeros)
   */
  public float[] mean() {
    return parseChannels(MEAN, 0f);
  }

  /**
   * @return per-channel std after scaling, one value per channel (default ones)
   */
  public float[] std() {
    float[] s = parseChannels(STD, 1f);
    for (float v : s) {
      checkArgument(
          v > 0 && Float.isFinite(v),
          "%s values must be positive, got %s",
          STD,
          Arrays.toString(s));
    }
    return s;
  }

  /**
   * @return the tensor layout (default NCHW)
   */
  public Layout layout() {
    return parseEnum(LAYOUT, Layout.class, Layout.NCHW);
  }

  /**
   * @return class names, empty when not given
   */
  public List<String> labels() {
    String v = values.get(LABELS);
    return v == null ? List.of() : parseList(LABELS, v);
  }

  /**
   * @return the output-layout hint, if given
   */
  public Optional<String> outputLayout() {
    return Optional.ofNullable(values.get(OUTPUT_LAYOUT));
  }

  /**
   * @return the explicit size-input name, if given
   */
  public Optional<String> sizeInput() {
    return Optional.ofNullable(values.get(SIZE_INPUT));
  }

  /**
   * @return true when the size input takes {@code [width, height]} (default), false for {@code
   *     [height, width]}
   */
  public boolean sizeInputWidthFirst() {
    String v = values.getOrDefault(SIZE_INPUT_ORDER, "wh");
    checkArgument(
        v.equals("wh") || v.equals("hw"), "%s must be wh or hw, got '%s'", SIZE_INPUT_ORDER, v);
    return v.equals("wh");
  }

  /**
   * Keys this class does not interpret (e.g. {@code edgevision.label_schema}), for decoders.
   *
   * @return unmodifiable map of key to raw string value
   */
  public Map<String, String> extras() {
    Map<String, String> out = new LinkedHashMap<>();
    values.forEach(
        (k, v) -> {
          if (!KNOWN.contains(k)) {
            out.put(k, v);
          }
        });
    return Collections.unmodifiableMap(out);
  }

  /**
   * @return SHA-256 (hex) of the canonical {@code key=value} lines: part of every result's
   *     fingerprint
   */
  public String hash() {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      values.forEach((k, v) -> md.update((k + "=" + v + "\n").getBytes(StandardCharsets.UTF_8)));
      return io.edgevision.core.internal.AndroidCompat.hex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java platform", e);
    }
  }

  private static final List<String> KNOWN =
      List.of(
          INPUT_NAME,
          INPUT_SIZE,
          RESIZE,
          LETTERBOX_ALIGN,
          PAD_MULTIPLE,
          PAD_VALUE,
          COLOR,
          SCALE,
          MEAN,
          STD,
          LAYOUT,
          LABELS,
          OUTPUT_LAYOUT,
          SIZE_INPUT,
          SIZE_INPUT_ORDER);

  private <E extends Enum<E>> E parseEnum(String key, Class<E> type, E dflt) {
    String v = values.get(key);
    if (v == null) {
      return dflt;
    }
    try {
      return Enum.valueOf(type, v.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          key
              + " must be one of "
              + Arrays.toString(type.getEnumConstants()).toLowerCase(Locale.ROOT)
              + ", got '"
              + v
              + "'");
    }
  }

  private double parseDouble(String key, double dflt) {
    String v = values.get(key);
    if (v == null) {
      return dflt;
    }
    try {
      return Double.parseDouble(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be a number, got '" + v + "'");
    }
  }

  private float[] parseChannels(String key, float dflt) {
    int channels = color().channels();
    String v = values.get(key);
    if (v == null) {
      float[] out = new float[channels];
      Arrays.fill(out, dflt);
      return out;
    }
    List<String> parts = parseList(key, v);
    float[] out = new float[parts.size()];
    try {
      for (int i = 0; i < out.length; i++) {
        out[i] = Float.parseFloat(parts.get(i));
      }
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be numbers, got '" + v + "'");
    }
    if (out.length == 1 && channels > 1) {
      float[] widened = new float[channels];
      Arrays.fill(widened, out[0]);
      return widened;
    }
    checkArgument(
        out.length == channels,
        "%s needs %d values for %s input, got %d ('%s')",
        key,
        channels,
        color(),
        out.length,
        v);
    return out;
  }

  /** Parses a JSON array of strings/numbers or a comma-separated list. */
  static List<String> parseList(String key, String v) {
    String s = v.trim();
    if (!s.startsWith("[")) {
      List<String> out = new ArrayList<>();
      for (String p : s.split(",")) {
        out.add(p.trim());
      }
      return List.copyOf(out);
    }
    try {
      List<String> out = new ArrayList<>();
      for (var node : io.edgevision.core.internal.Json.MAPPER.readTree(s)) {
        out.add(node.isTextual() ? node.textValue() : node.toString());
      }
      return List.copyOf(out);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException(
          key + " is not a valid JSON array: " + e.getOriginalMessage());
    }
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof ModelDescriptor d && d.values.equals(values);
  }

  @Override
  public int hashCode() {
    return values.hashCode();
  }

  @Override
  public String toString() {
    return "ModelDescriptor" + values;
  }

  /** Builder; every setter writes the same key a model's metadata would. Not thread-safe. */
  public static final class Builder {
    private final Map<String, String> values = new TreeMap<>();

    private Builder() {}

    /**
     * Sets any descriptor key.
     *
     * @param key an {@code edgevision.*} key
     * @param value its string value
     * @return this builder
     */
    public Builder set(String key, String value) {
      checkArgument(
          key.startsWith(PREFIX), "descriptor keys start with '%s', got '%s'", PREFIX, key);
      values.put(key, value.trim());
      return this;
    }

    public Builder inputName(String name) {
      return set(INPUT_NAME, name);
    }

    public Builder inputSize(int width, int height) {
      return set(INPUT_SIZE, width + "x" + height);
    }

    public Builder resize(ResizeMode mode) {
      return set(RESIZE, mode.name().toLowerCase(Locale.ROOT));
    }

    public Builder letterboxCentered(boolean centered) {
      return set(LETTERBOX_ALIGN, centered ? "center" : "top_left");
    }

    public Builder padMultiple(int multiple) {
      return set(PAD_MULTIPLE, Integer.toString(multiple));
    }

    public Builder padValue(double value) {
      return set(PAD_VALUE, Double.toString(value));
    }

    public Builder color(ColorOrder order) {
      return set(COLOR, order.name().toLowerCase(Locale.ROOT));
    }

    public Builder scale(double scale) {
      return set(SCALE, Double.toString(scale));
    }

    public Builder mean(float... mean) {
      return set(MEAN, join(mean));
    }

    public Builder std(float... std) {
      return set(STD, join(std));
    }

    public Builder layout(Layout layout) {
      return set(LAYOUT, layout.name().toLowerCase(Locale.ROOT));
    }

    public Builder labels(List<String> labels) {
      try {
        return set(LABELS, io.edgevision.core.internal.Json.MAPPER.writeValueAsString(labels));
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new IllegalArgumentException("labels cannot be serialised", e);
      }
    }

    public Builder outputLayout(String hint) {
      return set(OUTPUT_LAYOUT, hint);
    }

    public Builder sizeInput(String inputName, boolean widthFirst) {
      set(SIZE_INPUT, inputName);
      return set(SIZE_INPUT_ORDER, widthFirst ? "wh" : "hw");
    }

    /**
     * @return the descriptor
     * @throws IllegalArgumentException when a value cannot be parsed
     */
    public ModelDescriptor build() {
      return new ModelDescriptor(values);
    }

    private static String join(float[] v) {
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < v.length; i++) {
        sb.append(i == 0 ? "" : ",").append(v[i]);
      }
      return sb.toString();
    }
  }
}
