package dev.trainlog.benchmarks;

import dev.trainlog.core.LogDispatcher;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * B11 (the class keeps the name it was written under; B10 is the images benchmark): the system-metrics thread's own CPU time (thread CPU time of {@code trainlog-system}) per
 * wall second, at a 10 s and a 1 s interval, while a loop logs a step every 10 ms. Target: at most
 * 0.5 % of one core at 10 s. Usage: {@code B10SystemSampler [seconds-per-interval-setting]} (default 60).
 */
public final class B10SystemSampler {

  private B10SystemSampler() {}

  public static void main(String[] args) throws Exception {
    long seconds = args.length > 0 ? Long.parseLong(args[0]) : 60;
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    for (Duration interval : new Duration[] {Duration.ofSeconds(10), Duration.ofSeconds(1)}) {
      Path dir = Files.createTempDirectory("b10");
      try (LogDispatcher d = LogDispatcher.builder(Fixtures.run("b10-" + interval.toSeconds()))
          .backend("noop", new NoopBackend()).journalDir(dir.resolve("j")).deadLetterDir(dir.resolve("d"))
          .shutdownHook(false).systemMetrics(interval).build()) {
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(seconds);
        CountDownLatch tick = new CountDownLatch(1);
        for (long step = 0; System.nanoTime() < end; step++) {
          d.log(step, Map.of("loss", 1.0 / (step + 1)));
          tick.await(10, TimeUnit.MILLISECONDS);
        }
        double wall = (System.nanoTime() - start) / 1e9;
        long cpu = Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("trainlog-system"))
            .mapToLong(t -> threads.getThreadCpuTime(t.getId())).sum();
        System.out.printf("B11 interval %ds: sampler thread CPU %.1f ms over %.1f s = %.3f %% of one core%n",
            interval.toSeconds(), cpu / 1e6, wall, 100.0 * cpu / 1e9 / wall);
      }
    }
  }
}
