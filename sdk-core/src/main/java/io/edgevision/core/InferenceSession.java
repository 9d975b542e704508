package io.edgevision.core;

import static io.edgevision.core.internal.Checks.checkArgument;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import io.edgevision.core.internal.DeadlineTrace;
import io.edgevision.core.internal.Jfr;
import io.edgevision.core.internal.SafetyNet;
import io.edgevision.core.internal.StatsRecorder;
import io.edgevision.core.internal.UsageGuard;
import io.edgevision.core.internal.Watchdog;
import io.edgevision.core.spi.BackendSession;
import io.edgevision.core.spi.ExecutionBackend;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A loaded model ready to run on frames within a latency budget: the SDK's core entry type.
 *
 * <p>A session owns an ONNX Runtime session (plus one per registered cheaper variant), selects an
 * execution provider from an ordered preference, preprocesses frames as the model's {@link
 * ModelDescriptor} says, runs the model with a deadline watchdog, and hands the outputs to an
 * {@link OutputDecoder}. Every call returns an {@link InferenceResult} carrying its {@link
 * Outcome}, per-stage {@link Timings} and {@link Fingerprint}; a missed budget is an outcome, never
 * an exception.
 *
 * <h2>Example</h2>
 *
 * <pre>{@code
 * try (InferenceSession session = InferenceSession.builder(ModelSource.of(Path.of("model.onnx")))
 *     .providers(ExecutionProvider.CUDA, ExecutionProvider.CPU)
 *     .admission(AdmissionPolicy.DEGRADE)
 *     .variant("small", ModelSource.of(Path.of("model-small.onnx")))
 *     .build()) {
 *   InferenceResult<RawOutputs> r = session.run(frame, Budget.ofMillis(30), OutputDecoder.raw());
 *   if (r.outcome().hasValue()) { ... r.get() ... }
 * }
 * }</pre>
 *
 * <h2>Budgets</h2>
 *
 * <ul>
 *   <li><b>Admission.</b> Each model keeps a running latency estimate: the {@link
 *       Builder#latencyQuantile quantile} (default {@value #DEFAULT_LATENCY_QUANTILE}) of its last
 *       {@value #DEFAULT_LATENCY_WINDOW} calls (preprocess + inference + decode). When the
 *       remaining budget is below it, the {@link AdmissionPolicy} decides: reject, run anyway, or
 *       degrade to the first registered variant whose estimate fits. A model with no estimate yet
 *       is admitted.
 *   <li><b>Cancellation.</b> At the deadline a watchdog sets ONNX Runtime's terminate flag on the
 *       run in flight ({@code RunOptions.setTerminate}); the call returns {@link
 *       Outcome#CANCELLED}. Run options are never reused. ONNX Runtime checks the flag between
 *       graph nodes, so a single very long node delays the return: a late call returns at the
 *       deadline plus the watchdog's wake-up, the rest of the node in flight and the return path
 *       (measured figures, and {@code edgevision load} to measure them on a device, in
 *       docs/ROBUSTNESS.md).
 *   <li><b>Time</b> comes from the injectable {@link Ticker}; the watchdog waits in real time.
 * </ul>
 *
 * <h2>Lifecycle</h2>
 *
 * Building loads the model(s); {@link #close()} frees native memory. Close is idempotent; calls
 * after close throw {@link IllegalStateException}; calls in flight when close is called finish
 * normally and the memory is freed when the last one returns. A session that becomes unreachable
 * without being closed is closed by a cleaner ({@code java.lang.ref.Cleaner}; a phantom-reference
 * fallback on Android before API 33) with a warning (set {@code -Dedgevision.trackResources=true}
 * to log where it was built).
 *
 * <h2>Threading</h2>
 *
 * Thread-safe: one session is meant to be shared by many threads running concurrently. Per-call
 * buffers come from an internal pool, so concurrent calls never share memory.
 *
 * <h2>Defaults</h2>
 *
 * Providers {@code [CPU]}; ONNX Runtime's default thread counts, with its intra-op threads not
 * spin-waiting between nodes ({@link #DEFAULT_INTRA_OP_SPINNING}, unlike ONNX Runtime's own
 * default); optimisation level {@code ALL_OPT}; admission {@link AdmissionPolicy#RUN_ANYWAY};
 * cancellation at the deadline on; async calls on a session-owned pool of {@code
 * availableProcessors} daemon threads.
 */
public final class InferenceSession implements AutoCloseable {
  /** Calls kept by the latency estimate. */
  public static final int DEFAULT_LATENCY_WINDOW = 64;

  /** Quantile of the latency estimate used for admission. */
  public static final double DEFAULT_LATENCY_QUANTILE = 0.9;

  /**
   * Whether ONNX Runtime's intra-op worker threads spin-wait for work by default ({@link
   * Builder#intraOpSpinning}): false. ONNX Runtime's own default is to spin; on the project's
   * 2-core machine, in paired interleaved runs of {@code edgevision load}, not spinning gave both a
   * shorter tail past the budget and a higher throughput for every model measured, because spinning
   * workers take the CPU that the caller's thread, the other worker and the deadline watchdog need
   * (docs/ROBUSTNESS.md, "Budgets under load").
   */
  public static final boolean DEFAULT_INTRA_OP_SPINNING = false;

  /** ONNX Runtime's session configuration key behind {@link Builder#intraOpSpinning}. */
  static final String INTRA_OP_SPINNING_KEY = "session.intra_op.allow_spinning";

  /** Name of the session's own model in fingerprints and {@link #variantNames()}. */
  public static final String PRIMARY = "primary";

  private static final Logger LOG = LoggerFactory.getLogger(InferenceSession.class);
  private static final AtomicInteger POOL_IDS = new AtomicInteger();

  private final Engine primary;
  private final List<Engine> variants;
  private final Ticker ticker;
  private final AdmissionPolicy admission;
  private final boolean cancelAtDeadline;
  private final InferenceListener listener;
  private final Executor executor;
  private final StatsRecorder stats = new StatsRecorder();
  private final UsageGuard guard;
  private final SafetyNet.Registration cleanable;
  private volatile boolean listenerFailed;

  private InferenceSession(Builder b, Engine primary, List<Engine> variants) {
    this.primary = primary;
    this.variants = List.copyOf(variants);
    this.ticker = b.ticker;
    this.admission = b.admission;
    this.cancelAtDeadline = b.cancelAtDeadline;
    this.listener = b.listener;
    ExecutorService owned = null;
    if (b.executor != null) {
      this.executor = b.executor;
    } else {
      int n = Math.max(1, Runtime.getRuntime().availableProcessors());
      int id = POOL_IDS.incrementAndGet();
      AtomicInteger threadIds = new AtomicInteger();
      ThreadPoolExecutor pool =
          new ThreadPoolExecutor(
              n,
              n,
              30,
              TimeUnit.SECONDS,
              new LinkedBlockingQueue<>(),
              r -> {
                Thread t =
                    new Thread(r, "edgevision-session-" + id + "-" + threadIds.incrementAndGet());
                t.setDaemon(true);
                return t;
              });
      pool.allowCoreThreadTimeOut(true);
      owned = pool;
      this.executor = pool;
    }
    List<Engine> all = new ArrayList<>();
    all.add(primary);
    all.addAll(variants);
    Releaser releaser =
        new Releaser(
            all,
            owned,
            primary.info.name(),
            Boolean.getBoolean("edgevision.trackResources")
                ? new Throwable("InferenceSession built here")
                : null);
    this.guard = new UsageGuard("InferenceSession(" + primary.info.name() + ")", releaser);
    this.cleanable = SafetyNet.register(this, new LeakAction(guard, releaser));
  }

  /**
   * @param source the model to load
   * @return a builder with the defaults above
   */
  public static Builder builder(ModelSource source) {
    return new Builder(Objects.requireNonNull(source, "source"));
  }

  /**
   * @return the primary model: SHA-256, IO signature, metadata and effective descriptor
   */
  public ModelInfo model() {
    return primary.info;
  }

  /**
   * @return the execution provider running the primary model
   */
  public ExecutionProvider selectedProvider() {
    return primary.provider;
  }

  /**
   * @return one decision per provider of the preference list: selected, or why it was skipped
   */
  public List<ProviderDecision> providerDecisions() {
    return primary.decisions;
  }

  /**
   * @return what the primary model's results are stamped with
   */
  public Fingerprint fingerprint() {
    return primary.fingerprint;
  }

  /**
   * @return {@value #PRIMARY} followed by the registered variants in order
   */
  public List<String> variantNames() {
    List<String> names = new ArrayList<>();
    names.add(PRIMARY);
    variants.forEach(v -> names.add(v.variant));
    return Collections.unmodifiableList(names);
  }

  /**
   * @param variant a name from {@link #variantNames()}
   * @return that model's info
   */
  public ModelInfo model(String variant) {
    return engine(variant).info;
  }

  /**
   * @param variant a name from {@link #variantNames()}
   * @return the current latency estimate of that model, or empty before its first call
   */
  public java.util.Optional<Duration> latencyEstimate(String variant) {
    long e = engine(variant).estimator.estimate();
    return e < 0 ? java.util.Optional.empty() : java.util.Optional.of(Duration.ofNanos(e));
  }

  /**
   * Runs one frame.
   *
   * @param frame the frame
   * @param budget how long the call may take
   * @param decoder turns outputs into the result
   * @param <T> decoded type
   * @return the result (never null, also when the budget was missed)
   * @throws IllegalStateException after close
   * @throws EdgeVisionException for bad input, invalid outputs or native failures
   */
  public <T> InferenceResult<T> run(ImageFrame frame, Budget budget, OutputDecoder<T> decoder) {
    Objects.requireNonNull(frame, "frame");
    return runBatch(List.of(frame), budget, decoder);
  }

  /**
   * Runs several frames in one native call (the model's batch dimension must be dynamic or equal to
   * the number of frames; all frames must preprocess to the same tensor size).
   *
   * @param frames one or more frames
   * @param budget how long the call may take
   * @param decoder turns outputs into the result; {@link DecodeContext#transforms()} has one per
   *     frame
   * @param <T> decoded type
   * @return the result
   */
  public <T> InferenceResult<T> runBatch(
      List<ImageFrame> frames, Budget budget, OutputDecoder<T> decoder) {
    Objects.requireNonNull(budget, "budget");
    Objects.requireNonNull(decoder, "decoder");
    checkArgument(!frames.isEmpty(), "frames must not be empty");
    frames.forEach(f -> Objects.requireNonNull(f, "frame"));
    long start = ticker.read();
    return execute(frames, budget.deadlineFrom(start), 0, decoder);
  }

  /**
   * Runs one frame on the session's executor. The budget counts from this call; time spent queued
   * is reported as {@link Stage#WAITING}.
   *
   * @param frame the frame (must stay unchanged until the future completes)
   * @param budget how long, from now
   * @param decoder turns outputs into the result
   * @param <T> decoded type
   * @return a future completed with the result, or exceptionally with the error {@link #run} would
   *     throw
   */
  public <T> CompletableFuture<InferenceResult<T>> runAsync(
      ImageFrame frame, Budget budget, OutputDecoder<T> decoder) {
    Objects.requireNonNull(frame, "frame");
    Objects.requireNonNull(budget, "budget");
    Objects.requireNonNull(decoder, "decoder");
    guard.acquire(); // fail fast after close; released when the task ends
    long submitted = ticker.read();
    long deadline = budget.deadlineFrom(submitted);
    CompletableFuture<InferenceResult<T>> future = new CompletableFuture<>();
    try {
      executor.execute(
          () -> {
            try {
              long waited = ticker.read() - submitted;
              future.complete(execute(List.of(frame), deadline, waited, decoder));
            } catch (Throwable t) {
              future.completeExceptionally(t);
            } finally {
              guard.release();
            }
          });
    } catch (RejectedExecutionException e) {
      guard.release();
      future.completeExceptionally(
          new IllegalStateException("executor rejected the call (shut down?)", e));
    }
    return future;
  }

  /**
   * A latest-frame-wins runner for video: at most one frame runs and one waits; a waiting frame is
   * dropped ({@link Outcome#SKIPPED}) when a newer one arrives.
   *
   * @param decoder decoder for every frame
   * @param <T> decoded type
   * @return a new runner bound to this session
   */
  public <T> LatestFrameRunner<T> latestFrameRunner(OutputDecoder<T> decoder) {
    guard.acquire();
    guard.release();
    return new LatestFrameRunner<>(this, Objects.requireNonNull(decoder, "decoder"), executor);
  }

  /**
   * @return statistics since the session was built: counts, outcome counts, per-stage percentiles
   */
  public SessionStats stats() {
    return stats.snapshot();
  }

  /**
   * @return true once {@link #close()} was called
   */
  public boolean isClosed() {
    return guard.isClosed();
  }

  /** Closes the session (idempotent); memory is freed when calls in flight have returned. */
  @Override
  public void close() {
    guard.close();
    cleanable.clean();
  }

  /**
   * The clock this session measures budgets, deadlines and stage timings on (set with {@link
   * Builder#ticker(Ticker)}). Code built on a session (the detectors) reads time from it too, so
   * that one injected fake clock drives every timing in a test.
   *
   * @return the session's ticker
   */
  public Ticker ticker() {
    return ticker;
  }

  /** Runs queued work: admission, preprocess, inference with watchdog, decode. */
  <T> InferenceResult<T> execute(
      List<ImageFrame> frames, long deadline, long waitedNanos, OutputDecoder<T> decoder) {
    guard.acquire();
    try {
      Engine engine = primary;
      if (deadline != Long.MAX_VALUE) {
        long remaining = deadline - ticker.read();
        if (remaining <= 0) {
          return finish(
              primary,
              Outcome.REJECTED,
              null,
              new Timings(waitedNanos, 0, 0, 0),
              "the deadline had passed before the call started (waited " + ms(waitedNanos) + ")",
              false);
        }
        long estimate = primary.estimator.estimate();
        if (estimate > remaining && admission != AdmissionPolicy.RUN_ANYWAY) {
          Engine chosen = null;
          if (admission == AdmissionPolicy.DEGRADE) {
            for (Engine v : variants) {
              long e = v.estimator.estimate();
              if (e <= remaining) {
                chosen = v;
                break;
              }
            }
          }
          if (chosen == null) {
            return finish(
                primary,
                Outcome.REJECTED,
                null,
                new Timings(waitedNanos, 0, 0, 0),
                "predicted "
                    + ms(estimate)
                    + " (p"
                    + Math.round(100 * DEFAULT_LATENCY_QUANTILE)
                    + " of recent calls)"
                    + " exceeds the remaining budget "
                    + ms(remaining)
                    + (admission == AdmissionPolicy.DEGRADE ? " and no variant fits" : ""),
                false);
          }
          engine = chosen;
        }
      }
      return runOn(engine, frames, deadline, waitedNanos, decoder);
    } finally {
      guard.release();
    }
  }

  private <T> InferenceResult<T> runOn(
      Engine engine,
      List<ImageFrame> frames,
      long deadline,
      long waited,
      OutputDecoder<T> decoder) {
    if (engine.staticBatch > 0 && engine.staticBatch != frames.size()) {
      throw new EdgeVisionException(
          ErrorCode.BAD_INPUT,
          engine.info.name()
              + " takes batches of exactly "
              + engine.staticBatch
              + " frame(s), got "
              + frames.size());
    }
    Engine.Workspace ws = engine.acquire(frames.size());
    boolean degraded = engine != primary;
    try {
      long t0 = ticker.read();
      List<PreprocessTransform> transforms;
      try {
        transforms = ws.prepare(frames);
      } catch (OrtException e) {
        throw new EdgeVisionException(
            ErrorCode.NATIVE_FAILURE, "cannot create input tensors: " + e.getMessage(), e);
      }
      long t1 = ticker.read();
      stage(engine, Stage.PREPROCESS, t1 - t0);
      if (cancelAtDeadline && ticker.read() >= deadline) {
        engine.estimator.record(t1 - t0);
        return finish(
            engine,
            Outcome.CANCELLED,
            null,
            new Timings(waited, t1 - t0, 0, 0),
            "the deadline passed during preprocessing (" + ms(t1 - t0) + ")",
            true);
      }
      if (engine.backend != null) {
        return runBackend(
            engine, engine.backend, ws, transforms, deadline, waited, t0, t1, decoder, degraded);
      }
      RunControl control = new RunControl();
      OrtSession.Result result;
      try (OrtSession.RunOptions options = new OrtSession.RunOptions()) {
        control.options = options;
        Watchdog.Task timer =
            deadline == Long.MAX_VALUE || !cancelAtDeadline
                ? null
                : Watchdog.schedule(deadline - ticker.read(), control::fire);
        try {
          result = engine.session.run(ws.inputs, options);
        } catch (OrtException e) {
          control.finish();
          long t2 = ticker.read();
          if (control.fired()) {
            engine.estimator.record(t2 - t0);
            stage(engine, Stage.INFERENCE, t2 - t1);
            return finish(
                engine,
                Outcome.CANCELLED,
                null,
                new Timings(waited, t1 - t0, t2 - t1, 0),
                "the deadline passed during inference; the run was terminated after " + ms(t2 - t1),
                true);
          }
          throw new EdgeVisionException(
              ErrorCode.NATIVE_FAILURE,
              "ONNX Runtime failed running "
                  + engine.info.name()
                  + " on input "
                  + describeInputs(frames, transforms, engine)
                  + ": "
                  + e.getMessage(),
              e);
        } finally {
          control.finish();
          if (timer != null) {
            timer.cancel();
            if (DeadlineTrace.enabled()) {
              DeadlineTrace.record(control.trace(timer.due()));
            }
          }
        }
      } catch (OrtException e) {
        throw new EdgeVisionException(
            ErrorCode.NATIVE_FAILURE, "cannot create run options: " + e.getMessage(), e);
      }
      long t2 = ticker.read();
      stage(engine, Stage.INFERENCE, t2 - t1);
      T value;
      try (result) {
        OrtOutputs outputs = new OrtOutputs(result, engine.info.name());
        try {
          value =
              decoder.decode(outputs, new DecodeContext(transforms, engine.info, engine.variant));
        } finally {
          outputs.invalidate();
        }
      }
      Objects.requireNonNull(value, "decoder returned null");
      long t3 = ticker.read();
      stage(engine, Stage.POSTPROCESS, t3 - t2);
      engine.estimator.record(t3 - t0);
      boolean missed = t3 > deadline;
      return finish(
          engine,
          degraded ? Outcome.DEGRADED : Outcome.COMPLETED,
          value,
          new Timings(waited, t1 - t0, t2 - t1, t3 - t2),
          degraded
              ? "ran variant '"
                  + engine.variant
                  + "': the primary model's estimate "
                  + ms(primary.estimator.estimate())
                  + " did not fit the budget"
              : "",
          missed);
    } finally {
      engine.release(ws);
    }
  }

  /**
   * The inference and decode stages on an {@link ExecutionBackend} (e.g. {@link
   * ExecutionProvider#TENSORRT_NATIVE}). At the deadline the backend stops waiting and the call
   * returns {@link Outcome#CANCELLED}; work already queued on a device may still finish in the
   * background (see the backend's documentation).
   */
  private <T> InferenceResult<T> runBackend(
      Engine engine,
      BackendSession backend,
      Engine.Workspace ws,
      List<PreprocessTransform> transforms,
      long deadline,
      long waited,
      long t0,
      long t1,
      OutputDecoder<T> decoder,
      boolean degraded) {
    long timeout =
        deadline == Long.MAX_VALUE || !cancelAtDeadline
            ? Long.MAX_VALUE
            : Math.max(0, deadline - ticker.read());
    try (BackendSession.Run run = backend.run(BackendInputs.of(ws.inputs), timeout)) {
      long t2 = ticker.read();
      stage(engine, Stage.INFERENCE, t2 - t1);
      if (run.cancelled()) {
        engine.estimator.record(t2 - t0);
        return finish(
            engine,
            Outcome.CANCELLED,
            null,
            new Timings(waited, t1 - t0, t2 - t1, 0),
            "the deadline passed during inference; stopped waiting for "
                + backend.describe()
                + " after "
                + ms(t2 - t1),
            true);
      }
      T value =
          Objects.requireNonNull(
              decoder.decode(
                  run.outputs(), new DecodeContext(transforms, engine.info, engine.variant)),
              "decoder returned null");
      long t3 = ticker.read();
      stage(engine, Stage.POSTPROCESS, t3 - t2);
      engine.estimator.record(t3 - t0);
      return finish(
          engine,
          degraded ? Outcome.DEGRADED : Outcome.COMPLETED,
          value,
          new Timings(waited, t1 - t0, t2 - t1, t3 - t2),
          degraded
              ? "ran variant '"
                  + engine.variant
                  + "': the primary model's estimate "
                  + ms(primary.estimator.estimate())
                  + " did not fit the budget"
              : "",
          t3 > deadline);
    }
  }

  <T> InferenceResult<T> skipped(long waitedNanos) {
    return finish(
        primary,
        Outcome.SKIPPED,
        null,
        new Timings(waitedNanos, 0, 0, 0),
        "a newer frame arrived while this one was waiting",
        false);
  }

  private <T> InferenceResult<T> finish(
      Engine engine,
      Outcome outcome,
      @Nullable T value,
      Timings timings,
      String message,
      boolean missed) {
    InferenceResult<T> r =
        new InferenceResult<>(outcome, value, timings, engine.fingerprint, message, missed);
    stats.record(outcome, timings);
    Jfr.emit(engine.fingerprint, outcome, timings);
    try {
      listener.callCompleted(r);
    } catch (RuntimeException e) {
      listenerFailure(e);
    }
    return r;
  }

  private void stage(Engine engine, Stage stage, long nanos) {
    try {
      listener.stageCompleted(engine.variant, stage, nanos);
    } catch (RuntimeException e) {
      listenerFailure(e);
    }
  }

  private void listenerFailure(RuntimeException e) {
    if (!listenerFailed) {
      listenerFailed = true;
      LOG.warn("InferenceListener threw (ignored; logged once): {}", e.toString(), e);
    }
  }

  private Engine engine(String variant) {
    if (PRIMARY.equals(variant)) {
      return primary;
    }
    for (Engine v : variants) {
      if (v.variant.equals(variant)) {
        return v;
      }
    }
    throw new IllegalArgumentException("no variant '" + variant + "', have " + variantNames());
  }

  private static String describeInputs(
      List<ImageFrame> frames, List<PreprocessTransform> ts, Engine e) {
    PreprocessTransform t = ts.get(0);
    return frames.size()
        + " frame(s) preprocessed to "
        + t.tensorWidth()
        + "x"
        + t.tensorHeight()
        + " for inputs "
        + e.info.inputs();
  }

  /**
   * Formats a duration as milliseconds with two decimals, rounded half up ({@code "12.35 ms"}),
   * like {@code String.format("%.2f ms")} for the non-negative durations it is given, without
   * {@link java.util.Formatter}: messages are built on the return path of late calls, where a
   * formatter cost 25 µs warm and several hundred µs in a rarely taken (cold) path.
   */
  static String ms(long nanos) {
    long hundredths = (Math.abs(nanos) + 5_000) / 10_000;
    long frac = hundredths % 100;
    return (nanos < 0 ? "-" : "") + hundredths / 100 + (frac < 10 ? ".0" : ".") + frac + " ms";
  }

  /** Deadline action for one run: terminates it unless it has already finished. */
  private static final class RunControl {
    private OrtSession.@Nullable RunOptions options;
    private boolean done;
    private boolean fired;
    private long firedAt;
    private long returnedAt;

    synchronized void fire() {
      if (done || options == null) {
        return;
      }
      try {
        options.setTerminate(true);
        fired = true;
        firedAt = System.nanoTime();
      } catch (OrtException | RuntimeException e) {
        LOG.warn("could not terminate a run at its deadline: {}", e.toString());
      }
    }

    /** Marks the native run as returned; the first call records when. */
    synchronized void finish() {
      if (!done) {
        done = true;
        returnedAt = System.nanoTime();
      }
    }

    synchronized DeadlineTrace.Call trace(long due) {
      return new DeadlineTrace.Call(due, fired, firedAt, returnedAt);
    }

    synchronized boolean fired() {
      return fired;
    }
  }

  /** Frees the engines and the owned executor; runs once, from close or the Cleaner. */
  private static final class Releaser implements Runnable {
    private final List<Engine> engines;
    private final @Nullable ExecutorService ownedExecutor;
    private final String name;
    private final @Nullable Throwable origin;

    Releaser(
        List<Engine> engines,
        @Nullable ExecutorService ownedExecutor,
        String name,
        @Nullable Throwable origin) {
      this.engines = engines;
      this.ownedExecutor = ownedExecutor;
      this.name = name;
      this.origin = origin;
    }

    @Override
    public void run() {
      engines.forEach(Engine::close);
      if (ownedExecutor != null) {
        ownedExecutor.shutdown();
      }
    }
  }

  /**
   * Cleaner action: closes a session that was never closed, with a warning. Holds no session
   * reference.
   */
  private static final class LeakAction implements Runnable {
    private final UsageGuard guard;
    private final Releaser releaser;

    LeakAction(UsageGuard guard, Releaser releaser) {
      this.guard = guard;
      this.releaser = releaser;
    }

    @Override
    public void run() {
      if (!guard.isClosed()) {
        if (releaser.origin != null) {
          LOG.warn(
              "InferenceSession({}) was not closed; closing it now",
              releaser.name,
              releaser.origin);
        } else {
          LOG.warn(
              "InferenceSession({}) was not closed; closing it now (-Dedgevision.trackResources=true shows"
                  + " where it was built)",
              releaser.name);
        }
        guard.close();
      }
    }
  }

  /**
   * Builds an {@link InferenceSession}. Not thread-safe; {@link #build()} snapshots the
   * configuration, so a builder can be reused to build several sessions.
   */
  public static final class Builder {
    private final ModelSource source;
    private List<ExecutionProvider> providers = List.of(ExecutionProvider.CPU);
    private int intraOpThreads;
    private int interOpThreads;
    private boolean intraOpSpinning = DEFAULT_INTRA_OP_SPINNING;
    private OptimizationLevel optLevel = OptimizationLevel.ALL;
    private @Nullable Path optimizedModelCache;
    private int deviceId;
    private ModelDescriptor descriptor = ModelDescriptor.builder().build();
    private final Map<String, VariantSpec> variants = new LinkedHashMap<>();
    private AdmissionPolicy admission = AdmissionPolicy.RUN_ANYWAY;
    private boolean cancelAtDeadline = true;
    private int latencyWindow = DEFAULT_LATENCY_WINDOW;
    private double latencyQuantile = DEFAULT_LATENCY_QUANTILE;
    private Ticker ticker = Ticker.system();
    private InferenceListener listener = InferenceListener.NONE;
    private @Nullable Executor executor;
    private NativeLogLevel logLevel = NativeLogLevel.WARNING;
    private final Map<String, String> sessionConfig = new LinkedHashMap<>();
    private final List<ExecutionBackend> backends = new ArrayList<>();
    private @Nullable Path nativeProfile;

    private Builder(ModelSource source) {
      this.source = source;
    }

    /**
     * @param preference providers to try, in order; the first that initialises runs the model
     * @return this builder
     */
    public Builder providers(ExecutionProvider... preference) {
      return providers(List.of(preference));
    }

    /**
     * @param preference providers to try, in order (non-empty, no duplicates)
     * @return this builder
     */
    public Builder providers(List<ExecutionProvider> preference) {
      checkArgument(!preference.isEmpty(), "providers must not be empty");
      checkArgument(
          preference.stream().distinct().count() == preference.size(),
          "providers must not repeat, got %s",
          preference);
      this.providers = List.copyOf(preference);
      return this;
    }

    /**
     * @param threads ONNX Runtime intra-op threads (0 = its default) @return this builder
     */
    public Builder intraOpThreads(int threads) {
      checkArgument(threads >= 0, "intraOpThreads must be >= 0, got %s", threads);
      this.intraOpThreads = threads;
      return this;
    }

    /**
     * Whether ONNX Runtime's intra-op worker threads spin-wait for the next piece of work instead
     * of sleeping (default {@value InferenceSession#DEFAULT_INTRA_OP_SPINNING}; ONNX Runtime's own
     * default is true). Spinning can shave wake-up time off small nodes on a machine with idle
     * cores; on a device whose cores are shared it burns the CPU that the other threads of the run
     * and the deadline watchdog need. An explicit {@link #sessionConfig} entry for {@code
     * session.intra_op.allow_spinning} takes precedence.
     *
     * @param spin true to let idle intra-op threads spin
     * @return this builder
     */
    public Builder intraOpSpinning(boolean spin) {
      this.intraOpSpinning = spin;
      return this;
    }

    /**
     * @param threads ONNX Runtime inter-op threads (0 = its default) @return this builder
     */
    public Builder interOpThreads(int threads) {
      checkArgument(threads >= 0, "interOpThreads must be >= 0, got %s", threads);
      this.interOpThreads = threads;
      return this;
    }

    /**
     * @param level graph optimisation level (default {@link OptimizationLevel#ALL})
     * @return this builder
     */
    public Builder optimizationLevel(OptimizationLevel level) {
      this.optLevel = Objects.requireNonNull(level, "level");
      return this;
    }

    /**
     * Caches ONNX Runtime's optimised model in {@code directory}, keyed by model SHA-256, provider,
     * optimisation level and ONNX Runtime version, so later sessions skip graph optimisation. Used
     * for CPU, CUDA and XNNPACK (TensorRT, NNAPI and CoreML compile to formats ONNX Runtime cannot
     * save).
     *
     * @param directory cache directory (created when missing)
     * @return this builder
     */
    public Builder optimizedModelCache(Path directory) {
      this.optimizedModelCache = Objects.requireNonNull(directory, "directory");
      return this;
    }

    /**
     * @param level lowest severity of ONNX Runtime's own messages for this session (default
     *     WARNING; ERROR silences warnings such as shape-verification notices of models with
     *     fixed-size metadata)
     * @return this builder
     */
    public Builder nativeLogLevel(NativeLogLevel level) {
      this.logLevel = Objects.requireNonNull(level, "level");
      return this;
    }

    /**
     * <b>Escape hatch</b>, outside the SDK's typed configuration: passes an ONNX Runtime session
     * configuration entry through unchanged, e.g. {@code session.intra_op.dynamic_block_base = 4}.
     * An entry overrides the typed setting for the same key ({@link #intraOpSpinning}). Unknown
     * keys are rejected by ONNX Runtime when the session is built. Keys and values are ONNX
     * Runtime's, not the SDK's: they are not validated here, may change with the ONNX Runtime
     * version, and are meant for tuning that has no typed builder method yet (prefer one when it
     * exists).
     *
     * @param key an ONNX Runtime session config key
     * @param value its value
     * @return this builder
     */
    public Builder sessionConfig(String key, String value) {
      checkArgument(!key.isBlank(), "session config key must not be blank");
      sessionConfig.put(key, Objects.requireNonNull(value, "value"));
      return this;
    }

    /**
     * Turns on ONNX Runtime's own profiler, for diagnosis: every run's per-node kernel times are
     * written as Chrome trace-event JSON to {@code filePrefix + "-" + variant + "_" + timestamp +
     * ".json"} (one file per model, {@value #PRIMARY} for the session's own) when the session is
     * closed. Used to find the longest node, which bounds how long a run takes to stop after its
     * deadline (ONNX Runtime checks the terminate flag between nodes). Profiling slows every run
     * and the file grows with each; default off. CPU-provider sessions only are known to write it.
     *
     * @param filePrefix path prefix of the profile files (its directory must exist)
     * @return this builder
     */
    public Builder nativeProfiling(Path filePrefix) {
      this.nativeProfile = Objects.requireNonNull(filePrefix, "filePrefix");
      return this;
    }

    /**
     * Registers a configured backend for a non-ONNX-Runtime provider (e.g. {@code TensorRtBackend}
     * with a precision and cache directory for {@link ExecutionProvider#TENSORRT_NATIVE}). Without
     * one, a backend on the class path is found with {@link java.util.ServiceLoader} and used with
     * its defaults. The provider still has to be named in {@link #providers}.
     *
     * @param backend the backend; replaces an earlier one for the same provider
     * @return this builder
     */
    public Builder backend(ExecutionBackend backend) {
      Objects.requireNonNull(backend, "backend");
      backends.removeIf(b -> b.provider() == backend.provider());
      backends.add(backend);
      return this;
    }

    /**
     * @param id CUDA / TensorRT device id (default 0) @return this builder
     */
    public Builder deviceId(int id) {
      checkArgument(id >= 0, "deviceId must be >= 0, got %s", id);
      this.deviceId = id;
      return this;
    }

    /**
     * Lowest-priority descriptor keys: used where the model's metadata and sidecar JSON say
     * nothing.
     *
     * @param fallback descriptor keys
     * @return this builder
     */
    public Builder descriptor(ModelDescriptor fallback) {
      this.descriptor = Objects.requireNonNull(fallback, "fallback");
      return this;
    }

    /**
     * Registers a cheaper model to degrade to (smaller model or input size). Variants are tried in
     * registration order: register the best first and the cheapest last.
     *
     * @param name unique name, not {@value InferenceSession#PRIMARY}
     * @param variantSource the model
     * @return this builder
     */
    public Builder variant(String name, ModelSource variantSource) {
      return variant(name, variantSource, ModelDescriptor.builder().build());
    }

    /**
     * @param name unique name
     * @param variantSource the model
     * @param fallback its lowest-priority descriptor keys (e.g. a smaller input size)
     * @return this builder
     */
    public Builder variant(String name, ModelSource variantSource, ModelDescriptor fallback) {
      checkArgument(
          !PRIMARY.equals(name) && !variants.containsKey(name),
          "variant name must be unique and not '%s', got '%s'",
          PRIMARY,
          name);
      variants.put(
          name,
          new VariantSpec(Objects.requireNonNull(variantSource), Objects.requireNonNull(fallback)));
      return this;
    }

    /**
     * @param policy what to do when the budget cannot fit the estimate @return this builder
     */
    public Builder admission(AdmissionPolicy policy) {
      this.admission = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /**
     * @param cancel whether a call is cancelled at its deadline (default true): between stages, and
     *     in flight by the watchdog. When false, late calls complete with {@link
     *     InferenceResult#deadlineMissed()} set.
     * @return this builder
     */
    public Builder cancelAtDeadline(boolean cancel) {
      this.cancelAtDeadline = cancel;
      return this;
    }

    /**
     * @param quantile in (0, 1], default {@value InferenceSession#DEFAULT_LATENCY_QUANTILE}
     * @param window calls kept, default {@value InferenceSession#DEFAULT_LATENCY_WINDOW}
     * @return this builder
     */
    public Builder latencyQuantile(double quantile, int window) {
      checkArgument(quantile > 0 && quantile <= 1, "quantile must be in (0, 1], got %s", quantile);
      checkArgument(window >= 1, "window must be >= 1, got %s", window);
      this.latencyQuantile = quantile;
      this.latencyWindow = window;
      return this;
    }

    /**
     * @param t time source for budgets and timings @return this builder
     */
    public Builder ticker(Ticker t) {
      this.ticker = Objects.requireNonNull(t, "ticker");
      return this;
    }

    /**
     * @param l telemetry callbacks @return this builder
     */
    public Builder listener(InferenceListener l) {
      this.listener = Objects.requireNonNull(l, "listener");
      return this;
    }

    /**
     * @param e executor for {@link #runAsync} and latest-frame runners (not shut down by the
     *     session) @return this builder
     */
    public Builder executor(Executor e) {
      this.executor = Objects.requireNonNull(e, "executor");
      return this;
    }

    /**
     * Loads the model(s) and builds the session.
     *
     * @return the session (close it)
     * @throws EdgeVisionException {@link ErrorCode#MODEL_NOT_FOUND}, {@link
     *     ErrorCode#MODEL_INVALID}, {@link ErrorCode#MODEL_DESCRIPTOR_MISMATCH} or {@link
     *     ErrorCode#PROVIDER_UNAVAILABLE}
     */
    public InferenceSession build() {
      Engine.Config cfg =
          new Engine.Config(
              providers,
              intraOpThreads,
              interOpThreads,
              ortLevel(optLevel),
              optimizedModelCache,
              deviceId,
              latencyWindow,
              latencyQuantile,
              logLevel,
              effectiveSessionConfig(),
              List.copyOf(backends),
              nativeProfile);
      Engine primary = Engine.load(PRIMARY, source, descriptor, cfg);
      List<Engine> loaded = new ArrayList<>();
      try {
        for (Map.Entry<String, VariantSpec> e : variants.entrySet()) {
          loaded.add(Engine.load(e.getKey(), e.getValue().source, e.getValue().descriptor, cfg));
        }
      } catch (RuntimeException e) {
        primary.close();
        loaded.forEach(Engine::close);
        throw e;
      }
      return new InferenceSession(this, primary, loaded);
    }

    /**
     * @return the ONNX Runtime session configuration entries the session is built with: the typed
     *     settings, then the explicit {@link #sessionConfig} entries, which win
     */
    Map<String, String> effectiveSessionConfig() {
      Map<String, String> m = new LinkedHashMap<>();
      m.put(INTRA_OP_SPINNING_KEY, intraOpSpinning ? "1" : "0");
      m.putAll(sessionConfig);
      return Map.copyOf(m);
    }

    private static OptLevel ortLevel(OptimizationLevel level) {
      return switch (level) {
        case NONE -> OptLevel.NO_OPT;
        case BASIC -> OptLevel.BASIC_OPT;
        case EXTENDED -> OptLevel.EXTENDED_OPT;
        case ALL -> OptLevel.ALL_OPT;
      };
    }

    private record VariantSpec(ModelSource source, ModelDescriptor descriptor) {}
  }
}
