package dev.trainlog.cli;

import dev.trainlog.api.RunStatus;
import dev.trainlog.core.LogDispatcher;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A training process for the store-service tests: logs {@code args[1]} steps from the YAML {@code args[0]},
 * each taking {@code args[2]} microseconds of "training", closes, prints "closed true|false" and exits.
 */
public final class StoreTrainerChild {

  private StoreTrainerChild() {}

  public static void main(String[] args) {
    LogDispatcher log = LogDispatcher.fromYaml(Path.of(args[0]));
    long steps = Long.parseLong(args[1]);
    long stepNanos = TimeUnit.MICROSECONDS.toNanos(Long.parseLong(args[2]));
    for (long step = 0; step < steps; step++) {
      log.step(step).scalar("loss", 1.0 / (step + 1)).log();
      if (step % 100 == 0) {
        System.out.println("logged " + step);
      }
      LockSupport.parkNanos(stepNanos);
    }
    System.out.println("closed " + log.close(RunStatus.FINISHED));
  }
}
