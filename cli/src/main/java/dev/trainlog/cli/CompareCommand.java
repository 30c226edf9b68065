package dev.trainlog.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Placeholder until the command is written. */
@Command(name = "compare", mixinStandardHelpOptions = true, description = "(not yet)")
final class CompareCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    throw CliException.usage("compare is not written yet");
  }
}
