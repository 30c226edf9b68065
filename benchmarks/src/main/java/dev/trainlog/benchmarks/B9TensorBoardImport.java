package dev.trainlog.benchmarks;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * B9: {@code trainlog import tensorboard} of a log directory of 1M scalars (4 runs × 50k steps × 5
 * tags, one event per scalar as PyTorch writes them) into a JSON-lines backend that keeps every step,
 * against TensorBoard's own Python {@code EventMultiplexer}/{@code EventAccumulator} loading the same
 * directory with every scalar kept, both as the command a user runs (process start included), timed
 * in alternation. Then the latency of {@code trainlog follow tensorboard} from an event's write (and
 * flush) to its line in the JSON-lines file, with the backend's {@code flush-interval: 100ms}.
 *
 * <p>Arguments: trainlog.jar (cli/target/trainlog.jar), scalars (1000000), repeats (3), output JSON
 * file, python with tensorboard installed (/tmp/b9venv/bin/python; the baseline is left out if it
 * has no tensorboard), follow events (300).
 */
public final class B9TensorBoardImport {

  private static final String[] TAGS = {"loss", "lr", "grad_norm", "tokens_per_s", "epoch"};
  private static final int RUNS = 4;
  private static final String PYTHON_LOAD = String.join("\n",
      "import sys, time",
      "from tensorboard.backend.event_processing import event_multiplexer as m",
      "mux = m.EventMultiplexer(size_guidance={'scalars': 0})",
      "mux.AddRunsFromDirectory(sys.argv[1])",
      "mux.Reload()",
      "n = 0",
      "for run, tags in mux.Runs().items():",
      "    for tag in tags['scalars']:",
      "        n += len(mux.Scalars(run, tag))",
      "print(n)");

  public static void main(String[] args) throws Exception {
    Harness.quietLogs();
    Path jar = Harness.pathArg(args, 0, "cli/target/trainlog.jar").toAbsolutePath();
    int scalars = Harness.intArg(args, 1, 1_000_000);
    int repeats = Harness.intArg(args, 2, 3);
    Path out = Harness.pathArg(args, 3, "benchmarks/target/results/b9.json");
    String python = args.length > 4 ? args[4] : "/tmp/b9venv/bin/python";
    int followEvents = Harness.intArg(args, 5, 300);
    Path work = Files.createTempDirectory("b9");
    Path logs = work.resolve("logs");
    writeLogDir(logs, scalars);
    boolean withPython = hasTensorBoard(python);
    if (!withPython) {
      System.out.println("B9: " + python + " has no tensorboard; the EventAccumulator baseline is left out");
    }
    List<Double> ours = new ArrayList<>();
    List<Double> theirs = new ArrayList<>();
    for (int r = 0; r < repeats; r++) {
      double t = importOnce(jar, work, logs, scalars);
      ours.add(scalars / t);
      String line = String.format("B9 repeat %d: trainlog import %.2f s (%.0f scalars/s)", r + 1, t, scalars / t);
      if (withPython) {
        double p = pythonOnce(python, logs, scalars);
        theirs.add(scalars / p);
        line += String.format("; EventAccumulator %.2f s (%.0f scalars/s)", p, scalars / p);
      }
      System.out.println(line);
    }
    double[] latencies = followLatencies(jar, work, followEvents);
    System.out.printf("B9 follow: %d events, latency median %.1f ms, p99 %.1f ms%n", latencies.length,
        percentile(latencies, 50), percentile(latencies, 99));
    String m = scalars / 1000 + "k";
    List<Row> rows = new ArrayList<>();
    rows.add(Row.of("B9", "TensorBoard import, " + m + " scalars into JSON lines (scalars/s)",
        "trainlog import tensorboard (JVM start included)", Harness.toArray(ours),
        withPython ? "tensorboard EventMultiplexer.Reload (Python start included)" : "",
        Harness.toArray(theirs), withPython ? Row.Target.ratioAtLeast(20, "≥ 20×") : Row.Target.none(),
        withPython ? "" : "no Python tensorboard here: baseline not measured"));
    rows.add(Row.of("B9", "follow: write to JSON-lines delivery, median (ms)", "trainlog follow tensorboard",
        new double[] {percentile(latencies, 50)}, "", new double[0], Row.Target.atMost(2000, "≤ 2 s"), ""));
    rows.add(Row.of("B9", "follow: write to JSON-lines delivery, p99 (ms)", "trainlog follow tensorboard",
        new double[] {percentile(latencies, 99)}, "", new double[0], Row.Target.atMost(2000, "≤ 2 s"), ""));
    Row.write(out, rows);
    deleteTree(work);
  }

  /** {@code scalars} scalars over {@link #RUNS} runs, one event per scalar, steps of {@link #TAGS}. */
  private static void writeLogDir(Path logs, int scalars) throws IOException {
    int steps = scalars / RUNS / TAGS.length;
    for (int run = 0; run < RUNS; run++) {
      Path file = logs.resolve("b9/run-" + run + "/events.out.tfevents.1764950000.bench." + run + ".0");
      try (TbEventFiles w = new TbEventFiles(file, false)) {
        for (int step = 0; step < steps; step++) {
          for (int t = 0; t < TAGS.length; t++) {
            w.scalar(TAGS[t], step, 1_764_950_000.0 + step * 0.1, (float) (1.0 / (step + 1) + t));
          }
        }
      }
    }
  }

