package io.edgevision.postprocess.internal;

/**
 * Allocation-free ordering of detections by score.
 *
 * <p>A (score, index) pair is packed into one {@code long} whose natural order is "score
 * descending, then index ascending", and the keys are heap-sorted in place: {@code O(n log n)}, no
 * allocation, deterministic ties. Threading: stateless.
 */
public final class PrimitiveSort {
  private PrimitiveSort() {}

  /**
   * Packs a finite score and an index into a key that sorts ascending as score descending, index
   * ascending.
   *
   * @param score a finite score ({@code -0.0} is treated as {@code 0.0})
   * @param index a non-negative index
   * @return the packed key
   */
  public static long descendingKey(float score, int index) {
    int bits = Float.floatToRawIntBits(score + 0.0f);
    int sortable = bits ^ ((bits >> 31) & 0x7fffffff);
    return ((long) ~sortable << 32) | (index & 0xffffffffL);
  }

  /**
   * The index packed by {@link #descendingKey(float, int)}.
   *
   * @param key a packed key
   * @return the index
   */
  public static int indexOf(long key) {
    return (int) key;
  }

  /**
   * Sorts {@code a[0..n)} ascending in place (heap sort; no allocation).
   *
   * @param a the keys
   * @param n how many leading keys to sort
   */
  public static void sort(long[] a, int n) {
    for (int i = n / 2 - 1; i >= 0; i--) {
      siftDown(a, i, n);
    }
    for (int end = n - 1; end > 0; end--) {
      long t = a[0];
      a[0] = a[end];
      a[end] = t;
      siftDown(a, 0, end);
    }
  }

  private static void siftDown(long[] a, int i, int n) {
    long v = a[i];
    while (true) {
      int child = 2 * i + 1;
      if (child >= n) {
        break;
      }
      if (child + 1 < n && a[child + 1] > a[child]) {
        child++;
      }
      if (a[child] <= v) {
        break;
      }
      a[i] = a[child];
      i = child;
    }
    a[i] = v;
  }
}
