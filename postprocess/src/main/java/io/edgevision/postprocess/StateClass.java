package io.edgevision.postprocess;

import io.edgevision.postprocess.internal.Checks;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * One joint class of a single-head state classifier, as a {@link LabelSchema} describes it: its
 * index in the head's output, a name, and the structured attributes it stands for.
 *
 * <p>Threading: immutable (the arrow set is an unmodifiable copy).
 *
 * @param index the position in the classifier output, 0-based
 * @param name a unique, non-empty name
 * @param colour the lit colour
 * @param arrows the arrows, non-empty; {@code {NONE}} for a plain disc
 * @param flashing whether the state is flashing (false when the schema has no flashing attribute)
 */
public record StateClass(
    int index, String name, Colour colour, Set<Arrow> arrows, boolean flashing) {
  /**
   * Validates and copies.
   *
   * @param index the position in the classifier output, 0-based
   * @param name a unique, non-empty name
   * @param colour the lit colour
   * @param arrows the arrows, non-empty; {@code {NONE}} for a plain disc
   * @param flashing whether the state is flashing (false when the schema has no flashing attribute)
   * @throws IllegalArgumentException when the index is negative, the name is empty, or the arrows
   *     are empty or combine NONE with another arrow
   */
  public StateClass {
    Checks.checkArgument(index >= 0, "expected index >= 0, got %d", index);
    Objects.requireNonNull(name, "name");
    Checks.checkArgument(!name.isEmpty(), "expected a non-empty name for class %d", index);
    Objects.requireNonNull(colour, "colour");
    Checks.checkArgument(
        !arrows.isEmpty(), "expected at least one arrow (NONE for a disc) for class %d", index);
    Checks.checkArgument(
        !(arrows.contains(Arrow.NONE) && arrows.size() > 1),
        "expected NONE alone, got %s for class %s",
        arrows,
        name);
    arrows = Collections.unmodifiableSet(EnumSet.copyOf(arrows));
  }
}
