package io.edgevision.cli.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Measures cold start in interleaved pairs of fresh JVMs (ABBA order): {@code edgevision detect
 * --json} on the bundled scene against {@link BareOrtProbe}, both with this JVM's class path; the
 * extra JVM options (e.g. a CDS archive, or {@code -Dedgevision.native.cache=off} for the "before"
 * figure) go to {@code detect} only, so the baseline stays a plain JVM and before/after runs share
 * the same denominator. The ratio of each pair cancels load drift on a shared machine. Not
 * thread-safe; one measurement at a time.
 */
public final class ColdStart {
  private ColdStart() {}

  /**
   * @param pairs measured pairs (≥ 1), after one unmeasured pair that warms the page cache
   * @param jvmOptions extra JVM options for the {@code detect} launches
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
    List<String> detect = new ArrayList<>(List.of(java));
    detect.addAll(jvmOptions);
    detect.addAll(List.of("-cp", cp, "io.edgevision.cli.Main", "detect", "--json"));
    List<String> bare = new ArrayList<>(List.of(java, "-cp", cp, BareOrtProbe.class.getName()));
    long[] d = new long[pairs];
    long[] b = new long[pairs];
    long[] dc = new long[pairs];
    long[] bc = new long[pairs];
    boolean cpuKnown = true;
    for (int i = -1; i < pairs; i++) {
      boolean detectFirst = (i & 1) == 0;
      long[] first = launch(detectFirst ? detect : bare);
      long[] second = launch(detectFirst ? bare : detect);
      if (i >= 0) {
        long[] dl = detectFirst ? first : second;
        long[] bl = detectFirst ? second : first;
        d[i] = dl[0];
        b[i] = bl[0];
        dc[i] = dl[1];
        bc[i] = bl[1];
        cpuKnown &= dl[1] > 0 && bl[1] > 0;
        progress.printf(
            Locale.ROOT,
            "  cold start pair %d/%d: detect %.0f ms (cpu %.0f), bare %.0f ms (cpu %.0f)%n",
            i + 1,
            pairs,
            d[i] / 1e6,
            dc[i] / 1e6,
            b[i] / 1e6,
            bc[i] / 1e6);
        progress.flush();
      }
    }
    double[] ratio = Statistics.pairedRatio(d, b);
    double[] cpu = cpuKnown ? Statistics.pairedRatio(dc, bc) : new double[] {-1, -1, -1};
    return new ColdStartResult(
        pairs,
        Statistics.quantile(d, 0.5) / 1e6,
        Statistics.quantile(b, 0.5) / 1e6,
        ratio[0],
        new double[] {ratio[1], ratio[2]},
        cpuKnown ? Statistics.quantile(dc, 0.5) / 1e6 : -1,
        cpuKnown ? Statistics.quantile(bc, 0.5) / 1e6 : -1,
        cpu[0],
        new double[] {cpu[1], cpu[2]},
        shorten(detect, cp),
        shorten(bare, cp));
  }

  /**
   * Parses the children's line of bash's {@code times} builtin (the second line), e.g. {@code
   * 0m0.914s 0m0.120s}.
   *
   * @param line user and system time
   * @return their sum in nanoseconds
   */
  static long parseTimes(String line) {
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("(\\d+)m([\\d.]+)s\\s+(\\d+)m([\\d.]+)s")
            .matcher(line.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "expected bash 'times' output like 0m0.914s 0m0.120s, got '" + line + "'");
    }
    double s =
        Integer.parseInt(m.group(1)) * 60
            + Double.parseDouble(m.group(2))
            + Integer.parseInt(m.group(3)) * 60
            + Double.parseDouble(m.group(4));
    return Math.round(s * 1e9);
  }

  private static List<String> shorten(List<String> cmd, String cp) {
    List<String> out = new ArrayList<>();
    for (String s : cmd) {
      out.add(s.equals(cp) ? "<class path of the cli>" : s);
    }
    out.set(0, "java");
    return out;
  }

  /**
   * @return {wall nanos, child CPU nanos or -1}
   */
  private static long[] launch(List<String> command) throws IOException, InterruptedException {
    boolean bash = Files.isExecutable(BASH);
    List<String> cmd = new ArrayList<>();
    if (bash) { // bash's 'times' reports the child's CPU time after it exits; the launch itself is
      // the same
      cmd.addAll(
          List.of(BASH.toString(), "-c", "\"$@\" >/dev/null 2>&1; rc=$?; times; exit $rc", "_"));
    }
    cmd.addAll(command);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD);
    if (!bash) {
      pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
    }
    long t0 = System.nanoTime();
    Process p = pb.start();
    String out =
        bash
            ? new String(
                p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII)
            : "";
    int rc = p.waitFor();
    long t = System.nanoTime() - t0;
    if (rc != 0) {
      throw new IOException(
          "cold-start launch exited with "
              + rc
              + ": "
              + String.join(" ", command.subList(0, Math.min(3, command.size())))
              + " ... "
              + command.get(command.size() - 1));
    }
    long cpu = -1;
    String[] lines = out.strip().split("\\R");
    if (bash && lines.length >= 2) {
      cpu = parseTimes(lines[lines.length - 1]);
    }
    return new long[] {t, cpu};
  }

  private static final Path BASH = Path.of("/bin/bash");
}
