package io.edgevision.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.edgevision.core.ExecutionProvider;
import io.edgevision.core.Fingerprint;
import io.edgevision.core.ModelSource;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Helpers shared by the subcommands. */
final class CliSupport {
  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  /** The model shipped in sdk-core for running `bench` on a fresh machine. */
  static final String BUILTIN_BENCH_MODEL = "io/edgevision/core/fixtures/bench_classifier.onnx";

  private CliSupport() {}

  static ModelSource source(String model) {
    if (model.equals("builtin:bench")) {
      return ModelSource.classpath(BUILTIN_BENCH_MODEL);
    }
    if (model.startsWith("classpath:")) {
      return ModelSource.classpath(model.substring("classpath:".length()));
    }
    return ModelSource.of(Path.of(model));
  }

  static List<ExecutionProvider> providers(List<String> names) {
    List<ExecutionProvider> out = new ArrayList<>();
    for (String n : names) {
      out.add(ExecutionProvider.parse(n.trim()));
    }
    return out;
  }

  static Map<String, Object> fingerprint(Fingerprint f) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("model_sha256", f.modelSha256());
    m.put("variant", f.variant());
    m.put("provider", f.provider().name());
    m.put("onnxruntime_version", f.onnxRuntimeVersion());
    m.put("sdk_version", f.sdkVersion());
    m.put("descriptor_hash", f.descriptorHash());
    if (!f.backend().isEmpty()) {
      m.put("backend", f.backend());
    }
    return m;
  }
}
