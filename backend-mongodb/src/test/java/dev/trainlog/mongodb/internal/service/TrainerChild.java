package dev.trainlog.mongodb.internal.service;

import dev.trainlog.api.RunStatus;
import dev.trainlog.core.LogDispatcher;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A training process of {@link SharedStoreTest}: two ranks (threads, each with its own dispatcher from
 * {@code args[0]}) log {@code args[1]} steps each into the MongoDB backend, printing "logged N" after
 * every 100th step of rank 0, then close and print "closed true|false" once both ranks closed. A step
 * takes {@code args[2]} microseconds of "training"; with {@code args[3]}, both ranks stop half-way until
 * that file exists, so a test can act while the run is surely going on.
 */
public final class TrainerChild {

  private TrainerChild() {}

  public static void main(String[] args) throws InterruptedException {
    Path yaml = Path.of(args[0]);
    long steps = Long.parseLong(args[1]);
    long stepNanos = java.util.concurrent.TimeUnit.MICROSECONDS.toNanos(Long.parseLong(args[2]));
    Path gate = args.length > 3 ? Path.of(args[3]) : null;
    AtomicInteger delivered = new AtomicInteger();
    Thread[] ranks = new Thread[2];
    for (int r = 0; r < 2; r++) {
      int rank = r;
      ranks[r] = new Thread(() -> {
        LogDispatcher log = LogDispatcher.fromYaml(yaml, Map.of("RANK", Integer.toString(rank), "WORLD_SIZE", "2"));
        for (long step = 0; step < steps; step++) {
          if (gate != null && step == steps / 2) {
            System.out.println("waiting at " + step);
            while (!java.nio.file.Files.exists(gate)) {
              java.util.concurrent.locks.LockSupport.parkNanos(20_000_000L);
            }
          }
          log.step(step).scalar("loss", 1.0 / (step + 1)).scalar("rank_value", rank).log();
          if (stepNanos > 0) {
            java.util.concurrent.locks.LockSupport.parkNanos(stepNanos);
          }
          if (rank == 0 && step % 100 == 0) {
            System.out.println("logged " + step);
          }
        }
        if (log.close(RunStatus.FINISHED)) {
          delivered.incrementAndGet();
        }
      }, "rank-" + r);
      ranks[r].start();
    }
    for (Thread t : ranks) {
      t.join();
    }
    System.out.println("closed " + (delivered.get() == 2));
  }
}
