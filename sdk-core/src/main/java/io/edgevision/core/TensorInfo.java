package io.edgevision.core;

import static io.edgevision.core.internal.Checks.checkArgument;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * One input or output of a model: name, element type and shape. A dynamic dimension is {@code -1}
 * in {@link #shape()} and carries its symbolic name (or "") in {@link #dimNames()}.
 *
 * @param name tensor name in the graph
 * @param type element type
 * @param shape dimensions, {@code -1} where dynamic
 * @param dimNames symbolic names per dimension ("" when static or unnamed); same length as {@code
 *     shape}
 */
public record TensorInfo(String name, ElementType type, List<Long> shape, List<String> dimNames) {
  public TensorInfo {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    shape = List.copyOf(shape);
    dimNames = List.copyOf(dimNames);
    checkArgument(
        shape.size() == dimNames.size(),
        "expected one name per dimension (%d), got %d",
        shape.size(),
        dimNames.size());
  }

  /**
   * @return the number of dimensions
   */
  public int rank() {
    return shape.size();
  }

  /**
   * @return dimension {@code i}, {@code -1} when dynamic
   */
  public long dim(int i) {
    return shape.get(i);
  }

  /**
   * @return true when dimension {@code i} is dynamic
   */
  public boolean isDynamic(int i) {
    return shape.get(i) < 0;
  }

  /**
   * @return e.g. {@code images float32 [N, 3, 320, 320]}
   */
  @Override
  public String toString() {
    String dims =
        java.util.stream.IntStream.range(0, shape.size())
            .mapToObj(
                i ->
                    shape.get(i) >= 0
                        ? Long.toString(shape.get(i))
                        : dimNames.get(i).isEmpty() ? "?" : dimNames.get(i))
            .collect(Collectors.joining(", ", "[", "]"));
    return name + " " + type.name().toLowerCase(java.util.Locale.ROOT) + " " + dims;
  }
}
