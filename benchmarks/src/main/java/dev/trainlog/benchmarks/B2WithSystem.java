package dev.trainlog.benchmarks;

import de.bwaldvogel.mongo.MongoServer;
import dev.trainlog.api.RunInfo;
import dev.trainlog.api.RunStatus;
import dev.trainlog.core.DispatcherBuilder;
import dev.trainlog.core.LogDispatcher;
import dev.trainlog.core.internal.backends.JsonlBackend;
import dev.trainlog.core.spec.ChannelSettings;
import dev.trainlog.core.spec.Reduce;
import dev.trainlog.core.spec.SampleSpec;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * B2 with system metrics (issue 29): B2's loop and backends (100 µs steps; TensorBoard every step, MongoDB
 * every 10 mean, JSON lines every 100) with the system sampler off, at 10 s and at 1 s, run back to back
 * in each repeat, so each "on" run is compared with the "off" run of its own repeat. Target: no measurable
 * change. Arguments: steps (100000), repeats (5), output JSON file.
 */
public final class B2WithSystem {

  private static final long STEP_NANOS = 100_000;
  private static final Duration[] INTERVALS = {null, Duration.ofSeconds(10), Duration.ofSeconds(1)};

  private B2WithSystem() {}

  public static void main(String[] args) throws Exception {
    Harness.quietLogs();
    int steps = Harness.intArg(args, 0, 100_000);
    int repeats = Harness.intArg(args, 1, 5);
    Path out = Harness.pathArg(args, 2, "benchmarks/target/results/b2-system.json");
    MongoServer server = Harness.startMongo();
    try {
      CpuWork work = CpuWork.calibrate(STEP_NANOS);
      String uri = Harness.uri(server);
      System.out.printf("B2 with system metrics: %d steps, %d repeats%n", steps, repeats);
      for (Duration interval : INTERVALS) {
        loop(work, uri, steps / 10, interval); // warm-up, not recorded
      }
      List<List<Double>> seconds = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
      double[][] slowdown = new double[2][repeats];
      double[][] cpuSlowdown = new double[2][repeats];
      double[][] samplerShare = new double[2][repeats];
      for (int r = 0; r < repeats; r++) {
        double[][] runs = new double[INTERVALS.length][];
        for (int v = 0; v < INTERVALS.length; v++) {
          runs[v] = loop(work, uri, steps, INTERVALS[v]);
          seconds.get(v).add(runs[v][0]);
        }
        for (int v = 1; v < INTERVALS.length; v++) {
          slowdown[v - 1][r] = (runs[v][0] / runs[0][0] - 1) * 100;
          cpuSlowdown[v - 1][r] = (runs[v][1] / runs[0][1] - 1) * 100;
          samplerShare[v - 1][r] = runs[v][2] / runs[v][0] * 100;
        }
        System.out.printf("B2+system repeat %d: off %.3f s, every 10 s %.3f s (%+.2f %%), every 1 s %.3f s (%+.2f %%);"
            + " the training thread's CPU time %.3f s, %+.2f %%, %+.2f %%; the sampler thread %.3f %% / %.3f %% of a"
            + " core%n", r + 1, runs[0][0], runs[1][0], slowdown[0][r], runs[2][0], slowdown[1][r], runs[0][1],
            cpuSlowdown[0][r], cpuSlowdown[1][r], samplerShare[0][r], samplerShare[1][r]);
      }
      String loop = String.format("training loop, %dk steps × 100 µs (s), incl. close", steps / 1000);
      Row.write(out, List.of(
          Row.of("B2", loop, "TrainLog, system metrics every 10 s", Harness.toArray(seconds.get(1)),
              "TrainLog, system metrics off", Harness.toArray(seconds.get(0)), Row.Target.none(), "same backends"
              + " and sampling as B2; the three variants run back to back in each repeat"),
          Row.of("B2", loop, "TrainLog, system metrics every 1 s", Harness.toArray(seconds.get(2)),
              "TrainLog, system metrics off", Harness.toArray(seconds.get(0)), Row.Target.none(), ""),
          Row.of("B2", "slowdown per repeat from system metrics every 10 s, ÷ off in the same repeat − 1 (%)",
              "TrainLog", slowdown[0], "", new double[0], Row.Target.none(), "target: no measurable change"),
          Row.of("B2", "slowdown per repeat from system metrics every 1 s, ÷ off in the same repeat − 1 (%)",
              "TrainLog", slowdown[1], "", new double[0], Row.Target.none(), ""),
          Row.of("B2", "the training thread's CPU time with system metrics every 10 s, ÷ off in the same repeat − 1 (%)",
              "TrainLog", cpuSlowdown[0], "", new double[0], Row.Target.none(), "thread CPU time of the loop (work"
              + " and log()), which waits for a core do not inflate"),
          Row.of("B2", "the training thread's CPU time with system metrics every 1 s, ÷ off in the same repeat − 1 (%)",
              "TrainLog", cpuSlowdown[1], "", new double[0], Row.Target.none(), ""),
          Row.of("B2", "the trainlog-system thread's CPU during the loop, every 10 s / every 1 s (% of one core)",
              "TrainLog", samplerShare[0], "every 1 s", samplerShare[1], Row.Target.none(), "")));
    } finally {
      server.shutdownNow();
    }
  }

