package io.edgevision.cli.bench;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.io.IOException;
import java.io.InputStream;
import java.nio.FloatBuffer;
import java.util.Map;

/**
 * The cold-start baseline: a JVM that does only what a bare ONNX Runtime user must do to get one
 * answer — load the built-in traffic-light model, fill its input with zeros, run once — and exits.
 * No SDK, no OpenCV.
 *
 * <p>Usage: {@code java -cp <cli class path> io.edgevision.cli.bench.BareOrtProbe [classpath
 * resource]}.
 */
public final class BareOrtProbe {
  /** The built-in traffic-light model (the one {@code edgevision detect} runs by default). */
  public static final String DEFAULT_RESOURCE =
      "io/edgevision/detectors/traffic/edgevision-traffic-lights.onnx";

  private BareOrtProbe() {}

  /**
   * @param args optional classpath resource of the model
   * @throws Exception on any failure (the exit status is then non-zero)
   */
  public static void main(String[] args) throws Exception {
    String resource = args.length > 0 ? args[0] : DEFAULT_RESOURCE;
    byte[] model;
    try (InputStream in = BareOrtProbe.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IOException("classpath resource " + resource + " not found");
      }
      model = in.readAllBytes();
    }
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions();
        OrtSession session = env.createSession(model, opts)) {
      Map.Entry<String, NodeInfo> input = session.getInputInfo().entrySet().iterator().next();
      long[] shape = ((TensorInfo) input.getValue().getInfo()).getShape().clone();
      long size = 1;
      for (int i = 0; i < shape.length; i++) {
        shape[i] = shape[i] < 1 ? 1 : shape[i];
        size *= shape[i];
      }
      try (OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.allocate((int) size), shape);
          OrtSession.Result r = session.run(Map.of(input.getKey(), t))) {
        System.out.println("outputs " + r.size());
      }
    }
  }
}
