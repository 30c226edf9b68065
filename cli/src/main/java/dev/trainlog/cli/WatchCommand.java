package dev.trainlog.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Placeholder until the command is written. */
@Command(name = "watch", mixinStandardHelpOptions = true, description = "(not yet)")
final class WatchCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    throw CliException.usage("watch is not written yet");
  }
}
