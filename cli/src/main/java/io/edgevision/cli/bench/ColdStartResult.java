package io.edgevision.cli.bench;

import java.util.List;

/**
 * Cold start: wall time of launching a JVM that runs {@code edgevision detect} once, against a bare
 * JVM that loads the same model into ONNX Runtime and runs one inference, timed in interleaved
 * pairs.
 *
 * @param pairs measured pairs
 * @param detectMedianMs median wall time of the {@code detect} launches
 * @param bareMedianMs median wall time of the bare ONNX Runtime launches
 * @param ratio median of the per-pair ratios detect ÷ bare
 * @param ratioCi bootstrap 95 % interval of {@code ratio}
 * @param detectCpuMedianMs median CPU time (user + system) of the {@code detect} launches, -1 when
 *     unknown
 * @param bareCpuMedianMs median CPU time of the bare launches, -1 when unknown
 * @param cpuRatio median of the per-pair CPU-time ratios (robust on a contended machine, where wall
 *     time is mostly waiting for a core), -1 when unknown
 * @param cpuRatioCi bootstrap 95 % interval of {@code cpuRatio}
 * @param detectCommand the measured command line
 * @param bareCommand the baseline command line
 */
public record ColdStartResult(
    int pairs,
    double detectMedianMs,
    double bareMedianMs,
    double ratio,
    double[] ratioCi,
    double detectCpuMedianMs,
    double bareCpuMedianMs,
    double cpuRatio,
    double[] cpuRatioCi,
    List<String> detectCommand,
    List<String> bareCommand) {
  /** Copies the command lines. */
  public ColdStartResult {
    detectCommand = List.copyOf(detectCommand);
    bareCommand = List.copyOf(bareCommand);
  }
}
