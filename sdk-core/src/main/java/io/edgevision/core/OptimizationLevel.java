package io.edgevision.core;

/**
 * How much ONNX Runtime optimises a model's graph when a session is built ({@link
 * InferenceSession.Builder#optimizationLevel(OptimizationLevel)}). The SDK's own enum, so that no
 * ONNX Runtime type appears in the public API; each constant maps to one ONNX Runtime level.
 *
 * <p>Default: {@link #ALL}. Lower levels build faster and keep the graph closer to the file (useful
 * when comparing against another runtime node by node); {@link #ALL} is what production runs.
 *
 * <p>Threading: an enum; safe everywhere.
 */
public enum OptimizationLevel {
  /** No graph optimisation (ONNX Runtime {@code ORT_DISABLE_ALL}). */
  NONE,
  /** Semantics-preserving node eliminations and constant folding ({@code ORT_ENABLE_BASIC}). */
  BASIC,
  /** Basic plus complex node fusions ({@code ORT_ENABLE_EXTENDED}). */
  EXTENDED,
  /** Every optimisation, including layout optimisations ({@code ORT_ENABLE_ALL}); the default. */
  ALL
}
