package dev.trainlog.cli;

import dev.trainlog.cli.common.StopSignal;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Runs the command line in this JVM with captured output, a given clock and a stop signal. */
final class Cli {

  private final Clock clock;
  private final List<String> storeArgs;
  final StopSignal stop = new StopSignal();
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  Cli(Clock clock, List<String> storeArgs) {
    this.clock = clock;
    this.storeArgs = storeArgs;
  }

  /** Runs {@code args} followed by the store options. */
  Result run(String... args) {
    List<String> all = new ArrayList<>(Arrays.asList(args));
    all.addAll(storeArgs);
    return runExactly(all.toArray(String[]::new));
  }

  /** Runs {@code args} as given. */
  Result runExactly(String... args) {
    int code = TrainlogCli.execute(new PrintWriter(out, true), new PrintWriter(err, true), clock, stop, args);
    return new Result(code, out.toString(), err.toString());
  }

  /** What was printed so far (for a command still running on another thread). */
  String outSoFar() {
    return out.toString();
  }

  record Result(int code, String out, String err) {}
}
