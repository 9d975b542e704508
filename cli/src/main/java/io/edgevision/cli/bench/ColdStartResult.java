package io.edgevision.cli.bench;

import java.util.List;

/**
 * Cold start: wall time of launching a JVM that runs {@code edgevision detect} once, against a bare JVM that
 * loads the same model into ONNX Runtime and runs one inference, timed in interleaved pairs.
 *
 * @param pairs measured pairs
 * @param detectMedianMs median wall time of the {@code detect} launches
 * @param bareMedianMs median wall time of the bare ONNX Runtime launches
 * @param ratio median of the per-pair ratios detect ÷ bare
 * @param ratioCi bootstrap 95 % interval of {@code ratio}
 * @param detectCommand the measured command line
 * @param bareCommand the baseline command line
 */
public record ColdStartResult(int pairs, double detectMedianMs, double bareMedianMs, double ratio, double[] ratioCi,
    List<String> detectCommand, List<String> bareCommand) {
  /** Copies the command lines. */
  public ColdStartResult {
    detectCommand = List.copyOf(detectCommand);
    bareCommand = List.copyOf(bareCommand);
  }
}
