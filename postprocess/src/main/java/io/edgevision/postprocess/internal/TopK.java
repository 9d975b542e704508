package io.edgevision.postprocess.internal;

/**
 * A bounded min-heap over parallel primitive arrays, for partial selection of the {@code k} largest
 * values of a large array without sorting it.
 *
 * <p>Order: larger value first; equal values keep the lower index first (the heap root is the
 * current worst element: smallest value, highest index among equals). Use: {@link #offer} each
 * candidate, then {@link #drain} to get the selection in descending order. Cost {@code O(n + m log
 * k)} where {@code m} is the number of candidates that beat the root, which is small for large
 * {@code n}. Threading: instances are confined to one thread; reuse one per thread to avoid
 * allocation.
 */
public final class TopK {
  private float[] values = new float[0];
  private int[] indices = new int[0];
  private int capacity;
  private int size;

  /**
   * Clears the heap and sets the number of elements to keep, growing storage when needed.
   *
   * @param k the number of elements to keep, at least 0
   */
  public void reset(int k) {
    if (values.length < k) {
      values = new float[k];
      indices = new int[k];
    }
    capacity = k;
    size = 0;
  }

  /**
   * @return the number of elements held
   */
  public int size() {
    return size;
  }

  /**
   * @return whether {@code k} elements are held
   */
  public boolean isFull() {
    return size == capacity;
  }

  /**
   * The value at the root: the smallest kept value. Only meaningful when {@link #size()} is
   * positive.
   *
   * @return the smallest kept value
   */
  public float minValue() {
    return values[0];
  }

  /**
   * Offers a candidate; it is kept when the heap is not full or when it beats the root.
   *
   * @param value the value (NaN is never kept)
   * @param index the candidate index
   */
  public void offer(float value, int index) {
    if (!(value == value)) {
      return;
    }
    if (size < capacity) {
      int i = size++;
      while (i > 0) {
        int parent = (i - 1) >>> 1;
        if (!worse(value, index, values[parent], indices[parent])) {
          break;
        }
        values[i] = values[parent];
        indices[i] = indices[parent];
        i = parent;
      }
      values[i] = value;
      indices[i] = index;
    } else if (capacity > 0 && worse(values[0], indices[0], value, index)) {
      siftDown(value, index, 0, size);
    }
  }

  /**
   * Empties the heap into the given arrays, best first.
   *
   * @param outValues receives the values, descending
   * @param outIndices receives the indices
   * @return the number of elements written
   */
  public int drain(float[] outValues, int[] outIndices) {
    int n = size;
    for (int pos = n - 1; pos >= 0; pos--) {
      outValues[pos] = values[0];
      outIndices[pos] = indices[0];
      int last = --size;
      if (last > 0) {
        siftDown(values[last], indices[last], 0, last);
      }
    }
    return n;
  }

  private void siftDown(float value, int index, int i, int n) {
    while (true) {
      int child = 2 * i + 1;
      if (child >= n) {
        break;
      }
      if (child + 1 < n
          && worse(values[child + 1], indices[child + 1], values[child], indices[child])) {
        child++;
      }
      if (!worse(values[child], indices[child], value, index)) {
        break;
      }
      values[i] = values[child];
      indices[i] = indices[child];
      i = child;
    }
    values[i] = value;
    indices[i] = index;
  }

  /** Whether (va, ia) ranks below (vb, ib): smaller value, or equal value and larger index. */
  private static boolean worse(float va, int ia, float vb, int ib) {
    return va < vb || (va == vb && ia > ib);
  }
}
