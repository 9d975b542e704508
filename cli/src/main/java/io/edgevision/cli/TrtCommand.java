package io.edgevision.cli;

import io.edgevision.core.InferenceSession;
import io.edgevision.core.spi.BackendModel;
import io.edgevision.jni.TensorRtBackend;
import io.edgevision.jni.TensorRtProbe;
import io.edgevision.jni.TrtBuildOptions;
import io.edgevision.jni.TrtPrecision;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code edgevision trt build MODEL}: builds (or finds) a TensorRT engine ahead of time. */
@Command(
    name = "trt",
    mixinStandardHelpOptions = true,
    description =
        "TensorRT engines built and run by the SDK (module edgevision-jni; needs TensorRT 11 + CUDA 13).",
    subcommands = {TrtCommand.Build.class})
final class TrtCommand {
  @Command(
      name = "build",
      mixinStandardHelpOptions = true,
      description =
          "Build a TensorRT engine for MODEL into the engine cache, so sessions start without building."
              + " Fails with one line and exit code 1 where TensorRT or CUDA is missing.")
  static final class Build implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL", description = "ONNX file")
    String model;

    @Option(
        names = "--precision",
        defaultValue = "fp32",
        description =
            "fp32, tf32, fp16 or int8 (fp16/int8 need an FP16 or Q/DQ model: TensorRT 11 is strongly"
                + " typed; default: ${DEFAULT-VALUE})")
    String precision;

    @Option(
        names = "--cache",
        description =
            "Engine cache directory (default: -Dedgevision.tensorrt.cache,"
                + " else $XDG_CACHE_HOME/edgevision/tensorrt, else ~/.cache/edgevision/tensorrt)")
    Path cache;

    @Option(
        names = "--workspace-mb",
        defaultValue = "1024",
        description = "Builder workspace limit in MiB (default: ${DEFAULT-VALUE})")
    long workspaceMb;

    @Option(
        names = "--opt-level",
        defaultValue = "3",
        description = "Builder optimisation level 0-5 (default: ${DEFAULT-VALUE})")
    int optLevel;

    @Option(
        names = "--batch",
        split = ",",
        description = "OPT,MAX batch for a dynamic batch dimension (default: 1,1)")
    List<Integer> batch;

    @Option(
        names = "--size",
        split = ",",
        description =
            "MINW,MINH,OPTW,OPTH,MAXW,MAXH for an image input with dynamic height and width")
    List<Integer> size;

    @Option(
        names = "--dla-core",
        defaultValue = "-1",
        description = "Jetson DLA core (fp16/int8 only; default: none)")
    int dlaCore;

    @Option(
        names = "--device",
        defaultValue = "0",
        description = "CUDA device index (default: ${DEFAULT-VALUE})")
    int device;

    @Option(names = "--force", description = "Rebuild even when a valid engine is cached")
    boolean force;

    @Option(names = "--json", description = "One JSON object on stdout")
    boolean json;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      TrtBuildOptions.Builder b =
          TrtBuildOptions.builder()
              .precision(TrtPrecision.parse(precision))
              .workspaceBytes(workspaceMb << 20)
              .optimizationLevel(optLevel)
              .dlaCore(dlaCore, true)
              .listener(e -> err.println("trt: " + e));
      if (cache != null) {
        b.cacheDirectory(cache);
      }
      if (batch != null) {
        if (batch.size() != 2) {
          throw new IllegalArgumentException("--batch expects OPT,MAX, got " + batch);
        }
        b.batch(batch.get(0), batch.get(1));
      }
      if (size != null) {
        if (size.size() != 6) {
          throw new IllegalArgumentException(
              "--size expects MINW,MINH,OPTW,OPTH,MAXW,MAXH, got " + size);
        }
        b.dynamicSize(size.get(0), size.get(1), size.get(2), size.get(3), size.get(4), size.get(5));
      }
      TrtBuildOptions options = b.build();
      TensorRtProbe.Availability a = TensorRtProbe.probe();
      if (!a.available()) {
        throw a.toException(); // Main prints "error: [PROVIDER_UNAVAILABLE] ..." and exits 1
      }
      byte[] bytes = CliSupport.source(model).read();
      try (InferenceSession cpu = InferenceSession.builder(CliSupport.source(model)).build()) {
        TensorRtBackend.BuildReport r =
            TensorRtBackend.create(options)
                .build(new BackendModel(bytes, cpu.model(), device), force);
        if (json) {
          Map<String, Object> o = new LinkedHashMap<>();
          o.put("engine", r.file().toString());
          o.put("built", r.built());
          o.put("engine_bytes", r.engineBytes());
          o.put("seconds", r.elapsed().toMillis() / 1000.0);
          o.put("tensorrt", r.device().tensorRtVersion());
          o.put("gpu", r.device().name());
          o.put("compute_capability", r.device().computeCapability());
          o.put("flags", r.key().builderFlags());
          o.put("profile", r.key().profile());
          out.println(CliSupport.JSON.writeValueAsString(o));
        } else {
          out.printf(
              Locale.ROOT,
              "%s %s (%d bytes, %.1f s) for TensorRT %s on %s sm%s%n",
              r.built() ? "built" : "cached",
              r.file(),
              r.engineBytes(),
              r.elapsed().toMillis() / 1000.0,
              r.device().tensorRtVersion(),
              r.device().name(),
              r.device().computeCapability());
        }
        return 0;
      }
    }
  }
}
