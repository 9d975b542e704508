package io.edgevision.core;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Heap copies of a run's float outputs, for callers that decode themselves ({@link
 * OutputDecoder#raw()}). Integer outputs are converted to float.
 *
 * @param values output name to values, graph order
 * @param shapes output name to shape
 */
public record RawOutputs(Map<String, float[]> values, Map<String, long[]> shapes) {
  public RawOutputs {
    values = Map.copyOf(values);
    shapes = Map.copyOf(shapes);
  }

  static RawOutputs copyOf(Outputs outputs, DecodeContext context) {
    Map<String, float[]> v = new LinkedHashMap<>();
    Map<String, long[]> s = new LinkedHashMap<>();
    for (String name : outputs.names()) {
      TensorInfo info = context.model().output(name).orElseThrow();
      if (info.type() == ElementType.FLOAT32) {
        v.put(name, outputs.floats(name));
      } else {
        long[] l = outputs.longs(name);
        float[] f = new float[l.length];
        for (int i = 0; i < l.length; i++) {
          f[i] = l[i];
        }
        v.put(name, f);
      }
      s.put(name, outputs.shape(name));
    }
    return new RawOutputs(v, s);
  }

  /**
   * @return the values of output {@code name} (the array itself: do not modify)
   */
  public float[] get(String name) {
    return Objects.requireNonNull(
        values.get(name), () -> "no output '" + name + "', have " + List.copyOf(values.keySet()));
  }

  /**
   * Value equality: same output names with equal values and shapes (arrays compared by content).
   */
  @Override
  public boolean equals(Object o) {
    if (!(o instanceof RawOutputs r)
        || !values.keySet().equals(r.values.keySet())
        || !shapes.keySet().equals(r.shapes.keySet())) {
      return false;
    }
    for (Map.Entry<String, float[]> e : values.entrySet()) {
      if (!java.util.Arrays.equals(e.getValue(), r.values.get(e.getKey()))) {
        return false;
      }
    }
    for (Map.Entry<String, long[]> e : shapes.entrySet()) {
      if (!java.util.Arrays.equals(e.getValue(), r.shapes.get(e.getKey()))) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    int h = 0;
    for (Map.Entry<String, float[]> e : values.entrySet()) {
      h += e.getKey().hashCode() ^ java.util.Arrays.hashCode(e.getValue());
    }
    for (Map.Entry<String, long[]> e : shapes.entrySet()) {
      h += 31 * (e.getKey().hashCode() ^ java.util.Arrays.hashCode(e.getValue()));
    }
    return h;
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder("RawOutputs[");
    for (Map.Entry<String, long[]> e : shapes.entrySet()) {
      b.append(e.getKey()).append(java.util.Arrays.toString(e.getValue())).append(' ');
    }
    return b.toString().strip() + "]";
  }
}
