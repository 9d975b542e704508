package io.edgevision.core;

/**
 * Turns the raw outputs of one run into a plain result (DJL's translator post-processing). Decoders
 * read native outputs only through {@link Outputs} and return heap objects, so no caller ever holds
 * native memory.
 *
 * <p>Implementations used from several threads must be thread-safe (stateless or confined state).
 *
 * @param <T> the decoded type; must not be null
 */
@FunctionalInterface
public interface OutputDecoder<T> {
  /**
   * @param outputs the run's outputs, valid during this call only
   * @param context geometry and model of the run
   * @return the decoded result, never null
   */
  T decode(Outputs outputs, DecodeContext context);

  /**
   * @return a decoder that copies every float output into a {@link RawOutputs} map
   */
  static OutputDecoder<RawOutputs> raw() {
    return RawOutputs::copyOf;
  }
}
