package io.edgevision.cli;

import io.edgevision.core.AdmissionPolicy;
import io.edgevision.core.Budget;
import io.edgevision.core.ImageFrame;
import io.edgevision.core.ImageFrames;
import io.edgevision.core.InferenceResult;
import io.edgevision.core.InferenceSession;
import io.edgevision.core.Outcome;
import io.edgevision.core.OutputDecoder;
import io.edgevision.core.internal.DeadlineTrace;
import io.edgevision.core.internal.Watchdog;
import io.edgevision.detectors.traffic.ModelCatalog;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code edgevision load [MODEL] --budget MS --contend N}: how far past its latency budget a call
 * returns, with and without CPU contention. Measures the wall time of every {@code session.run}
 * under a budget with {@link AdmissionPolicy#RUN_ANYWAY} (so late calls are cancelled in flight,
 * not rejected) and reports p50/p99/max of COMPLETED+CANCELLED calls against the budget, per
 * session configuration ({@code --configs}) and contention state. Blocks of calls are interleaved
 * (contention off/on alternating, configurations rotated) so that the compared figures come from
 * the same minutes of the same machine.
 *
 * <p>Every call that returns after its deadline is split, from the session's {@link DeadlineTrace},
 * into: deadline → terminate flag set (the watchdog's lateness), terminate → ONNX Runtime's run
 * returns (the rest of the node in flight: the flag is checked between nodes), and run returns →
 * result in the caller's hands (the SDK's return path). Unbudgeted calls interleaved with the
 * budgeted ones ({@code --full-calls}) give each configuration's full-run latency and throughput,
 * the cost side of a configuration. {@code --nodes N} profiles N runs per configuration with ONNX
 * Runtime's profiler and prints the longest nodes. It also measures the deadline watchdog's wake-up
 * lateness on its own (a task scheduled for the budget, how late it ran).
 *
 * <p>Configurations: {@code default} (the SDK defaults), {@code spin} (ONNX Runtime's intra-op
 * threads spin-wait for work, ONNX Runtime's own default and the SDK's before it turned spinning
 * off), {@code nospin} (spinning explicitly off, the same as {@code default} today), {@code t1}
 * (one intra-op thread).
 */
@Command(
    name = "load",
    mixinStandardHelpOptions = true,
    description =
        "Latency past the budget under CPU contention: p50/p99/max of COMPLETED+CANCELLED calls.")
