package io.edgevision.core.fuzz;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Seeded byte-level mutations of a valid file: the damage kinds of the issue-16 probe. Case {@code
 * i} of seed {@code s} is always the same bytes, so a failure names a case that reproduces.
 */
public final class Mutants {
  /** The kinds of damage, applied round-robin by case number. */
  public enum Kind {
    /** 1 to 8 random bits flipped anywhere. */
    BIT_FLIP,
    /** The file cut at a random length (possibly 0). */
    TRUNCATE,
    /** A random range of up to 1/8 of the file set to zero. */
    ZERO_RANGE,
    /**
     * Bits flipped or bytes replaced in the first 64 bytes (format header, protobuf tags,
     * dimensions).
     */
    HEADER,
    /** A random range overwritten with random bytes. */
    RANDOM_RANGE,
    /**
     * A 16- or 32-bit field somewhere set to an extreme value (0, 0xFFFF, 0x7FFFFFFF, 0xFFFFFFFF).
     */
    EXTREME_FIELD
  }

  private Mutants() {}

  /**
   * @param index case number
   * @return the kind of case {@code index}
   */
  public static Kind kind(int index) {
    return Kind.values()[index % Kind.values().length];
  }

  /**
   * @param original the valid file
   * @param seed the suite seed
   * @param index case number
   * @return the mutant (never the same array as {@code original})
   */
  public static byte[] mutate(byte[] original, long seed, int index) {
    SplittableRandom r = new SplittableRandom(seed * 1_000_003L + index);
    byte[] b = original.clone();
    int n = b.length;
    switch (kind(index)) {
      case BIT_FLIP -> {
        int flips = 1 + r.nextInt(8);
        for (int i = 0; i < flips; i++) {
          int p = r.nextInt(n);
          b[p] ^= (byte) (1 << r.nextInt(8));
        }
      }
      case TRUNCATE -> {
        return Arrays.copyOf(b, r.nextInt(n));
      }
      case ZERO_RANGE -> {
        int len = 1 + r.nextInt(Math.max(1, n / 8));
        int p = r.nextInt(n);
        Arrays.fill(b, p, Math.min(n, p + len), (byte) 0);
      }
      case HEADER -> {
        int h = Math.min(64, n);
        int edits = 1 + r.nextInt(4);
        for (int i = 0; i < edits; i++) {
          int p = r.nextInt(h);
          b[p] = r.nextBoolean() ? (byte) (b[p] ^ (1 << r.nextInt(8))) : (byte) r.nextInt(256);
        }
      }
      case RANDOM_RANGE -> {
        int len = 1 + r.nextInt(Math.max(1, Math.min(256, n / 4)));
        int p = r.nextInt(n);
        for (int i = p; i < Math.min(n, p + len); i++) {
          b[i] = (byte) r.nextInt(256);
        }
      }
      case EXTREME_FIELD -> {
        int[] values = {0, 0xFFFF, 0x7FFFFFFF, 0xFFFFFFFF, 0x80000000};
        int v = values[r.nextInt(values.length)];
        int width = r.nextBoolean() ? 2 : 4;
        int p = r.nextInt(Math.max(1, n - width));
        boolean big = r.nextBoolean();
        for (int i = 0; i < width && p + i < n; i++) {
          int shift = 8 * (big ? width - 1 - i : i);
          b[p + i] = (byte) (v >>> shift);
        }
      }
    }
    return b;
  }
}
