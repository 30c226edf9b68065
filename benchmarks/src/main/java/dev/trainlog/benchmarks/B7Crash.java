package dev.trainlog.benchmarks;

import dev.trainlog.api.RunStatus;
import dev.trainlog.core.LogDispatcher;
import dev.trainlog.core.internal.backends.JsonlBackend;
import dev.trainlog.core.spec.ChannelSettings;
import dev.trainlog.core.spec.Durability;
import dev.trainlog.core.spec.SampleSpec;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * B7: what {@code kill -9} costs. A child JVM logs steps to a JSON-lines backend and prints each 100th
 * step after its {@code log()} returned; it is killed with SIGKILL mid-run; a second process on the
 * same journal only closes. Counted: steps reported as logged that never reached the file, per
 * durability mode. Also the time a dispatcher takes to open over a 1 GiB journal left behind.
 */
public final class B7Crash {

  private B7Crash() {}

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("child")) {
      child(Path.of(args[1]), Durability.valueOf(args[2]), Long.parseLong(args[3]));
      return;
    }
    Harness.quietLogs();
    int repeats = Harness.intArg(args, 0, 3);
    Path out = Harness.pathArg(args, 1, "benchmarks/target/results/b7.json");
    List<Row> rows = new ArrayList<>();
    for (Durability mode : Durability.values()) {
      double[] lost = new double[repeats];
      double[] logged = new double[repeats];
      for (int r = 0; r < repeats; r++) {
        long[] result = killOnce(mode);
        logged[r] = result[0];
        lost[r] = result[1];
        System.out.printf("B7 %s repeat %d: %d steps reported logged before the kill, %d lost%n", mode.yamlName(),
            r + 1, result[0], result[1]);
      }
      rows.add(Row.of("B7", "kill -9 mid-run, then a restart that drains: steps lost (of those log() returned)",
          "TrainLog, durability: " + mode.yamlName(), lost, "", new double[0], Row.Target.medianAtMost(0, "= 0"),
          "steps whose log() had returned before SIGKILL, per repeat: " + java.util.Arrays.toString(logged)));
    }
    double[] resume = new double[repeats];
    long bytes = 0;
    for (int r = 0; r < repeats; r++) {
      double[] result = resumeGiB();
      resume[r] = result[0];
      bytes = (long) result[1];
      System.out.printf("B7 resume repeat %d: %.3f s to open over %.2f GiB%n", r + 1, result[0], bytes / 1073741824.0);
    }
    rows.add(Row.of("B7", String.format("open a dispatcher over a %.1f GiB journal left behind (s)",
        bytes / 1073741824.0), "TrainLog", resume, "", new double[0], Row.Target.none(),
        "build(): recovery scan of every segment plus counting each backend's records behind"));
    Row.write(out, rows);
  }

  private static long[] killOnce(Durability mode) throws Exception {
    Path dir = Fixtures.tempDir("b7");
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
        System.getProperty("java.class.path"), B7Crash.class.getName(), "child", dir.toString(), mode.name(), "0")
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    long reported = -1;
    try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        reported = Long.parseLong(line.trim());
        if (reported >= 200_000) {
          break;
        }
      }
      p.destroyForcibly();
      p.waitFor(30, TimeUnit.SECONDS);
    }
    try (LogDispatcher drain = dispatcher(dir, mode)) {
      drain.flush(Duration.ofMinutes(2));
    }
    Set<Long> steps = new HashSet<>();
    for (String line : Files.readAllLines(dir.resolve("steps.jsonl"))) {
      int i = line.indexOf("\"step\":");
      steps.add(Long.parseLong(line.substring(i + 7, line.indexOf(',', i))));
    }
    long lost = 0;
    for (long s = 0; s <= reported; s++) {
      lost += steps.contains(s) ? 0 : 1;
    }
    Fixtures.deleteTree(dir);
    return new long[] {reported + 1, lost};
  }

  private static LogDispatcher dispatcher(Path dir, Durability mode) {
    return LogDispatcher.builder(Fixtures.run("b7"))
        .backend("jsonl", new JsonlBackend(dir.resolve("steps.jsonl")), SampleSpec.every(1), ChannelSettings.defaults())
        .journalDir(dir.resolve("journal")).deadLetterDir(dir.resolve("dead"))
        .durability(mode, Duration.ofSeconds(1)).shutdownHook(false).build();
  }

  /** The process that is killed: logs as fast as it can, printing every 100th step once log() returned. */
  private static void child(Path dir, Durability mode, long from) throws InterruptedException {
    LogDispatcher log = dispatcher(dir, mode);
    double[] gpu = Fixtures.GPU_UTIL.clone();
    for (long s = from; ; s++) {
      log.step(s).scalar("loss", Fixtures.loss(s)).scalar("lr", 1e-4).vector("gpu_util", gpu).log();
      if (s % 100 == 0) {
        System.out.println(s);
      }
    }
  }

  /** Leaves about 1 GiB in a journal whose backend never took anything, then times a new dispatcher's build(). */
  private static double[] resumeGiB() throws Exception {
    Path dir = Fixtures.tempDir("b7-resume");
    LogDispatcher first = LogDispatcher.builder(Fixtures.run("b7-resume"))
        .backend("down", batch -> {
          throw new java.io.IOException("down for the whole run");
        }, SampleSpec.every(1), ChannelSettings.defaults())
        .journalDir(dir.resolve("journal")).deadLetterDir(dir.resolve("dead")).shutdownHook(false).build();
    double[] gpu = new double[64];
    for (long s = 0; s % 100_000 != 0 || Fixtures.treeBytes(dir.resolve("journal")) < (1L << 30); s++) {
      first.step(s).scalar("loss", Fixtures.loss(s)).vector("gpu_util", gpu).log();
    }
    first.close(RunStatus.FINISHED, Duration.ofMillis(100));
    long bytes = Fixtures.treeBytes(dir.resolve("journal"));
    long t0 = System.nanoTime();
    LogDispatcher second = LogDispatcher.builder(Fixtures.run("b7-resume"))
        .backend("down", batch -> { }, SampleSpec.every(1), ChannelSettings.defaults())
        .journalDir(dir.resolve("journal")).deadLetterDir(dir.resolve("dead")).shutdownHook(false).build();
    long t1 = System.nanoTime();
    second.close(RunStatus.FINISHED, Duration.ofMinutes(2));
    Fixtures.deleteTree(dir);
    return new double[] {Harness.seconds(t1 - t0), bytes};
  }
}
