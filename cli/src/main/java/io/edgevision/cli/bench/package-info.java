/**
 * The benchmark harness behind {@code edgevision bench}: pure, tested pieces the command wires
 * together.
 *
 * <p>Read first: {@link io.edgevision.cli.bench.BenchReport} (what a run produces, schema {@code
 * edgevision.bench} v2, documented in docs/BENCHMARK_HARNESS.md). {@link
 * io.edgevision.cli.bench.BenchMatrix} expands the axes (sliced inference included) into {@link
 * io.edgevision.cli.bench.BenchCell}s; {@link io.edgevision.cli.bench.Statistics} gives
 * percentiles, bootstrap intervals and paired ratios; {@link io.edgevision.cli.bench.Comparison}
 * flags regressions beyond the runs' own noise; {@link io.edgevision.cli.bench.HtmlReport} renders
 * the self-contained page; {@link io.edgevision.cli.bench.ColdStart} times fresh JVMs against
 * {@link io.edgevision.cli.bench.BareOrtProbe}; {@link io.edgevision.cli.bench.ContendingLoad} and
 * {@link io.edgevision.cli.bench.ProcessMemory} are the measuring aids. Everything here is
 * immutable and thread-safe unless its class says otherwise.
 */
@NullMarked
package io.edgevision.cli.bench;

import org.jspecify.annotations.NullMarked;
