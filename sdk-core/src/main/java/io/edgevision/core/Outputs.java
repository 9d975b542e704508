package io.edgevision.core;

import java.util.List;

/**
 * Read access to the outputs of one run, valid only inside {@link OutputDecoder#decode}: the native
 * tensors are freed when the decoder returns, and any later use throws {@link
 * IllegalStateException}.
 *
 * <p>Every float accessor verifies that the values are finite and throws {@link
 * EdgeVisionException} with {@link ErrorCode#INVALID_OUTPUT} naming the output and the first bad
 * index otherwise: a NaN never reaches a decoder.
 *
 * <p>Threading: confined to the thread running the decoder.
 */
public interface Outputs {
  /**
   * @return output names in graph order
   */
  List<String> names();

  /**
   * @param name an output name
   * @return the actual shape of that output in this run
   * @throws IllegalArgumentException for an unknown name (the message lists the known ones)
   */
  long[] shape(String name);

  /**
   * @param name an output name of element type float32
   * @return a heap copy of the values, row-major
   * @throws EdgeVisionException {@link ErrorCode#INVALID_OUTPUT} on NaN/Inf or when the type is not
   *     float32
   */
  float[] floats(String name);

  /**
   * Copies float32 values into {@code dst} without allocating.
   *
   * @param name an output name of element type float32
   * @param dst destination, at least as long as the element count
   * @return the element count
   */
  int copyFloats(String name, float[] dst);

  /**
   * @param name an output name of an integer type (int64, int32 are widened)
   * @return a heap copy of the values
   */
  long[] longs(String name);
}
