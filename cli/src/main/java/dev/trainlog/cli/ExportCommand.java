package dev.trainlog.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Placeholder until the command is written. */
@Command(name = "export", mixinStandardHelpOptions = true, description = "(not yet)")
final class ExportCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    throw CliException.usage("export is not written yet");
  }
}
