// Runs an ONNX model with ONNX Runtime Java on a raw float32 input and writes its outputs as raw float32.
// Used by training/check_onnx.py to compare the export with PyTorch (onnxruntime is not installed for Python).
// Usage: java -cp onnxruntime-1.29.0.jar OrtParity.java MODEL INPUT.bin N C H W OUT_PREFIX
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

public class OrtParity {
  public static void main(String[] a) throws Exception {
    long[] shape = {Long.parseLong(a[2]), Long.parseLong(a[3]), Long.parseLong(a[4]), Long.parseLong(a[5])};
    FloatBuffer in = ByteBuffer.wrap(Files.readAllBytes(Path.of(a[1]))).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession s = env.createSession(a[0], new OrtSession.SessionOptions());
        OnnxTensor t = OnnxTensor.createTensor(env, in, shape);
        OrtSession.Result r = s.run(Map.of("images", t))) {
      long t0 = System.nanoTime();
      int reps = 10;
      for (int i = 0; i < reps; i++) {
        try (OrtSession.Result r2 = s.run(Map.of("images", t))) { }
      }
      System.out.printf("ort mean latency %.2f ms (batch %d)%n", (System.nanoTime() - t0) / 1e6 / reps, shape[0]);
      for (String name : new String[] {"pred_logits", "pred_boxes"}) {
        OnnxTensor o = (OnnxTensor) r.get(name).get();
        FloatBuffer fb = o.getFloatBuffer();
        ByteBuffer bb = ByteBuffer.allocate(fb.remaining() * 4).order(ByteOrder.LITTLE_ENDIAN);
        bb.asFloatBuffer().put(fb);
        Files.write(Path.of(a[6] + name + ".bin"), bb.array());
        System.out.println(name + " " + java.util.Arrays.toString(o.getInfo().getShape()));
      }
    }
  }
}
