package dev.trainlog.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Placeholder until the command is written. */
@Command(name = "show", mixinStandardHelpOptions = true, description = "(not yet)")
final class ShowCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    throw CliException.usage("show is not written yet");
  }
}
