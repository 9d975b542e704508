package io.edgevision.cli;

import io.edgevision.cli.bench.BenchReport;
import io.edgevision.cli.bench.Comparison;
import io.edgevision.cli.bench.HtmlReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code edgevision bench compare OLD.json NEW.json}: compares two bench reports cell by cell and
 * exits with {@link #EXIT_REGRESSION} when any p50, p99 or budget-miss rate got worse by more than
 * the noise threshold the two runs' own spread gives ({@link Comparison}). For CI.
 */
@Command(
    name = "compare",
    mixinStandardHelpOptions = true,
    description = {
      "Compare two bench reports; exit status 3 when a cell regressed beyond the runs' own noise",
      "(p50/p99: sum of the two bootstrap-CI half-widths; miss rate: 2 standard errors)."
    })
final class BenchCompareCommand implements Callable<Integer> {
  /** Exit status when a regression was found. */
  static final int EXIT_REGRESSION = 3;

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "OLD.json", description = "The reference report")
  Path oldFile;

  @Parameters(index = "1", paramLabel = "NEW.json", description = "The candidate report")
  Path newFile;

  @Option(
      names = "--min-threshold",
      defaultValue = "0.01",
      description =
          "Floor of every noise threshold (relative for latency, absolute for the miss rate; default: ${DEFAULT-VALUE})")
  double minThreshold;

  @Option(
      names = "--html",
      paramLabel = "FILE",
      description = "Write the new report with the comparison as HTML")
  @Nullable Path htmlFile;

  @Override
  public Integer call() throws Exception {
    BenchReport old = BenchReport.read(oldFile);
    BenchReport now = BenchReport.read(newFile);
    Comparison.Result r = Comparison.compare(old, now, minThreshold);
    spec.commandLine().getOut().print(r.toTable());
    spec.commandLine().getOut().flush();
    if (htmlFile != null) {
      Files.writeString(htmlFile, HtmlReport.render(now, r));
    }
    if (r.rows().isEmpty()) {
      spec.commandLine()
          .getErr()
          .println("error: no cell of " + newFile + " matches a cell of " + oldFile);
      return 2;
    }
    return r.hasRegression() ? EXIT_REGRESSION : 0;
  }
}
