package dev.trainlog.cli.importing;

import dev.trainlog.api.RunInfo;
import dev.trainlog.api.RunStatus;
import dev.trainlog.cli.CommandEnv;
import dev.trainlog.cli.Durations;
import dev.trainlog.cli.ExitCodes;
import dev.trainlog.cli.StopSignal;
import dev.trainlog.core.LogDispatcher;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code trainlog follow}: sends what another program writes through the backends of a YAML as it
 * is written: TensorBoard event files ({@code follow tensorboard DIR}) or lines of JSON metrics
 * ({@code follow --jsonl FILE|-}).
 */
@Command(name = "follow", mixinStandardHelpOptions = true, sortOptions = false,
    subcommands = FollowTensorBoardCommand.class,
    description = {"Send what a trainer writes through the backends of a TrainLog YAML while it writes it: "
        + "'follow tensorboard DIR' for TensorBoard event files, or '--jsonl FILE|-' for lines of JSON such as "
        + "{\"step\": 10, \"loss\": 0.31}."})
public final class FollowCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--jsonl", paramLabel = "FILE|-",
      description = "Follow lines of JSON metrics in FILE (as it grows), or on standard input with '-'.")
  String jsonl;

  @Option(names = "--config", paramLabel = "FILE.yaml", description = "The TrainLog YAML (with --jsonl).")
  Path config;

  @Option(names = "--experiment", paramLabel = "NAME", defaultValue = "jsonl",
      description = "The run's experiment (default: ${DEFAULT-VALUE}).")
  String experiment;

  @Option(names = "--name", paramLabel = "NAME",
      description = "The run's name (default: the file's name, or 'stdin').")
  String name;

  @Option(names = "--idle", paramLabel = "DURATION", defaultValue = "10m",
      description = "With FILE: end when it did not grow for this long (default: ${DEFAULT-VALUE}).")
  String idle;

  @Override
  public Integer call() throws Exception {
    if (jsonl == null) {
      throw new IllegalArgumentException("say what to follow: 'trainlog follow tensorboard DIR --config FILE.yaml'"
          + " or 'trainlog follow --jsonl FILE|- --config FILE.yaml'");
    }
    if (config == null) {
      throw new IllegalArgumentException("--jsonl needs --config FILE.yaml: the backends to send the lines to");
    }
    Duration idleFor = Durations.parse(idle, "--idle");
    boolean stdin = jsonl.equals("-");
    Path file = stdin ? null : Path.of(jsonl);
    Clock clock = CommandEnv.clock(spec);
    RunInfo run = RunInfo.builder()
        .experiment(experiment)
        .runName(name != null ? name : stdin ? "stdin" : file.getFileName().toString().replaceFirst("\\.jsonl?$", ""))
        .runId(stdin ? "jsonl-" + Long.toString(clock.millis(), 36) : "jsonl-" + RunNaming.runId(file).substring(3))
        .node(hostName())
        .tag("source", "jsonl")
        .build();
    ReplayClock backendClock = new ReplayClock(Clock.systemUTC());
    // its own shutdown hook closes the run on SIGTERM while standard input blocks
    LogDispatcher dispatcher = new YamlDispatchers(config, Map.of()).open(run, backendClock, true);
    JsonLinesFollower follower = new JsonLinesFollower(dispatcher);
    StopSignal stop = CommandEnv.stop(spec);
    RunStatus status = RunStatus.FINISHED;
    try {
      if (stdin) {
        readStdin(follower, clock);
      } else {
        status = new JsonLinesTail(file, follower, clock).follow(stop::requested, idleFor)
            ? RunStatus.FINISHED : RunStatus.KILLED;
      }
    } finally {
      if (follower.lastWallMillis() >= 0) {
        backendClock.endAt(follower.lastWallMillis()); // the run ends at its last line, not after --idle
      }
      dispatcher.close(status);
    }
    PrintWriter out = spec.commandLine().getOut();
    out.println("followed " + jsonl + ": " + follower.steps() + " steps sent"
        + (follower.badLines() > 0 ? ", " + follower.badLines() + " lines skipped" : ""));
    out.flush();
    return ExitCodes.OK;
  }

  private static void readStdin(JsonLinesFollower follower, Clock clock) throws IOException {
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    long lineNumber = 0;
    for (String line; (line = in.readLine()) != null; ) {
      follower.line(line, lineNumber++, clock.millis());
    }
  }

  private static String hostName() {
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return RunNaming.UNKNOWN_NODE;
    }
  }
}
