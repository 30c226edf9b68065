package dev.trainlog.examples.crash;

import dev.trainlog.api.RunStatus;
import dev.trainlog.core.LogDispatcher;
import dev.trainlog.core.spec.BackendStats;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * A trainer for {@link KillWhileDownTest}: {@code yaml from firstCount restCount}. Logs {@code firstCount} steps,
 * flushes, prints "phase1", waits for a line on stdin (the test stopped MongoDB), logs 250 steps, waits until its
 * mongo worker has failed a write (it holds a batch), logs {@code restCount} more, prints its stats and
 * "done", and waits to be killed. With a negative firstCount it only opens and closes (a drain).
 */
public final class OutageChild {

  private OutageChild() {}

  public static void main(String[] args) throws Exception {
    LogDispatcher log = LogDispatcher.fromYaml(Path.of(args[0]));
    long from = Long.parseLong(args[1]);
    long first = Long.parseLong(args[2]);
    long rest = Long.parseLong(args[3]);
    if (first < 0) {
      boolean all = log.close(RunStatus.FINISHED);
      BackendStats m = log.stats().backends().get("mongo");
      System.out.println("drained " + all + " written=" + m.written() + " dropped=" + m.dropped() + " failed="
          + m.failed() + " resent=" + log.resentRecords());
      return;
    }
    long step = from;
    for (; step < from + first; step++) {
      log.log(step, Map.of("loss", 1.0 / (step + 1), "pad", "y".repeat(40)));
    }
    System.out.println("phase1 flushed=" + log.flush(Duration.ofSeconds(30)));
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    in.readLine();
    for (long end = step + 250; step < end; step++) { // one batch, which the worker then holds and retries
      log.log(step, Map.of("loss", 1.0 / (step + 1), "pad", "y".repeat(40)));
    }
    while (log.stats().backends().get("mongo").retried() == 0) {
      Thread.onSpinWait();
    }
    for (long end = step + rest; step < end; step++) {
      log.log(step, Map.of("loss", 1.0 / (step + 1), "pad", "y".repeat(40)));
    }
    BackendStats m = log.stats().backends().get("mongo");
    System.out.println("stats logged=" + log.stats().logged() + " refused=" + log.stats().refused() + " written="
        + m.written() + " dropped=" + m.dropped() + " failed=" + m.failed() + " queued=" + m.queued() + " last="
        + (step - 1));
    System.out.println("done");
    Thread.currentThread().join();
  }
}
