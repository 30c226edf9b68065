package dev.trainlog.benchmarks;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import dev.trainlog.api.RunInfo;
import dev.trainlog.api.RunStatus;
import dev.trainlog.core.LogDispatcher;
import dev.trainlog.core.spec.ChannelSettings;
import dev.trainlog.core.spec.OnFull;
import dev.trainlog.core.spec.SampleSpec;
import dev.trainlog.mongodb.schema.StoreSchema;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * B12 at the scale, the writing half: an in-memory mongo-java-server on a fixed port, filled with
 * {@code runs × steps} lean steps ({@code loss} and {@code lr}) through the real MongoDB backend (so the series
 * rollups and run summaries are written), then kept serving over TCP until {@code <dir>/stop} exists, so
 * {@link B12ScaleReads} (another JVM, built later if need be) measures the reads. Filling stops early when the
 * next runs would not fit the heap (checked after a full GC every {@value #CHECK_EVERY} runs), says so, and writes
 * the remaining runs with {@value #SHORT_STEPS} steps each.
 *
 * <p>Arguments: runs (1000), steps per run (10000), port (27999), working directory (benchmarks/target/b12-scale),
 * heap fraction to stop at (0.85).
 */
public final class B12ScaleStore {

  static final String DATABASE = StoreSchema.DEFAULT_DATABASE;
  static final String STEPS = StoreSchema.DEFAULT_STEPS;
  private static final int CHECK_EVERY = 50;
  /** Steps of each run past the heap's limit: {@value}. */
  private static final int SHORT_STEPS = 100;

  private B12ScaleStore() {}

  public static void main(String[] args) throws Exception {
    Harness.quietLogs();
    int runs = Harness.intArg(args, 0, 1000);
    int steps = Harness.intArg(args, 1, 10_000);
    int port = Harness.intArg(args, 2, 27999);
    Path dir = Harness.pathArg(args, 3, "benchmarks/target/b12-scale");
    double limit = args.length > 4 ? Double.parseDouble(args[4]) : 0.85;
    Files.createDirectories(dir);
    Files.deleteIfExists(dir.resolve("stop"));
    Files.deleteIfExists(dir.resolve("ready"));
    MongoServer server = new MongoServer(new MemoryBackend());
    server.bind("127.0.0.1", port);
    String uri = "mongodb://127.0.0.1:" + port;
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    long max = Runtime.getRuntime().maxMemory();
    System.out.printf("B12 scale: filling %d runs × %d steps into %s (max heap %.1f GB, load %s)%n", runs, steps, uri,
        max / 1e9, Files.readString(Path.of("/proc/loadavg")).trim());
    long t0 = System.nanoTime();
    long usedBefore = usedAfterGc(memory);
    int filled = 0;
    String stopped = "";
    for (int r = 0; r < runs; r++) {
      fill(r, steps, uri, dir.resolve("work"));
      filled++;
      if (filled % CHECK_EVERY == 0 || filled == runs) {
        long used = usedAfterGc(memory);
        double perRun = (used - usedBefore) / (double) filled;
        double seconds = Harness.seconds(System.nanoTime() - t0);
        System.out.printf("B12 scale: %d runs (%d steps) in %.0f s, %.0f steps/s, heap %.2f GB (%.1f MB per run),"
            + " load %s%n", filled, (long) filled * steps, seconds, (long) filled * steps / seconds, used / 1e9,
            perRun / 1e6, Files.readString(Path.of("/proc/loadavg")).trim());
        if (filled < runs && used + perRun * CHECK_EVERY > limit * max) {
          stopped = String.format(" (%d more would pass %.0f%% of the heap)", CHECK_EVERY, limit * 100);
          break;
        }
      }
    }
    double seconds = Harness.seconds(System.nanoTime() - t0);
    // the runs that did not fit at full length still exist, short, so the runs page lists every run
    long t1 = System.nanoTime();
    for (int r = filled; r < runs; r++) {
      fill(r, SHORT_STEPS, uri, dir.resolve("work"));
    }
    String summary = String.format("B12 scale: filled %d runs × %d steps = %d step documents in %.1f s (%.0f steps/s)%s;"
        + " then %d runs × %d steps in %.1f s; heap %.2f GB after a full GC",
        filled, steps, (long) filled * steps, seconds, (long) filled * steps / seconds, stopped, runs - filled,
        SHORT_STEPS, Harness.seconds(System.nanoTime() - t1), usedAfterGc(memory) / 1e9);
    System.out.println(summary);
    Files.writeString(dir.resolve("ready"), filled + " " + steps + " " + seconds + "\n" + summary + "\n");
    Path stop = dir.resolve("stop");
    while (!Files.exists(stop)) {
      TimeUnit.SECONDS.sleep(2); // a benchmark process waiting for its reader, not a test
    }
    server.shutdownNow();
    Fixtures.deleteTree(dir.resolve("work"));
  }

  private static long usedAfterGc(MemoryMXBean memory) {
    System.gc();
    return memory.getHeapMemoryUsage().getUsed();
  }

  /**
   * One finished run: {@code loss} falls as {@code 0.03 + exp(-step / (200 + 5 r))} (so about half of 1,000 runs
   * cross 0.05 within 10,000 steps, each at its own step), NaN every 2,500 steps; {@code lr} constant.
   */
  private static void fill(int r, int steps, String uri, Path work) throws Exception {
    RunInfo run = RunInfo.builder().experiment("sweep").runName("r" + r).runId(String.format("run-%04d", r))
        .node("node-0").config(Map.of("model", r % 2 == 0 ? "SDXL" : "SD15")).build();
    Path dir = work.resolve(run.runId());
    LogDispatcher dispatcher = LogDispatcher.builder(run)
        .backend("mongo", Harness.mongoBackend(run, uri, DATABASE, STEPS, dir.resolve("data")), SampleSpec.always(),
            ChannelSettings.defaults().withOnFull(OnFull.BLOCK))
        .journalDir(dir.resolve("journal")).deadLetterDir(dir.resolve("dead")).shutdownHook(false).build();
    double scale = 200.0 + 5.0 * r;
    for (int s = 1; s <= steps; s++) {
      double loss = s % 2500 == 0 ? Double.NaN : 0.03 + Math.exp(-s / scale);
      dispatcher.step(s).scalar("loss", loss).scalar("lr", 1e-4).log();
    }
    if (!dispatcher.close(RunStatus.FINISHED, Duration.ofMinutes(10))) {
      throw new IllegalStateException("run " + r + " did not drain: " + dispatcher.stats());
    }
    Fixtures.deleteTree(dir);
  }
}
