package io.edgevision.core;

import static io.edgevision.core.internal.Checks.checkState;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@link Outputs} over one ONNX Runtime result; invalid after {@link #invalidate()}. */
final class OrtOutputs implements Outputs {
  private final OrtSession.Result result;
  private final String modelName;
  private final List<String> names;
  private boolean valid = true;

  OrtOutputs(OrtSession.Result result, String modelName) {
    this.result = result;
    this.modelName = modelName;
    List<String> n = new ArrayList<>();
    result.forEach(e -> n.add(e.getKey()));
    this.names = List.copyOf(n);
  }

  void invalidate() {
    valid = false;
  }

  @Override
  public List<String> names() {
    checkValid();
    return names;
  }

  @Override
  public long[] shape(String name) {
    return tensor(name).getInfo().getShape();
  }

  @Override
  public float[] floats(String name) {
    OnnxTensor t = tensor(name);
    requireType(t, name, OnnxJavaType.FLOAT);
    FloatBuffer fb = t.getFloatBuffer();
    float[] out = new float[fb.remaining()];
    fb.get(out);
    checkFinite(name, out, out.length);
    return out;
  }

  @Override
  public int copyFloats(String name, float[] dst) {
    OnnxTensor t = tensor(name);
    requireType(t, name, OnnxJavaType.FLOAT);
    FloatBuffer fb = t.getFloatBuffer();
    int n = fb.remaining();
    if (dst.length < n) {
      throw new IllegalArgumentException(
          "destination for output '" + name + "' needs " + n + " floats, got " + dst.length);
    }
    fb.get(dst, 0, n);
    checkFinite(name, dst, n);
    return n;
  }

  @Override
  public long[] longs(String name) {
    OnnxTensor t = tensor(name);
    OnnxJavaType type = t.getInfo().type;
    if (type == OnnxJavaType.INT64) {
      LongBuffer lb = t.getLongBuffer();
      long[] out = new long[lb.remaining()];
      lb.get(out);
      return out;
    }
    if (type == OnnxJavaType.INT32) {
      IntBuffer ib = t.getIntBuffer();
      long[] out = new long[ib.remaining()];
      for (int i = 0; i < out.length; i++) {
        out[i] = ib.get(i);
      }
      return out;
    }
    throw new EdgeVisionException(
        ErrorCode.INVALID_OUTPUT,
        "output '"
            + name
            + "' of "
            + modelName
            + ": expected an int64 or int32 tensor, got "
            + type);
  }

  private void checkValid() {
    checkState(
        valid, "Outputs are only valid inside OutputDecoder.decode (the native tensors are freed)");
  }

  private OnnxTensor tensor(String name) {
    checkValid();
    Optional<OnnxValue> v = result.get(name);
    if (v.isEmpty()) {
      throw new IllegalArgumentException(
          "no output '" + name + "' in " + modelName + ", outputs are " + names);
    }
    if (!(v.get() instanceof OnnxTensor t)) {
      throw new EdgeVisionException(
          ErrorCode.INVALID_OUTPUT,
          "output '"
              + name
              + "' of "
              + modelName
              + ": expected a tensor, got "
              + v.get().getType());
    }
    return t;
  }

  private void requireType(OnnxTensor t, String name, OnnxJavaType type) {
    if (t.getInfo().type != type) {
      throw new EdgeVisionException(
          ErrorCode.INVALID_OUTPUT,
          "output '"
              + name
              + "' of "
              + modelName
              + ": expected "
              + type
              + ", got "
              + t.getInfo().type);
    }
  }

  private void checkFinite(String name, float[] v, int n) {
    for (int i = 0; i < n; i++) {
      if (!Float.isFinite(v[i])) {
        throw new EdgeVisionException(
            ErrorCode.INVALID_OUTPUT,
            "output '"
                + name
                + "' of "
                + modelName
                + " has a non-finite value ("
                + v[i]
                + ") at flat index "
                + i
                + " of "
                + n
                + ": expected finite numbers (a broken export or bad weights)");
      }
    }
  }
}
