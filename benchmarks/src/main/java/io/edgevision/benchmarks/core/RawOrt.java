package io.edgevision.benchmarks.core;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.Map;

/**
 * The raw ONNX Runtime baseline shared by the benchmarks: what a user writes without the SDK after
 * filling the input tensor. Stateless; thread-safe as far as the session is.
 */
public final class RawOrt {
  private RawOrt() {}

  /**
   * Runs the session on one input and copies every (float) output into a new array, closing the
   * result.
   *
   * @param session the session
   * @param inputName its input name
   * @param input the filled input tensor (not closed)
   * @return one float array per output, in output order
   * @throws OrtException when the run fails
   */
  public static float[][] runAndCopy(OrtSession session, String inputName, OnnxTensor input)
      throws OrtException {
    try (OrtSession.Result r = session.run(Map.of(inputName, input))) {
      float[][] outs = new float[r.size()][];
      for (int i = 0; i < r.size(); i++) {
        FloatBuffer fb = ((OnnxTensor) r.get(i)).getFloatBuffer();
        outs[i] = new float[fb.remaining()];
        fb.get(outs[i]);
      }
      return outs;
    }
  }
}
