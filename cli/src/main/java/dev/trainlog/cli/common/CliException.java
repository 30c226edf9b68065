package dev.trainlog.cli.common;


/** An error the command reports as one line with a given exit code; nothing went wrong in the code itself. */
public final class CliException extends RuntimeException {

  private final int exitCode;

  public CliException(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  public CliException(int exitCode, String message, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  /** No such run, nothing logged yet: exit 1. */
  public static CliException nothing(String message) {
    return new CliException(ExitCodes.NOTHING_MATCHED, message);
  }

  /** A bad argument: exit 2. */
  public static CliException usage(String message) {
    return new CliException(ExitCodes.USAGE, message);
  }

  public int exitCode() {
    return exitCode;
  }
}
