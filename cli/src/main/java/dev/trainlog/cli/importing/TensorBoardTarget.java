package dev.trainlog.cli.importing;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** What {@code import tensorboard} and {@code follow tensorboard} send runs to, and under which experiment. */
final class TensorBoardTarget {

  @Option(names = "--config", required = true, paramLabel = "FILE.yaml",
      description = "The TrainLog YAML whose backends receive the runs (its run: section is not used).")
  Path config;

  @Option(names = "--experiment", paramLabel = "NAME", description = "The experiment of every run.")
  String experiment;

  /** Names runs by this target's experiment, or by their parent directory. */
  RunNaming naming() {
    return new RunNaming(experiment);
  }
}
