package dev.trainlog.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Placeholder until the command is written. */
@Command(name = "runs", mixinStandardHelpOptions = true, description = "(not yet)")
final class RunsCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    throw CliException.usage("runs is not written yet");
  }
}
