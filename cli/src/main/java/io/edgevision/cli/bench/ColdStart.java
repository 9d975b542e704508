package io.edgevision.cli.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Measures cold start in interleaved pairs of fresh JVMs (ABBA order): {@code edgevision detect --json} on the
 * bundled scene against {@link BareOrtProbe}, both with this JVM's class path and the given extra JVM options.
 * The ratio of each pair cancels load drift on a shared machine. Not thread-safe; one measurement at a time.
 */
public final class ColdStart {
  private ColdStart() {}

  /**
   * @param pairs measured pairs (≥ 1), after one unmeasured pair that warms the page cache
   * @param jvmOptions extra JVM options for both launches (e.g. {@code -Xshare:off})
   * @param progress where a line per pair goes
   * @return the measurement
   * @throws IOException when a launch fails or exits non-zero
   */
  public static ColdStartResult measure(int pairs, List<String> jvmOptions, PrintWriter progress)
      throws IOException, InterruptedException {
    if (pairs < 1) {
      throw new IllegalArgumentException("cold-start pairs must be >= 1, got " + pairs);
    }
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String cp = System.getProperty("java.class.path");
    List<String> base = new ArrayList<>(List.of(java));
    base.addAll(jvmOptions);
    base.add("-cp");
    base.add(cp);
    List<String> detect = new ArrayList<>(base);
    detect.addAll(List.of("io.edgevision.cli.Main", "detect", "--json"));
    List<String> bare = new ArrayList<>(base);
    bare.add(BareOrtProbe.class.getName());
    long[] d = new long[pairs];
    long[] b = new long[pairs];
    for (int i = -1; i < pairs; i++) {
      boolean detectFirst = (i & 1) == 0;
      long first = launch(detectFirst ? detect : bare);
      long second = launch(detectFirst ? bare : detect);
      if (i >= 0) {
        d[i] = detectFirst ? first : second;
        b[i] = detectFirst ? second : first;
        progress.printf(Locale.ROOT, "  cold start pair %d/%d: detect %.0f ms, bare %.0f ms%n", i + 1, pairs, d[i] / 1e6,
            b[i] / 1e6);
        progress.flush();
      }
    }
    double[] ratio = Statistics.pairedRatio(d, b);
    return new ColdStartResult(pairs, Statistics.quantile(d, 0.5) / 1e6, Statistics.quantile(b, 0.5) / 1e6, ratio[0],
        new double[] {ratio[1], ratio[2]}, shorten(detect, cp), shorten(bare, cp));
  }

  private static List<String> shorten(List<String> cmd, String cp) {
    List<String> out = new ArrayList<>();
    for (String s : cmd) {
      out.add(s.equals(cp) ? "<class path of the cli>" : s);
    }
    out.set(0, "java");
    return out;
  }

  private static long launch(List<String> command) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(ProcessBuilder.Redirect.DISCARD);
    long t0 = System.nanoTime();
    Process p = pb.start();
    int rc = p.waitFor();
    long t = System.nanoTime() - t0;
    if (rc != 0) {
      throw new IOException("cold-start launch exited with " + rc + ": " + String.join(" ", command.subList(0,
          Math.min(3, command.size()))) + " ... " + command.get(command.size() - 1));
    }
    return t;
  }
}
