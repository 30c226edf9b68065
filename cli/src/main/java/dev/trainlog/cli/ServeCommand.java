package dev.trainlog.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Placeholder until the command is written. */
@Command(name = "serve", mixinStandardHelpOptions = true, description = "(not yet)")
final class ServeCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    throw CliException.usage("serve is not written yet");
  }
}
