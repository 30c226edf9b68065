package dev.trainlog.cli.importing;

import dev.trainlog.tensorboard.read.TbRun;

/** What a pass over a log directory says while it reads each run ({@link ImportProgress} on an import). */
interface PassProgress {

  /** Says nothing: a follower reports runs as they open and close instead. */
  PassProgress NONE = new PassProgress() {};

  /** {@code run} is about to be read; its files hold {@code totalBytes}. */
  default void start(TbRun run, long totalBytes) {}

  /** {@code bytesDone} of the run's files are read, {@code steps} steps sent. */
  default void advance(long bytesDone, long steps) {}

  /** The run was read and closed after {@code seconds}; {@code run} counts what it held. */
  default void finish(ImportTotals run, double seconds) {}
}