final class LoadCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "MODEL",
      defaultValue = ModelCatalog.BUILTIN,
      description = "builtin (the traffic-light model, default), builtin:bench, or an ONNX file")
  String model;

  @Option(names = "--image", description = "Image to run on (default: the sample scene)")
  Path image;

  @Option(
      names = "--budget",
      defaultValue = "40",
      description = "Budget per call, ms (default: ${DEFAULT-VALUE})")
  long budgetMs;

  @Option(
      names = "--calls",
      defaultValue = "400",
      description =
          "Measured calls per configuration and contention state (default: ${DEFAULT-VALUE})")
  int calls;

  @Option(
      names = "--blocks",
      defaultValue = "10",
      description = "Interleaved blocks (default: ${DEFAULT-VALUE})")
  int blocks;

  @Option(
      names = "--contend",
      defaultValue = "2",
      description =
          "Busy-looping threads while contended (default: ${DEFAULT-VALUE}; 0 = no contended runs)")
  int contend;

  @Option(
      names = "--configs",
      split = ",",
      defaultValue = "default,spin",
      description = "Session configurations: default, spin, nospin, t1 (default: ${DEFAULT-VALUE})")
  List<String> configs;

  @Option(
      names = "--full-calls",
      defaultValue = "100",
      description =
          "Unbudgeted calls per configuration and contention state, interleaved with the budgeted"
              + " ones: full-run p50 and throughput, the cost side of a configuration (default:"
              + " ${DEFAULT-VALUE})")
  int fullCalls;

  @Option(
      names = "--nodes",
      defaultValue = "0",
      description =
          "After the measurement, profile N unbudgeted runs per configuration with ONNX Runtime's"
              + " profiler and print the longest nodes (default: ${DEFAULT-VALUE} = off)")
  int nodes;

  @picocli.CommandLine.Mixin ModelPin pin = new ModelPin();

  private volatile boolean contending;
  private volatile boolean stop;

  @Override
  public Integer call() throws Exception {
    if (calls < blocks || blocks < 1 || budgetMs < 1 || contend < 0 || fullCalls < 0 || nodes < 0) {
      throw new IllegalArgumentException(
          "expected --calls >= --blocks >= 1, --budget >= 1, --contend >= 0, --full-calls >= 0,"
              + " --nodes >= 0; got --calls "
              + calls
              + ", --blocks "
              + blocks
              + ", --budget "
              + budgetMs
              + ", --contend "
              + contend
              + ", --full-calls "
              + fullCalls
              + ", --nodes "
              + nodes);
    }
    for (String c : configs) {
      builder(c); // fail fast on a bad --configs before loading or measuring anything
    }
    PrintWriter out = spec.commandLine().getOut();
    ImageFrame frame = image == null ? ModelCatalog.sampleScene() : ImageFrames.read(image);
    List<Thread> burners = new ArrayList<>();
    for (int i = 0; i < contend; i++) {
      Thread t = new Thread(this::burn, "contend-" + i);
      t.setDaemon(true);
      t.start();
      burners.add(t);
    }
    Map<String, InferenceSession> sessions = new LinkedHashMap<>();
    Map<String, Cell> cells = new LinkedHashMap<>();
    Map<String, Histogram> watchdog = new LinkedHashMap<>();
    List<Boolean> states = contend > 0 ? List.of(false, true) : List.of(false);
    boolean traced = DeadlineTrace.enabled();
    DeadlineTrace.enable(true);
    try {
      for (String c : configs) {
        InferenceSession s = session(c);
        sessions.put(c, s);
        for (int i = 0; i < 5; i++) {
          s.run(frame, Budget.unlimited(), OutputDecoder.raw());
        }
        for (boolean on : states) {
          cells.put(key(c, on), new Cell());
        }
      }
      for (boolean on : states) {
        watchdog.put(on ? "contended" : "idle", histogram());
      }
      int perBlock = calls / blocks;
      for (int b = 0; b < blocks; b++) {
        int fullThisBlock = fullCalls / blocks + (b < fullCalls % blocks ? 1 : 0);
        for (int si = 0; si < states.size(); si++) {
          boolean on = states.get((si + b) % states.size());
          contending = on;
          Thread.sleep(50);
          for (int ci = 0; ci < configs.size(); ci++) {
            String c = configs.get((ci + b) % configs.size());
            InferenceSession s = sessions.get(c);
            Cell cell = cells.get(key(c, on));
            for (int i = 0; i < perBlock; i++) {
              DeadlineTrace.take();
              long t0 = System.nanoTime();
              InferenceResult<?> r = s.run(frame, Budget.ofMillis(budgetMs), OutputDecoder.raw());
              long t1 = System.nanoTime();
              cell.record(r.outcome(), t1 - t0, t1, DeadlineTrace.take());
            }
            for (int i = 0; i < fullThisBlock; i++) {
              long t0 = System.nanoTime();
              s.run(frame, Budget.unlimited(), OutputDecoder.raw());
              long t1 = System.nanoTime();
              cell.full.recordValue(t1 - t0);
              cell.fullNanos += t1 - t0;
            }
          }
          measureWatchdog(watchdog.get(on ? "contended" : "idle"), 20);
        }
      }
    } finally {
      DeadlineTrace.enable(traced);
      stop = true;
      contending = false;
      for (InferenceSession s : sessions.values()) {
        s.close();
      }
    }
    out.printf(
        Locale.ROOT,
        "model %s, budget %d ms, RUN_ANYWAY, %d contending thread(s), %d blocks, %d cores%n",
        model,
        budgetMs,
        contend,
        blocks,
        Runtime.getRuntime().availableProcessors());
    out.printf(
        Locale.ROOT,
        "%-8s %-10s %6s %9s %9s %8s %8s %8s %10s %9s %7s%n",
        "config",
        "contention",
        "calls",
        "completed",
        "cancelled",
        "p50 ms",
        "p99 ms",
        "max ms",
        "p99/budget",
        "full p50",
        "full/s");
    for (String c : configs) {
      for (boolean on : states) {
        Cell cell = cells.get(key(c, on));
        Histogram h = cell.wall;
        out.printf(
            Locale.ROOT,
            "%-8s %-10s %6d %9d %9d %8.1f %8.1f %8.1f %10.2f %9s %7s%n",
            c,
            on ? contend + " busy" : "none",
            h.getTotalCount(),
            cell.outcomes[Outcome.COMPLETED.ordinal()],
            cell.outcomes[Outcome.CANCELLED.ordinal()],
            ms(h.getValueAtPercentile(50)),
            ms(h.getValueAtPercentile(99)),
            ms(h.getMaxValue()),
            ms(h.getValueAtPercentile(99)) / budgetMs,
            cell.full.getTotalCount() == 0
                ? "-"
                : String.format(Locale.ROOT, "%.1f", ms(cell.full.getValueAtPercentile(50))),
            cell.full.getTotalCount() == 0
                ? "-"
                : String.format(
                    Locale.ROOT, "%.1f", cell.full.getTotalCount() * 1e9 / cell.fullNanos));
      }
    }
    out.println();
    out.println(
        "after the deadline, ms p50/p99/max: watchdog = deadline -> terminate set, stop ="
            + " terminate -> ONNX Runtime returns, return = run returns -> caller (terminated"
            + " calls); over = deadline -> caller (every call that returned late)");
    out.printf(
        Locale.ROOT,
        "%-8s %-10s %10s %-20s %-20s %-20s %5s %-20s%n",
        "config",
        "contention",
        "terminated",
        "watchdog",
        "stop",
        "return",
        "late",
        "over");
    for (String c : configs) {
      for (boolean on : states) {
        Cell cell = cells.get(key(c, on));
        out.printf(
            Locale.ROOT,
            "%-8s %-10s %10d %-20s %-20s %-20s %5d %-20s%n",
            c,
            on ? contend + " busy" : "none",
            cell.watchdog.getTotalCount(),
            triple(cell.watchdog),
            triple(cell.stop),
            triple(cell.ret),
            cell.over.getTotalCount(),
            triple(cell.over));
      }
    }
    for (Map.Entry<String, Histogram> e : watchdog.entrySet()) {
      Histogram h = e.getValue();
      out.printf(
          Locale.ROOT,
          "watchdog lateness (%s): p50 %.2f ms, p99 %.2f ms, max %.2f ms over %d deadlines%n",
          e.getKey(),
          ms(h.getValueAtPercentile(50)),
          ms(h.getValueAtPercentile(99)),
          ms(h.getMaxValue()),
          h.getTotalCount());
    }
    for (Thread t : burners) {
      t.join(1000);
    }
    if (nodes > 0) {
      for (String c : configs) {
        NodeProfile.measure(builder(c), frame, nodes, c, out);
      }
    }
    return 0;
  }

  /** One configuration and contention state's figures. */
  private static final class Cell {
    final int[] outcomes = new int[Outcome.values().length];
    final Histogram wall = histogram();
    final Histogram watchdog = histogram();
    final Histogram stop = histogram();
    final Histogram ret = histogram();
    final Histogram over = histogram();
    final Histogram full = histogram();
    long fullNanos;

    void record(
        Outcome outcome,
        long wallNanos,
        long returnedToCaller,
        Optional<DeadlineTrace.Call> trace) {
      outcomes[outcome.ordinal()]++;
      if (outcome == Outcome.COMPLETED || outcome == Outcome.CANCELLED) {
        wall.recordValue(wallNanos);
      }
      if (trace.isEmpty()) {
        return;
      }
      DeadlineTrace.Call c = trace.get();
      if (c.fired()) {
        watchdog.recordValue(Math.max(0, c.firedNanos() - c.dueNanos()));
        stop.recordValue(Math.max(0, c.returnedNanos() - c.firedNanos()));
        ret.recordValue(Math.max(0, returnedToCaller - c.returnedNanos()));
      }
      if (returnedToCaller - c.dueNanos() > 0) {
        over.recordValue(returnedToCaller - c.dueNanos());
      }
    }
  }

  private static Histogram histogram() {
    return new Histogram(3_600_000_000_000L, 3);
  }

  private static String triple(Histogram h) {
    if (h.getTotalCount() == 0) {
      return "-";
    }
    return String.format(
        Locale.ROOT,
        "%.2f/%.2f/%.2f",
        ms(h.getValueAtPercentile(50)),
        ms(h.getValueAtPercentile(99)),
        ms(h.getMaxValue()));
  }

  private InferenceSession session(String config) {
    return builder(config).build();
  }

  private InferenceSession.Builder builder(String config) {
    InferenceSession.Builder b =
        model.equals("builtin:bench") || model.startsWith("classpath:")
            ? InferenceSession.builder(CliSupport.source(model, pin.value()))
            : ModelCatalog.sessionBuilder(
                model, ModelCatalog.sharedDir().resolve("models"), pin.value());
    b.admission(AdmissionPolicy.RUN_ANYWAY);
    switch (config) {
      case "default" -> {}
      case "spin" -> b.intraOpSpinning(true);
      case "nospin" -> b.intraOpSpinning(false);
      case "t1" -> b.intraOpThreads(1);
      default ->
          throw new IllegalArgumentException(
              "--configs: expected default, spin, nospin or t1, got '" + config + "'");
    }
    return b;
  }

  /** Schedules {@code n} watchdog tasks at the budget and records how late each ran. */
  private void measureWatchdog(Histogram h, int n) throws InterruptedException {
    for (int i = 0; i < n; i++) {
      long delay = TimeUnit.MILLISECONDS.toNanos(Math.min(budgetMs, 10));
      long due = System.nanoTime() + delay;
      long[] ran = new long[1];
      CountDownLatch done = new CountDownLatch(1);
      Watchdog.schedule(
          delay,
          () -> {
            ran[0] = System.nanoTime();
            done.countDown();
          });
      done.await();
      h.recordValue(Math.max(0, ran[0] - due));
    }
  }

  private void burn() {
    long x = 0;
    while (!stop) {
      if (contending) {
        for (int i = 0; i < 100_000; i++) {
          x += i * 31L ^ x;
        }
      } else {
        try {
          Thread.sleep(5);
        } catch (InterruptedException e) {
          return;
        }
      }
    }
    if (x == 42) {
      System.err.print("");
    }
  }

  private static String key(String config, boolean contended) {
    return config + (contended ? "+c" : "");
  }

  private static double ms(long nanos) {
    return nanos / 1e6;
  }
}
