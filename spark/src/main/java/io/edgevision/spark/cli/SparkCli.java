package io.edgevision.spark.cli;

import io.edgevision.core.EdgeVisionException;
import io.edgevision.spark.SparkSessions;
import java.io.PrintWriter;
import org.apache.spark.sql.SparkSession;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code ./edgevision spark} command line ({@code ./edgevision-spark}, or the main class of a
 * {@code spark-submit}): {@code detect} and {@code eval} as Spark jobs. Kept out of the core CLI so
 * that its start-up and class path never include Spark.
 *
 * <p>Master: {@code --master} when given; else the one {@code spark-submit} configured ({@code
 * spark.master}); else {@code local[2]}. A {@code local[...]} master binds the driver to 127.0.0.1
 * with the web UI off.
 *
 * <p>Exit codes: 0 success, 1 an SDK error, 2 a usage error.
 */
@Command(
    name = "edgevision spark",
    mixinStandardHelpOptions = true,
    description =
        "EdgeVision jobs on Apache Spark: detection over many frames, evaluation at scale.",
    subcommands = {
      SparkDetectCommand.class,
      SparkEvalCommand.class,
      SparkBenchCommand.class,
      CommandLine.HelpCommand.class
    })
public final class SparkCli {
  /** The master used when neither --master nor spark-submit sets one. */
  public static final String DEFAULT_MASTER = "local[2]";

  private SparkCli() {}

  /**
   * @param args the command line
   */
  public static void main(String[] args) {
    System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /**
   * Runs the command line with the given streams.
   *
   * @param args the arguments
   * @param out standard output
   * @param err standard error
   * @return the exit code
   */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine cl = new CommandLine(new SparkCli());
    cl.setOut(out);
    cl.setErr(err);
    cl.setExecutionExceptionHandler(
        (ex, commandLine, parseResult) -> {
          if (ex instanceof EdgeVisionException || ex instanceof IllegalArgumentException) {
            commandLine.getErr().println("error: " + ex.getMessage());
            return ex instanceof EdgeVisionException ? 1 : 2;
          }
          throw ex;
        });
    return cl.execute(args);
  }

  /** The session for a command: see the class Javadoc for how the master is chosen. */
  static SparkSession session(String appName, @Nullable String master) {
    String m = master != null ? master : System.getProperty("spark.master");
    if (m == null) {
      m = DEFAULT_MASTER;
    }
    if (m.startsWith("local")) {
      return SparkSessions.localBuilder(appName, m).getOrCreate();
    }
    return SparkSession.builder().appName(appName).master(m).getOrCreate();
  }
}
