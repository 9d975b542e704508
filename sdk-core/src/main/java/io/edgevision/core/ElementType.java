package io.edgevision.core;

/** Tensor element types the SDK reports in a model's IO signature. */
public enum ElementType {
  FLOAT32,
  FLOAT16,
  FLOAT64,
  INT8,
  UINT8,
  INT16,
  INT32,
  INT64,
  BOOL,
  STRING,
  /** Anything else ONNX can declare (e.g. bfloat16, complex). */
  OTHER
}
