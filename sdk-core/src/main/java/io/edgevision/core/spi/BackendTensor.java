package io.edgevision.core.spi;

import io.edgevision.core.ElementType;
import java.nio.Buffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * One input tensor handed to a backend: a view of the session's preprocessed buffer, valid during
 * the {@link BackendSession#run} call only.
 *
 * @param name input name
 * @param type element type of {@code data} ({@link ElementType#FLOAT32}, {@link ElementType#INT64}
 *     or {@link ElementType#INT32})
 * @param shape the actual shape of this call (no dynamic dimensions)
 * @param data the values, row-major: {@link #elementCount()} of them starting at the buffer's
 *     position (a {@code FloatBuffer}, {@code LongBuffer} or {@code IntBuffer} as {@code type}
 *     says); read through a duplicate, never modify
 *     <p>Threading: the record is immutable but the buffer is the session's: use it only during the
 *     call.
 */
public record BackendTensor(String name, ElementType type, long[] shape, Buffer data) {
  public BackendTensor {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    shape = shape.clone();
    Objects.requireNonNull(data, "data");
  }

  /**
   * @return the element count of {@link #shape()}
   */
  public long elementCount() {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    return n;
  }

  @Override
  public long[] shape() {
    return shape.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BackendTensor t
        && t.name.equals(name)
        && t.type == type
        && Arrays.equals(t.shape, shape)
        && t.data == data;
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, type, Arrays.hashCode(shape));
  }

  @Override
  public String toString() {
    return name + " " + type + " " + Arrays.toString(shape);
  }
}
