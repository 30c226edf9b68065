package dev.trainlog.cli.importing;

import dev.trainlog.api.RunInfo;
import dev.trainlog.api.RunStatus;
import dev.trainlog.cli.common.CommandEnv;
import dev.trainlog.cli.common.Durations;
import dev.trainlog.cli.common.ExitCodes;
import dev.trainlog.cli.common.StopSignal;
import dev.trainlog.core.LogDispatcher;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Follows lines of JSON metrics into one run, for {@code follow jsonl FILE|-} and the older {@code follow
 * --jsonl}. A file is followed as a TensorBoard directory is: the same loop, its offset saved beside the
 * journal, Ctrl-C or SIGTERM closing the run as killed within {@link TbFollower#STOP_TIMEOUT}; it ends
 * finished once the file did not grow for {@code --idle}. Standard input ends with its end.
 */
final class FollowJsonLines {

  private FollowJsonLines() {}

  static int run(CommandSpec spec, String source, JsonLinesOptions o) throws IOException, InterruptedException {
    if (o.config == null) {
      throw new IllegalArgumentException("following JSON lines needs --config FILE.yaml: the backends to send the"
          + " lines to");
    }
    Duration idle = Durations.parse(o.idle, "--idle");
    long pollMillis = Durations.parse(o.poll, "--poll").toMillis();
    boolean stdin = source.equals("-");
    Path file = stdin ? null : Path.of(source);
    Clock clock = CommandEnv.clock(spec);
    RunInfo run = RunInfo.builder()
        .experiment(o.experiment())
        .runName(o.name != null ? o.name : stdin ? "stdin" : file.getFileName().toString().replaceFirst("\\.jsonl?$", ""))
        .runId(stdin ? "jsonl-" + Long.toString(clock.millis(), 36) : "jsonl-" + RunNaming.runId(file).substring(3))
        .node(RunInfo.localHostName())
        .tag("source", "jsonl")
        .build();
    ReplayClock backendClock = new ReplayClock(Clock.systemUTC());
    YamlDispatchers dispatchers = new YamlDispatchers(o.config, Map.of()).systemMetrics(o.system.interval());
    // on standard input, which blocks, the dispatcher's own shutdown hook closes the run on SIGTERM
    LogDispatcher dispatcher = dispatchers.open(run, backendClock, stdin);
    JsonLinesFollower follower = new JsonLinesFollower(dispatcher);
    StopSignal stop = CommandEnv.stop(spec);
    boolean idled = false; // a follower that fails ends its run as killed: the trainer may well go on
    try {
      if (stdin) {
        readStdin(follower, clock);
        idled = true;
      } else {
        JsonLinesTail tail = new JsonLinesTail(file, follower, clock,
            FollowState.load(dispatchers.journalDir(), "jsonl", file));
        try (DirWatcher watcher = new DirWatcher(file.toAbsolutePath().getParent(), false);
            BackendHealth health = new BackendHealth(spec.commandLine().getErr(), dispatchers.backends(),
                ServerReach::problem)) {
          idled = FollowLoop.run(watcher, () -> tail.look(idle), stop::requested, pollMillis,
              () -> health.check(List.of(dispatcher.stats()), clock.millis()));
        }
      }
    } finally {
      if (follower.lastWallMillis() >= 0) {
        backendClock.endAt(follower.lastWallMillis()); // the run ends at its last line, not after --idle
      }
      if (idled) {
        dispatcher.close(RunStatus.FINISHED);
      } else {
        dispatcher.close(RunStatus.KILLED, TbFollower.STOP_TIMEOUT);
      }
    }
    PrintWriter out = spec.commandLine().getOut();
    out.println("followed " + source + ": " + follower.steps() + " steps sent"
        + (follower.badLines() > 0 ? ", " + follower.badLines() + " lines skipped" : ""));
    out.flush();
    return ExitCodes.OK;
  }

  private static void readStdin(JsonLinesFollower follower, Clock clock) throws IOException {
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    long lineNumber = 0;
    for (String line; (line = in.readLine()) != null; ) {
      follower.line(line, lineNumber++, clock::millis);
    }
  }
}
