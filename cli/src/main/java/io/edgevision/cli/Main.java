package io.edgevision.cli;

import io.edgevision.core.EdgeVisionException;
import io.edgevision.core.ImageDecodeOptions;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The {@code ./edgevision} command line. Read first: each subcommand's class.
 *
 * <p>Errors: one line on stderr, {@code error: ...}, naming the option (where there is one), what
 * was expected and what was got; the stack trace only with {@code --verbose}. Exit codes: 0
 * success, 1 an SDK error (e.g. a corrupt model, an undecodable image), 2 a usage error (a bad
 * option value), 3 a benchmark regression ({@code bench compare}, {@code bench --baseline}), 4 an
 * unexpected internal error.
 *
 * <p>Options of every command: {@code --verbose} (stack traces), {@code --max-pixels N} (the image
 * decoder's pixel limit, default {@value ImageDecodeOptions#DEFAULT_MAX_PIXELS}).
 */
@Command(
    name = "edgevision",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "EdgeVision: vision models on the edge.",
    subcommands = {
      InspectCommand.class,
      BenchCommand.class,
      DetectCommand.class,
      EvalCommand.class,
      FacesCommand.class,
      LoadCommand.class,
      SoakCommand.class,
      TrtCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--verbose",
      scope = ScopeType.INHERIT,
      description = "Print stack traces of errors")
  boolean verbose;

  private Main() {}

  @Option(
      names = "--max-pixels",
      scope = ScopeType.INHERIT,
      paramLabel = "N",
      description =
          "Refuse images larger than N pixels, read from the file header before decoding (default: "
              + ImageDecodeOptions.DEFAULT_MAX_PIXELS
              + ")")
  void maxPixels(long n) {
    if (n <= 0) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--max-pixels: expected a positive number of pixels, got " + n);
    }
    System.setProperty(ImageDecodeOptions.MAX_PIXELS_PROPERTY, Long.toString(n));
  }

  public static void main(String[] args) {
    System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /** Runs the CLI with the given streams; returns the exit code (for tests). */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    boolean verbose = Arrays.asList(args).contains("--verbose");
    String savedMaxPixels = System.getProperty(ImageDecodeOptions.MAX_PIXELS_PROPERTY);
    CommandLine cl = new CommandLine(new Main());
    cl.setOut(out);
    cl.setErr(err);
    cl.setParameterExceptionHandler(
        (ex, a) -> {
          PrintWriter e = ex.getCommandLine().getErr();
          e.println(
              "error: "
                  + oneLine(ex.getMessage())
                  + " (see "
                  + ex.getCommandLine().getCommandSpec().qualifiedName()
                  + " --help)");
          if (verbose) {
            ex.printStackTrace(e);
          }
          return 2;
        });
    cl.setExecutionExceptionHandler(
        (ex, commandLine, parseResult) -> {
          PrintWriter e = commandLine.getErr();
          int code;
          if (ex instanceof EdgeVisionException) {
            e.println("error: " + oneLine(ex.getMessage()));
            code = 1;
          } else if (ex instanceof IllegalArgumentException) {
            e.println("error: " + oneLine(ex.getMessage()));
            code = 2;
          } else if (ex instanceof java.io.IOException) {
            e.println("error: " + oneLine(ex.getClass().getSimpleName() + ": " + ex.getMessage()));
            code = 1;
          } else {
            e.println(
                "error: internal error "
                    + ex.getClass().getName()
                    + ": "
                    + oneLine(ex.getMessage())
                    + (verbose ? "" : " (run with --verbose for the stack trace)"));
            code = 4;
          }
          if (verbose) {
            StringWriter trace = new StringWriter();
            ex.printStackTrace(new PrintWriter(trace));
            e.print(trace);
          }
          e.flush();
          return code;
        });
    try {
      return cl.execute(args);
    } finally {
      if (savedMaxPixels == null) {
        System.clearProperty(ImageDecodeOptions.MAX_PIXELS_PROPERTY);
      } else {
        System.setProperty(ImageDecodeOptions.MAX_PIXELS_PROPERTY, savedMaxPixels);
      }
    }
  }

  /** The first line of a message, trimmed: errors are one line. */
  static String oneLine(@org.jspecify.annotations.Nullable String s) {
    if (s == null || s.isBlank()) {
      return "(no message)";
    }
    String t = s.strip();
    int nl = t.indexOf('\n');
    return nl < 0 ? t : t.substring(0, nl).strip();
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {
        "edgevision "
            + io.edgevision.core.InferenceSession.class.getPackage().getImplementationVersion()
      };
    }
  }
}
