package dev.trainlog.cli.importing;

import dev.trainlog.api.RunInfo;
import dev.trainlog.api.RunStatus;
import dev.trainlog.core.spec.DispatcherStats;

/** What an import or a follower tells its output about each run: when it opens, and how it closed. */
interface RunEvents {

  /** Says nothing. */
  RunEvents NONE = new RunEvents() {};

  /**
   * {@code run}'s dispatcher opened, at its first step (again, for a run written to after it closed); {@code why}
   * says why it opened again when that is not plain (null otherwise).
   */
  default void opened(RunInfo run, String why) {}

  /** {@code run}'s dispatcher closed with {@code status} after {@code steps} steps; {@code stats} as it closed. */
  default void closed(RunInfo run, long steps, RunStatus status, DispatcherStats stats) {}
}
