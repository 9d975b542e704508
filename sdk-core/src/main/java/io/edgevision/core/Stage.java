package io.edgevision.core;

/** Stages of one inference call, timed separately (DJL/jetson naming). */
public enum Stage {
  /** Queued in an async executor or a latest-frame-wins runner before starting. */
  WAITING,
  /** Colour conversion, resize, normalisation into the input tensor. */
  PREPROCESS,
  /** The ONNX Runtime run. */
  INFERENCE,
  /** Decoding outputs into results (the caller's {@link OutputDecoder}). */
  POSTPROCESS
}
