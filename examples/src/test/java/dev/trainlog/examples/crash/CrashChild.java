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
    Path yaml = Path.of(args[0]);
    long from = Long.parseLong(args[1]);
    long count = Long.parseLong(args[2]);
    LogDispatcher log = LogDispatcher.fromYaml(yaml);
    if (count < 0) {
      boolean delivered = log.close(dev.trainlog.api.RunStatus.FINISHED);
      System.out.println("closed " + delivered);
      return;
    }
    for (long step = from; step < from + count; step++) {
      log.step(step).scalar("loss", 1.0 / (step + 1)).scalar("lr", 1e-4).log();
      if (step % 50 == 0) {
        System.out.println("logged " + step);
      }
    }
    System.out.println("done");
    Thread.currentThread().join(); // until killed
  }

}
