package dev.trainlog.examples.promise;

import dev.trainlog.api.RunStatus;
import dev.trainlog.core.LogDispatcher;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A training process for {@link ResumedRunTest}: logs steps from {@code args[2]} on, printing
 * "logged N" once {@code log()} returned. Modes: {@code count} logs {@code args[3]} steps and closes;
 * {@code graceful} logs until SIGTERM and stops its loop from {@code beforeShutdown}, logging its last
 * step there, as a loop that saves a checkpoint on SIGTERM would; {@code tight} logs until the JVM ends.
 */
public final class ResumeChild {

  private static volatile boolean stopRequested;

  private ResumeChild() {}

  public static void main(String[] args) throws InterruptedException {
    LogDispatcher log = LogDispatcher.fromYaml(Path.of(args[0]));
    String mode = args[1];
    long from = Long.parseLong(args[2]);
    CountDownLatch loopEnded = new CountDownLatch(1);
    if (mode.equals("graceful")) {
      log.beforeShutdown(() -> {
        stopRequested = true;
        try {
          loopEnded.await(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
    }
    long end = mode.equals("count") ? from + Long.parseLong(args[3]) : Long.MAX_VALUE;
    long step = from;
    while (step < end && !stopRequested) {
      log.step(step).scalar("loss", 1.0 / (step + 1)).log();
      System.out.println("logged " + step);
      step++;
    }
    if (mode.equals("graceful")) {
      log.step(step).scalar("loss", 0.0).text("checkpoint", "saved at " + step).force().log();
      System.out.println("logged " + step);
      System.out.flush();
      loopEnded.countDown();
      Thread.currentThread().join(); // the hook closes the run; the JVM ends after it
    }
    System.out.println("closed " + log.close(RunStatus.FINISHED));
  }
}
