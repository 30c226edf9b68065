package dev.trainlog.cli.importing;

import dev.trainlog.cli.common.Durations;
import java.time.Duration;
import picocli.CommandLine.Option;

/** {@code --system DURATION}: a follower beside the trainer also samples this machine's system metrics. */
final class SystemOption {

  @Option(names = "--system", paramLabel = "DURATION",
      description = "Also sample this machine's system metrics (CPU, memory, disk, network, NVIDIA GPUs) every"
          + " DURATION into each followed run, under system/, as a trainer's own dispatcher would (e.g. 10s).")
  String system;

  /** The interval asked for, or null. */
  Duration interval() {
    return system == null ? null : Durations.parse(system, "--system");
  }
}
