package dev.trainlog.cli.importing;

import java.io.IOException;
import java.util.function.BooleanSupplier;

/**
 * The loop of every follower ({@code follow tensorboard}, {@code follow jsonl}): look, report, then wait for a
 * file-system event or the poll interval, until a stop is asked (Ctrl-C, SIGTERM) or the follower is done.
 */
final class FollowLoop {

  /** One look at what is followed; true when following is done (a file idle for long enough). */
  interface Look {
    boolean look() throws IOException;
  }

  private FollowLoop() {}

  /** Looks until {@code stop} says so or a look says it is done; true when done, false when stopped. */
  static boolean run(DirWatcher watcher, Look look, BooleanSupplier stop, long pollMillis, Runnable afterLook)
      throws IOException, InterruptedException {
    while (!stop.getAsBoolean()) {
      boolean done = look.look();
      afterLook.run();
      if (done) {
        return true;
      }
      watcher.await(pollMillis);
    }
    return false;
  }
}
