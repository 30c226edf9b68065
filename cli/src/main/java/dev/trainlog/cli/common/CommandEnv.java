package dev.trainlog.cli.common;

import java.time.Clock;
import picocli.CommandLine.Model.CommandSpec;

/**
 * What commands in sub-packages need from the root command: its clock and stop signal (tests inject
 * both). Output goes through {@code spec.commandLine().getOut()}, which the root sets for every
 * subcommand.
 */
public final class CommandEnv {

  private CommandEnv() {}

  /** The stop signal of the command line that runs {@code spec}: Ctrl-C, SIGTERM or a test. */
  public static StopSignal stop(CommandSpec spec) {
    return root(spec).stop();
  }

  /** The clock of the command line that runs {@code spec}. */
  public static Clock clock(CommandSpec spec) {
    return root(spec).clock();
  }

  private static Root root(CommandSpec spec) {
    return (Root) spec.root().userObject();
  }

  /** What the root command gives every subcommand: so that subcommands need not know the root's class. */
  public interface Root {
    /** Ctrl-C, SIGTERM or a test's stop. */
    StopSignal stop();

    /** The clock commands read. */
    Clock clock();
  }
}
