package io.edgevision.cli;

import io.edgevision.core.InferenceSession;
import io.edgevision.core.ModelInfo;
import io.edgevision.core.ProviderDecision;
import io.edgevision.core.TensorInfo;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code edgevision inspect MODEL}: IO signature, metadata, descriptor, provider decision. */
@Command(
    name = "inspect",
    mixinStandardHelpOptions = true,
    description =
        "Show a model's IO signature, ONNX metadata, effective descriptor and the provider chosen (and why).")
final class InspectCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "MODEL", description = "ONNX file, or builtin:bench")
  String model;

  @Option(
      names = "--providers",
      split = ",",
      defaultValue = "cpu",
      description = "Provider preference, e.g. tensorrt,cuda,cpu (default: ${DEFAULT-VALUE})")
  List<String> providers;

  @Option(names = "--json", description = "One JSON object on stdout")
  boolean json;

  @picocli.CommandLine.Mixin ModelPin pin = new ModelPin();

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    try (InferenceSession s =
        InferenceSession.builder(CliSupport.source(model, pin.value()))
            .providers(CliSupport.providers(providers))
            .build()) {
      ModelInfo m = s.model();
      if (json) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("model", m.name());
        o.put("sha256", m.sha256());
        o.put("size_bytes", m.sizeBytes());
        o.put("producer", m.producer());
        o.put("inputs", m.inputs().stream().map(InspectCommand::tensor).toList());
        o.put("outputs", m.outputs().stream().map(InspectCommand::tensor).toList());
        o.put("metadata", m.customMetadata());
        o.put("descriptor", m.descriptor().asProperties());
        o.put("provider", s.selectedProvider().name());
        o.put(
            "provider_decisions",
            s.providerDecisions().stream()
                .map(
                    d ->
                        Map.of(
                            "provider",
                            d.provider().name(),
                            "status",
                            d.status().name(),
                            "reason",
                            d.reason()))
                .toList());
        o.put("fingerprint", CliSupport.fingerprint(s.fingerprint()));
        out.println(CliSupport.JSON.writeValueAsString(o));
        return 0;
      }
      out.printf("model      %s (%d bytes)%n", m.name(), m.sizeBytes());
      out.printf("sha256     %s%n", m.sha256());
      out.printf("producer   %s, graph '%s'%n", m.producer(), m.graphName());
      out.println("inputs");
      m.inputs().forEach(t -> out.println("  " + t));
      out.println("outputs");
      m.outputs().forEach(t -> out.println("  " + t));
      out.println("metadata");
      m.customMetadata().forEach((k, v) -> out.printf("  %s = %s%n", k, abbreviate(v)));
      out.println("descriptor (effective)");
      m.descriptor().asProperties().forEach((k, v) -> out.printf("  %s = %s%n", k, abbreviate(v)));
      out.println("provider   " + s.selectedProvider());
      for (ProviderDecision d : s.providerDecisions()) {
        out.println("  " + d);
      }
      return 0;
    }
  }

  private static Map<String, Object> tensor(TensorInfo t) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("name", t.name());
    o.put("type", t.type().name().toLowerCase(java.util.Locale.ROOT));
    o.put("shape", t.shape());
    o.put("dim_names", t.dimNames());
    return o;
  }

  private static String abbreviate(String v) {
    return v.length() <= 100 ? v : v.substring(0, 97) + "...";
  }
}
