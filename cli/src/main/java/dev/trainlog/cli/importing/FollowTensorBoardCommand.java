package dev.trainlog.cli.importing;

import dev.trainlog.cli.common.CommandEnv;
import dev.trainlog.cli.common.Durations;
import dev.trainlog.cli.common.ExitCodes;
import dev.trainlog.cli.common.StopSignal;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code trainlog follow tensorboard DIR --config FILE}: import live, until Ctrl-C or SIGTERM. */
@Command(name = "tensorboard", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Follow a TensorBoard log directory while a trainer writes it: new runs, new event files and "
        + "new events go through the backends of the YAML as they are written. Where each file was read to is "
        + "kept beside the journal, so a restart neither skips nor repeats. Runs until Ctrl-C or SIGTERM."})
final class FollowTensorBoardCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(paramLabel = "DIR", description = "The TensorBoard log directory (it may not exist yet).")
  Path dir;

  @Mixin TensorBoardTarget target;

  @Option(names = "--idle", paramLabel = "DURATION", defaultValue = "10m",
      description = "A run with no new event for this long is closed as finished (default: ${DEFAULT-VALUE}).")
  String idle;

  @Mixin SystemOption system;

  @Option(names = "--poll", paramLabel = "DURATION", defaultValue = "500ms",
      description = "Longest wait between two looks when no file-system event comes (default: ${DEFAULT-VALUE}).")
  String poll;

  @Override
  public Integer call() throws Exception {
    Duration idleFor = Durations.parse(idle, "--idle");
    long pollMillis = Durations.parse(poll, "--poll").toMillis();
    PrintWriter out = spec.commandLine().getOut();
    StopSignal stop = CommandEnv.stop(spec);
    YamlDispatchers dispatchers = new YamlDispatchers(target.config, Map.of()).systemMetrics(system.interval());
    if (!dispatchers.deliverLeftovers(out)) {
      out.println("not all of it could be written yet: it stays in " + dispatchers.journalDir() + " for the next run"
          + " sent");
    }
    FollowState state = FollowState.load(dispatchers.journalDir(), dir);
    out.println("following " + dir + " (state in " + state.file() + "); Ctrl-C to stop");
    out.flush();
    Deliveries deliveries = new Deliveries(out, true);
    TbFollower follower = new TbFollower(dir, target.naming(), dispatchers, state, idleFor,
        CommandEnv.clock(spec), deliveries);
    Clock clock = CommandEnv.clock(spec);
    try (BackendHealth health = new BackendHealth(spec.commandLine().getErr(), dispatchers.backends(),
        ServerReach::problem)) {
      follower.run(stop::requested, pollMillis, () -> health.check(follower.openStats(), clock.millis()));
    } finally {
      follower.close();
    }
    out.println("stopped: read " + follower.totals().events() + " events, " + follower.totals().steps() + " steps, "
        + follower.totals().scalars() + " scalars; " + deliveries.describe()
        + (deliveries.waiting() > 0 ? "; the journal in " + dispatchers.journalDir() + " keeps what waits, and the"
            + " next run sent with it (any run: it adopts what others left) delivers that first" : ""));
    out.flush();
    return ExitCodes.OK;
  }
}
