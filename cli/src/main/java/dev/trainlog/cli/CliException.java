package dev.trainlog.cli;

/** An error the command reports as one line with a given exit code; nothing went wrong in the code itself. */
final class CliException extends RuntimeException {

  private final int exitCode;

  CliException(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  CliException(int exitCode, String message, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  /** No such run, nothing logged yet: exit 1. */
  static CliException nothing(String message) {
    return new CliException(ExitCodes.NOTHING_MATCHED, message);
  }

  /** A bad argument: exit 2. */
  static CliException usage(String message) {
    return new CliException(ExitCodes.USAGE, message);
  }

  int exitCode() {
    return exitCode;
  }
}
