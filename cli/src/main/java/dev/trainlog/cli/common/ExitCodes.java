package dev.trainlog.cli.common;

/**
 * The exit codes of every {@code trainlog} command. Scripts test them, so the numbers never change; a new
 * outcome gets a new number.
 */
public final class ExitCodes {

  /** Success. */
  public static final int OK = 0;
  /** The query matched nothing: no such run, an empty store, no points. */
  public static final int NOTHING_MATCHED = 1;
  /** Bad arguments, a bad configuration, an unreachable store, or records a backend was not given. */
  public static final int USAGE = 2;
  /** {@code watch --fail-on-alert} saw an alert. */
  public static final int ALERT = 3;

  private ExitCodes() {}
}