  /**
   * {seconds for {@code steps} steps logged through TrainLog, close included; the training thread's CPU
   * seconds in the loop; the sampler thread's CPU seconds}; {@code interval} null: no sampler.
   */
  private static double[] loop(CpuWork work, String uri, int steps, Duration interval) throws Exception {
    Path dir = Fixtures.tempDir("b2-system");
    RunInfo run = Fixtures.run("b2-system");
    DispatcherBuilder builder = LogDispatcher.builder(run)
        .backend("tensorboard", Harness.tensorBoardBackend(run, dir.resolve("tb"), dir.resolve("data")),
            SampleSpec.every(1), ChannelSettings.defaults())
        .backend("mongo", Harness.mongoBackend(run, uri, "b2sys", "steps", dir.resolve("data")),
            SampleSpec.every(10).reduce(Reduce.MEAN), ChannelSettings.defaults())
        .backend("jsonl", new JsonlBackend(dir.resolve("run.jsonl")), SampleSpec.every(100), ChannelSettings.defaults())
        .journalDir(dir.resolve("journal")).deadLetterDir(dir.resolve("dead")).shutdownHook(false);
    if (interval != null) {
      builder.systemMetrics(interval);
    }
    LogDispatcher dispatcher = builder.build();
    double[] gpu = Fixtures.GPU_UTIL.clone();
    long acc = 0;
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long c0 = threads.getCurrentThreadCpuTime();
    long t0 = System.nanoTime();
    for (int s = 0; s < steps; s++) {
      acc += work.step(s);
      dispatcher.step(s).scalar("loss", Fixtures.loss(s)).scalar("lr", 1e-4).scalar("grad_norm", 0.5 + (s % 7) * 0.01)
          .scalar("tokens_per_s", 5120.0).scalar("epoch", s / 1000.0).vector("gpu_util", gpu).log();
    }
    long c1 = threads.getCurrentThreadCpuTime();
    long sampler = Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("trainlog-system"))
        .mapToLong(t -> Math.max(0, threads.getThreadCpuTime(t.getId()))).sum();
    boolean delivered = dispatcher.close(RunStatus.FINISHED, Duration.ofMinutes(5));
    long t1 = System.nanoTime();
    if (!delivered) {
      System.out.println("B2+system: not everything was delivered: " + dispatcher.stats());
    }
    Fixtures.deleteTree(dir);
    try (var client = com.mongodb.client.MongoClients.create(uri)) {
      client.getDatabase("b2sys").drop();
    }
    if (acc == 42) {
      System.out.print("");
    }
    return new double[] {Harness.seconds(t1 - t0), Harness.seconds(c1 - c0), Harness.seconds(sampler)};
  }
}
