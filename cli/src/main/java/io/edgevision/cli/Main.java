package io.edgevision.cli;

import io.edgevision.core.EdgeVisionException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code ./edgevision} command line. Read first: each subcommand's class.
 *
 * <p>Exit codes: 0 success, 1 an SDK error (message on stderr, e.g. a corrupt model), 2 a usage error.
 */
@Command(name = "edgevision", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
    description = "EdgeVision: vision models on the edge.",
    subcommands = {InspectCommand.class, BenchCommand.class, DetectCommand.class, EvalCommand.class,
        FacesCommand.class, TrtCommand.class,
        CommandLine.HelpCommand.class})
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /** Runs the CLI with the given streams; returns the exit code (for tests). */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine cl = new CommandLine(new Main());
    cl.setOut(out);
    cl.setErr(err);
    cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
      if (ex instanceof EdgeVisionException || ex instanceof IllegalArgumentException) {
        commandLine.getErr().println("error: " + ex.getMessage());
        return ex instanceof EdgeVisionException ? 1 : 2;
      }
      throw ex;
    });
    return cl.execute(args);
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"edgevision " + io.edgevision.core.InferenceSession.class.getPackage().getImplementationVersion()};
    }
  }
}
