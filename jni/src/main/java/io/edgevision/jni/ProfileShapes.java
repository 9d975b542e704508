package io.edgevision.jni;

import io.edgevision.core.EdgeVisionException;
import io.edgevision.core.ElementType;
import io.edgevision.core.ErrorCode;
import io.edgevision.core.ModelDescriptor;
import io.edgevision.core.ModelInfo;
import io.edgevision.core.TensorInfo;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The optimisation profile of a TensorRT engine: for every model input, the smallest, typical and
 * largest shape it will be run with, derived from the model's IO signature, its descriptor and the
 * build options.
 *
 * <p>Rules: static dimensions are kept. A dynamic batch (dimension 0) spans 1 .. {@link
 * TrtBuildOptions#maxBatch()} and is optimised for {@link TrtBuildOptions#optBatch()}; every input
 * shares it. The image input's dynamic channel dimension is the descriptor's channel count. Its
 * dynamic height and width are the descriptor's {@code edgevision.input_size} when set (the SDK
 * always feeds that size), else {@link TrtBuildOptions#dynamicSize()}, else the build is refused. A
 * frame-size input {@code [N, 2]} has 2 columns. Any other dynamic dimension is refused with a
 * message naming it.
 *
 * @param inputs one profile per model input, in graph order
 *     <p>Threading: immutable.
 */
public record ProfileShapes(List<Input> inputs) {
  public ProfileShapes {
    inputs = List.copyOf(inputs);
  }

  /**
   * One input's range.
   *
   * @param name input name
   * @param min smallest shape
   * @param opt shape TensorRT tunes for
   * @param max largest shape
   */
  public record Input(String name, long[] min, long[] opt, long[] max) {
    public Input {
      Objects.requireNonNull(name, "name");
      min = min.clone();
      opt = opt.clone();
      max = max.clone();
      if (min.length != opt.length || opt.length != max.length) {
        throw new IllegalArgumentException(
            "min/opt/max of '"
                + name
                + "' must have one rank, got "
                + Arrays.toString(min)
                + " "
                + Arrays.toString(opt)
                + " "
                + Arrays.toString(max));
      }
      for (int i = 0; i < min.length; i++) {
        if (min[i] < 1 || min[i] > opt[i] || opt[i] > max[i]) {
          throw new IllegalArgumentException(
              "profile of '"
                  + name
                  + "' must satisfy 1 <= min <= opt <= max in"
                  + " every dimension, got "
                  + Arrays.toString(min)
                  + " "
                  + Arrays.toString(opt)
                  + " "
                  + Arrays.toString(max));
        }
      }
    }

    @Override
    public long[] min() {
      return min.clone();
    }

    @Override
    public long[] opt() {
      return opt.clone();
    }

    @Override
    public long[] max() {
      return max.clone();
    }

    /**
     * @return true when min, opt and max are one shape
     */
    public boolean isStatic() {
      return Arrays.equals(min, max);
    }

    /**
     * @return e.g. {@code images:1x3x320x320/1x3x320x320/4x3x320x320}
     */
    public String canonical() {
      return name + ":" + dims(min) + "/" + dims(opt) + "/" + dims(max);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Input i
          && i.name.equals(name)
          && Arrays.equals(i.min, min)
          && Arrays.equals(i.opt, opt)
          && Arrays.equals(i.max, max);
    }

    @Override
    public int hashCode() {
      return Objects.hash(name, Arrays.hashCode(min), Arrays.hashCode(opt), Arrays.hashCode(max));
    }

    @Override
    public String toString() {
      return canonical();
    }

    private static String dims(long[] d) {
      return Arrays.stream(d).mapToObj(Long::toString).collect(Collectors.joining("x"));
    }
  }

  /**
   * @param model the model's signature and effective descriptor (from {@code
   *     InferenceSession.model()})
   * @param options batch and size ranges
   * @return the profile
   * @throws EdgeVisionException {@link ErrorCode#MODEL_DESCRIPTOR_MISMATCH} for a dynamic dimension
   *     no rule covers
   */
  public static ProfileShapes derive(ModelInfo model, TrtBuildOptions options) {
    ModelDescriptor d = model.descriptor();
    String image =
        d.inputName()
            .orElseGet(
                () ->
                    model.inputs().stream()
                        .filter(t -> t.type() == ElementType.FLOAT32 && t.rank() == 4)
                        .map(TensorInfo::name)
                        .findFirst()
                        .orElse(""));
    boolean nchw = d.layout() == ModelDescriptor.Layout.NCHW;
    int cAxis = nchw ? 1 : 3;
    int hAxis = nchw ? 2 : 1;
    int wAxis = nchw ? 3 : 2;
    Optional<int[]> size = d.inputSize();
    List<Input> out = new ArrayList<>();
    for (TensorInfo t : model.inputs()) {
      int rank = t.rank();
      long[] min = new long[rank];
      long[] opt = new long[rank];
      long[] max = new long[rank];
      boolean isImage = t.name().equals(image);
      for (int i = 0; i < rank; i++) {
        if (!t.isDynamic(i)) {
          min[i] = opt[i] = max[i] = t.dim(i);
        } else if (i == 0) {
          min[i] = 1;
          opt[i] = options.optBatch();
          max[i] = options.maxBatch();
        } else if (isImage && i == cAxis) {
          min[i] = opt[i] = max[i] = d.color().channels();
        } else if (isImage && (i == hAxis || i == wAxis)) {
          boolean h = i == hAxis;
          if (size.isPresent()) {
            min[i] = opt[i] = max[i] = h ? size.get()[1] : size.get()[0];
          } else if (options.dynamicSize().isPresent()) {
            int[] s = options.dynamicSize().get();
            min[i] = h ? s[1] : s[0];
            opt[i] = h ? s[3] : s[2];
            max[i] = h ? s[5] : s[4];
          } else {
            throw unresolved(
                model,
                t,
                i,
                "set edgevision.input_size in the model's descriptor or"
                    + " TrtBuildOptions.dynamicSize(...)");
          }
        } else if (!isImage && rank == 2 && i == 1) {
          min[i] = opt[i] = max[i] = 2; // frame-size input [N, 2]
        } else {
          throw unresolved(
              model, t, i, "the SDK feeds only an image input and a frame-size input [N, 2]");
        }
      }
      out.add(new Input(t.name(), min, opt, max));
    }
    return new ProfileShapes(out);
  }

  private static EdgeVisionException unresolved(
      ModelInfo model, TensorInfo t, int axis, String hint) {
    return new EdgeVisionException(
        ErrorCode.MODEL_DESCRIPTOR_MISMATCH,
        model.name()
            + ": expected a size for"
            + " dynamic dimension "
            + axis
            + " of input "
            + t
            + " to build a TensorRT optimisation profile, got none ("
            + hint
            + ")");
  }

  /**
   * @return the profile as one canonical string, for the engine cache key
   */
  public String canonical() {
    return inputs.stream().map(Input::canonical).collect(Collectors.joining(";"));
  }

  /**
   * @return true when every input has a single shape
   */
  public boolean isStatic() {
    return inputs.stream().allMatch(Input::isStatic);
  }

  /**
   * @param name an input name
   * @return its range
   */
  public Optional<Input> input(String name) {
    return inputs.stream().filter(i -> i.name().equals(name)).findFirst();
  }

  @Override
  public String toString() {
    return canonical();
  }
}
