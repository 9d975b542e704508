package io.edgevision.detectors.face;

import io.edgevision.core.EdgeVisionException;
import io.edgevision.core.ErrorCode;
import io.edgevision.core.Outputs;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** In-memory {@link Outputs} for decoder tests; rejects NaN like the real implementation. */
final class FakeOutputs implements Outputs {
  private final Map<String, float[]> values = new LinkedHashMap<>();
  private final Map<String, long[]> shapes = new LinkedHashMap<>();

  FakeOutputs put(String name, long[] shape, float[] data) {
    values.put(name, data);
    shapes.put(name, shape);
    return this;
  }

  @Override
  public List<String> names() {
    return new ArrayList<>(values.keySet());
  }

  @Override
  public long[] shape(String name) {
    long[] s = shapes.get(name);
    if (s == null) {
      throw new IllegalArgumentException("unknown output " + name + ", have " + names());
    }
    return s.clone();
  }

  @Override
  public float[] floats(String name) {
    shape(name);
    float[] v = values.get(name);
    for (int i = 0; i < v.length; i++) {
      if (!Float.isFinite(v[i])) {
        throw new EdgeVisionException(
            ErrorCode.INVALID_OUTPUT, "output " + name + " has " + v[i] + " at " + i);
      }
    }
    return v.clone();
  }

  @Override
  public int copyFloats(String name, float[] dst) {
    float[] v = floats(name);
    System.arraycopy(v, 0, dst, 0, v.length);
    return v.length;
  }

  @Override
  public long[] longs(String name) {
    throw new UnsupportedOperationException();
  }
}
