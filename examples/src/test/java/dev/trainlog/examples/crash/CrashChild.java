package dev.trainlog.examples.crash;

import dev.trainlog.core.LogDispatcher;
import java.nio.file.Path;
import java.util.Map;

/**
 * The training process {@link KillNineTest} kills: logs steps from {@code args[1]} on as fast as it
 * can, printing "logged N" after every 50th {@code log()} has returned, until it is killed. With a
 * negative count it logs nothing and closes cleanly: the drain after the kills.
 */
public final class CrashChild {

  private CrashChild() {}

  public static void main(String[] args) throws InterruptedException {
    LogDispatcher log = openOrDrain(args);
    if (log == null) {
      return;
    }
    long from = Long.parseLong(args[1]);
    long count = Long.parseLong(args[2]);
    for (long step = from; step < from + count; step++) {
      log.step(step).scalar("loss", 1.0 / (step + 1)).scalar("lr", 1e-4).log();
      if (step % 50 == 0) {
        System.out.println("logged " + step);
      }
    }
    System.out.println("done");
    Thread.currentThread().join(); // until killed
  }

  /**
   * The dispatcher of a child given {@code yaml from count}; with a negative count it is closed at once
   * (the drain after the kills), "closed <delivered>" printed, and null returned.
   */
  static LogDispatcher openOrDrain(String[] args) {
    LogDispatcher log = LogDispatcher.fromYaml(Path.of(args[0]));
    if (Long.parseLong(args[2]) < 0) {
      System.out.println("closed " + log.close(dev.trainlog.api.RunStatus.FINISHED));
      return null;
    }
    return log;
  }

}