  private static double importOnce(Path jar, Path work, Path logs, int scalars) throws Exception {
    Path run = work.resolve("import");
    deleteTree(run);
    Path yaml = yaml(run, "2s");
    long t0 = System.nanoTime();
    String output = exec(List.of("java", "-jar", jar.toString(), "import", "tensorboard", logs.toString(),
        "--config", yaml.toString()), null);
    double seconds = (System.nanoTime() - t0) / 1e9;
    long lines;
    try (Stream<Path> files = Files.walk(run.resolve("out"))) {
      lines = files.filter(Files::isRegularFile).mapToLong(B9TensorBoardImport::lineCount).sum();
    }
    if (lines != scalars / TAGS.length) {
      throw new IllegalStateException("the import wrote " + lines + " lines, not " + scalars / TAGS.length
          + ":\n" + output);
    }
    return seconds;
  }

  private static double pythonOnce(String python, Path logs, int scalars) throws Exception {
    long t0 = System.nanoTime();
    String output = exec(List.of(python, "-c", PYTHON_LOAD, logs.toString()), null).trim();
    double seconds = (System.nanoTime() - t0) / 1e9;
    String last = output.substring(output.lastIndexOf('\n') + 1).trim();
    if (!last.equals(Integer.toString(scalars))) {
      throw new IllegalStateException("EventAccumulator read " + last + " scalars, not " + scalars);
    }
    return seconds;
  }

  /** Starts the follower, appends {@code events} events one at a time and times each to its JSON line. */
  private static double[] followLatencies(Path jar, Path work, int events) throws Exception {
    Path dir = work.resolve("follow");
    Path logs = dir.resolve("runs");
    Path yaml = yaml(dir, "100ms");
    Process follower = new ProcessBuilder("java", "-jar", jar.toString(), "follow", "tensorboard", logs.toString(),
        "--config", yaml.toString()).redirectErrorStream(true).redirectOutput(dir.resolve("follow.log").toFile())
        .start();
    Path lines = dir.resolve("out/runs/live.jsonl");
    ConcurrentHashMap<Long, Long> arrived = new ConcurrentHashMap<>();
    Thread tail = new Thread(() -> tail(lines, arrived), "b9-tail");
    tail.setDaemon(true);
    tail.start();
    long[] written = new long[events + 1];
    try (TbEventFiles w = new TbEventFiles(logs.resolve("live/events.out.tfevents.1764950000.bench.9.0"), true)) {
      // step 0 opens the run's dispatcher (and warms the follower's JVM): not timed
      w.scalar("loss", 0, System.currentTimeMillis() / 1000.0, 1f);
      waitFor(arrived, 0L, 60_000);
      for (int i = 1; i <= events; i++) {
        written[i] = System.nanoTime();
        w.scalar("loss", i, System.currentTimeMillis() / 1000.0, 1f / i);
        waitFor(arrived, (long) i, 10_000);
        // spread the writes as a trainer would, a step every ~10 ms, so no two share a batch by design
        TimeUnit.MILLISECONDS.sleep(10);
      }
    } finally {
      follower.destroy();
      follower.waitFor(30, TimeUnit.SECONDS);
    }
    double[] ms = new double[events];
    for (int i = 1; i <= events; i++) {
      ms[i - 1] = (arrived.get((long) i) - written[i]) / 1e6;
    }
    return ms;
  }

  private static void waitFor(ConcurrentHashMap<Long, Long> arrived, Long step, long millis) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    while (!arrived.containsKey(step)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("step " + step + " did not arrive within " + millis + " ms");
      }
      Thread.onSpinWait();
    }
  }

  /** Notes when each step's line appears in {@code file}, looking every 0.2 ms. */
  private static void tail(Path file, ConcurrentHashMap<Long, Long> arrived) {
    long position = 0;
    StringBuilder partial = new StringBuilder();
    while (true) {
      try {
        if (Files.exists(file) && Files.size(file) > position) {
          try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            f.seek(position);
            byte[] buf = new byte[(int) (f.length() - position)];
            f.readFully(buf);
            position += buf.length;
            long now = System.nanoTime();
            partial.append(new String(buf, StandardCharsets.UTF_8));
            int nl;
            while ((nl = partial.indexOf("\n")) >= 0) {
              String line = partial.substring(0, nl);
              partial.delete(0, nl + 1);
              int at = line.indexOf("\"step\":");
              if (at >= 0) {
                int end = at + 7;
                while (end < line.length() && Character.isDigit(line.charAt(end))) {
                  end++;
                }
                arrived.putIfAbsent(Long.parseLong(line.substring(at + 7, end)), now);
              }
            }
          }
        }
        TimeUnit.MICROSECONDS.sleep(200);
      } catch (IOException | InterruptedException e) {
        return;
      }
    }
  }

  private static Path yaml(Path dir, String flushInterval) throws IOException {
    Files.createDirectories(dir);
    return Files.writeString(dir.resolve("trainlog.yaml"), String.join("\n",
        "dispatcher:",
        "  journal-dir: " + dir.resolve("journal"),
        "  dead-letter-dir: " + dir.resolve("dead"),
        "defaults: {flush-interval: " + flushInterval + "}",
        "backends:",
        "  lines: {type: jsonl, path: '" + dir.resolve("out") + "/${TRAINLOG_EXPERIMENT}/${TRAINLOG_RUN_NAME}.jsonl'}",
        ""));
  }

  private static boolean hasTensorBoard(String python) {
    try {
      exec(List.of(python, "-c", "import tensorboard"), null);
      return true;
    } catch (Exception e) {
      return false;
    }
  }

  private static String exec(List<String> command, Path dir) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    if (dir != null) {
      pb.directory(dir.toFile());
    }
    Process p = pb.start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed:\n" + output);
    }
    return output;
  }

  private static long lineCount(Path file) {
    try (Stream<String> lines = Files.lines(file)) {
      return lines.count();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static double percentile(double[] values, double p) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) all.sorted(Comparator.reverseOrder())::iterator) {
        Files.delete(p);
      }
    }
  }
}
