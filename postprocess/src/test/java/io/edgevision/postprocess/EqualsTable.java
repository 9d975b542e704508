package io.edgevision.postprocess;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.function.Supplier;

/**
 * Guava {@code EqualsTester} in a few lines: each group holds instances that must be equal to one
 * another (and have equal hash codes) and unequal to every instance of every other group, to null
 * and to an unrelated object. Suppliers are called twice, so every group also checks two separately
 * built instances.
 */
public final class EqualsTable {
  private EqualsTable() {}

  /**
   * @param groups each a list of suppliers of mutually equal instances
   */
  public static void check(List<List<Supplier<?>>> groups) {
    for (int g = 0; g < groups.size(); g++) {
      for (Supplier<?> a : groups.get(g)) {
        Object x = a.get();
        assertThat(x.equals(x)).as("reflexive: %s", x).isTrue();
        assertThat(x.equals(null)).as("not equal to null: %s", x).isFalse();
        assertThat(x.equals(new Object())).as("not equal to an Object: %s", x).isFalse();
        for (Supplier<?> b : groups.get(g)) {
          Object y = b.get();
          assertThat(x).as("group %d: equal", g).isEqualTo(y);
          assertThat(x.hashCode())
              .as("group %d: equal hash codes of %s and %s", g, x, y)
              .isEqualTo(y.hashCode());
        }
        for (int h = 0; h < groups.size(); h++) {
          if (h != g) {
            for (Supplier<?> b : groups.get(h)) {
              assertThat(x).as("group %d vs group %d", g, h).isNotEqualTo(b.get());
            }
          }
        }
      }
    }
  }
}
