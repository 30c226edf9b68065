package dev.trainlog.cli.importing;

import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The options of following lines of JSON metrics: the YAML, the run's names, when to end. */
final class JsonLinesOptions {

  @Option(names = "--config", paramLabel = "FILE.yaml", description = "The TrainLog YAML: the backends to send to.")
  Path config;

  /** Not picocli's default value: picocli refuses one spelled like the subcommand {@code jsonl}. */
  @Option(names = "--experiment", paramLabel = "NAME", description = "The run's experiment (default: jsonl).")
  String experiment;

  @Option(names = "--name", paramLabel = "NAME",
      description = "The run's name (default: the file's name, or 'stdin').")
  String name;

  @Option(names = "--idle", paramLabel = "DURATION", defaultValue = "10m",
      description = "With FILE: end when it did not grow for this long (default: ${DEFAULT-VALUE}).")
  String idle;

  @Option(names = "--poll", paramLabel = "DURATION", defaultValue = "100ms",
      description = "With FILE: longest wait between two looks when no file-system event comes (default:"
          + " ${DEFAULT-VALUE}).")
  String poll;

  @Mixin SystemOption system;

  String experiment() {
    return experiment == null ? "jsonl" : experiment;
  }
}
