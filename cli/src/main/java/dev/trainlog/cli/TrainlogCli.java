package dev.trainlog.cli;

import dev.trainlog.cli.common.CliException;
import dev.trainlog.cli.common.CommandEnv;
import dev.trainlog.cli.common.StopSignal;
import dev.trainlog.cli.common.ExitCodes;
import com.mongodb.MongoException;
import dev.trainlog.api.Secrets;
import dev.trainlog.spi.ConfigException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The {@code trainlog} command: reads what the MongoDB backend stored (runs, curves, live points)
 * so a person can list, compare and watch runs without writing Java. Its exit codes are {@link ExitCodes}.
 */
@Command(name = "trainlog", mixinStandardHelpOptions = true, versionProvider = TrainlogCli.Version.class,
    description = "Look at the runs TrainLog logged to MongoDB (runs, show, compare, watch, export, serve, store),"
        + " check a configuration (config check), resend what a backend refused (resend), and import or follow"
        + " TensorBoard logs (import, follow).",
    subcommands = {RunsCommand.class, ShowCommand.class, CompareCommand.class, WatchCommand.class,
        ExportCommand.class, UiCommand.class, ServeCommand.class, StoreCommand.class, ConfigCommand.class,
        ResendCommand.class,
        dev.trainlog.cli.importing.ImportCommand.class, dev.trainlog.cli.importing.FollowCommand.class,
        CommandLine.HelpCommand.class,
        AutoComplete.GenerateCompletion.class},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {ExitCodes.OK + ":ok", ExitCodes.NOTHING_MATCHED + ":nothing matched (unknown run, empty store,"
        + " no data)", ExitCodes.USAGE + ":usage or connection error", ExitCodes.ALERT + ":an alert fired (watch"
        + " --fail-on-alert)"})
public final class TrainlogCli implements CommandEnv.Root {

  @Option(names = "--debug", scope = ScopeType.INHERIT, description = "Print stack traces of errors.")
  boolean debug;

  final PrintWriter out;
  final PrintWriter err;
  final Clock clock;
  final StopSignal stop;

  @Override
  public StopSignal stop() {
    return stop;
  }

  @Override
  public Clock clock() {
    return clock;
  }

  TrainlogCli(PrintWriter out, PrintWriter err, Clock clock, StopSignal stop) {
    this.out = out;
    this.err = err;
    this.clock = clock;
    this.stop = stop;
  }

  public static void main(String[] args) {
    if (java.util.Arrays.asList(args).contains("--debug")) {
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "info");
    } else if (args.length > 0 && args[0].equals("follow")) {
      // the follower says per backend, in one line and once a minute, what these say at every attempt
      System.setProperty("org.slf4j.simpleLogger.log.dev.trainlog.mongodb.internal.MongoBackend", "error");
      System.setProperty("org.slf4j.simpleLogger.log.dev.trainlog.core.internal.pipeline.BackendChannel", "error");
    }
    PrintWriter out = new PrintWriter(new java.io.OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
    PrintWriter err = new PrintWriter(new java.io.OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
    StopSignal stop = new StopSignal();
    Runtime.getRuntime().addShutdownHook(new Thread(stop::requestAndAwait, "trainlog-stop"));
    int code = execute(out, err, Clock.systemUTC(), stop, args);
    out.flush();
    err.flush();
    stop.finished();
    System.exit(code);
  }

  /** Runs one command line with the given streams, clock and stop signal (tests inject all four); returns the exit code. */
  public static int execute(PrintWriter out, PrintWriter err, Clock clock, StopSignal stop, String... args) {
    TrainlogCli root = new TrainlogCli(out, err, clock, stop);
    CommandLine cl = new CommandLine(root);
    cl.setOut(out);
    cl.setErr(err);
    cl.setExecutionExceptionHandler((e, line, parsed) -> {
      int code = e instanceof CliException ? ((CliException) e).exitCode() : ExitCodes.USAGE;
      ConfigException problems = configProblems(e);
      if (problems != null) {
        err.println(problems.getMessage()); // every problem, exactly as `config check` prints them
        String hint = PluginHint.of(problems);
        if (hint != null) {
          err.println(hint);
        }
      } else {
        err.println("trainlog: " + (e instanceof CliException ? e.getMessage() : oneLine(e)));
      }
      if (root.debug) {
        StringWriter trace = new StringWriter();
        e.printStackTrace(new PrintWriter(trace));
        err.print(Secrets.redactText(trace.toString()));
      }
      err.flush();
      return code;
    });
    int code = cl.execute(args);
    out.flush();
    err.flush();
    return code;
  }

  /** The configuration problems behind {@code e}, if a bad configuration is what stopped the command. */
  static ConfigException configProblems(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ConfigException c) {
        return c;
      }
    }
    return null;
  }

  /** The error as one line, URI passwords hidden; driver errors get their first sentence only. */
  static String oneLine(Exception e) {
    String message = e.getMessage() == null ? e.toString() : e.getMessage();
    if (e instanceof MongoException && !(e instanceof CliException)) {
      message = "MongoDB error: " + message;
    }
    message = Secrets.redactText(message);
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }

  /** The version from the jar manifest, or "development" when run from classes. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = TrainlogCli.class.getPackage().getImplementationVersion();
      return new String[] {"trainlog " + (v == null ? "development" : v)};
    }
  }
}
