package dev.trainlog.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trainlog.api.LogRecord;
import dev.trainlog.api.MetricMap;
import dev.trainlog.api.RunInfo;
import dev.trainlog.api.RunStatus;
import dev.trainlog.core.LogDispatcher;
import dev.trainlog.core.StepBuilder;
import dev.trainlog.spi.LogBackend;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * B4: scalars per second written to TensorBoard through the user-facing API, against the Python
 * writers people use (PyTorch's {@code SummaryWriter}, tensorboard's {@code EventFileWriter},
 * tensorboardX) writing the same run: the same steps and tags, one scalar per event and five. Each
 * repeat times TrainLog, then runs {@code b4_python_writers.py} once, so both sides see the same
 * machine in the same minutes.
 *
 * <p>TrainLog is timed three ways: a {@link LogDispatcher} built from YAML with one {@code
 * tensorboard} backend ({@code every: 1}) logging every step, from building it to {@code close()}
 * returning (every record is then in the file), as the Python writers are timed from making the writer
 * to {@code close()}, once with the default settings and once with {@code on-full: block}; and the
 * backend's {@code write} alone, in batches of 512 records built outside the timed region.
 *
 * <p>Arguments: steps (100000), repeats (3), the JSON file to write, the Python interpreter of a venv
 * holding torch, tensorboard and tensorboardX (none: TrainLog's rows only), the script.
 */
public final class B4VsPython {

  /** The scalars of a training step, in the order the LoRA example logs them. */
  static final String[] KEYS = {"loss", "lr", "grad_norm", "tokens_per_s", "epoch"};

  /** Records per {@code write} call when the backend is timed alone: the channel's default batch. */
  static final int BATCH = 512;

  /** TrainLog's runs per shape and way in each repeat: they take milliseconds where Python takes seconds. */
  private static final int TRAINLOG_RUNS_PER_REPEAT = 3;

  /** The target: TrainLog through the dispatcher at least this many times the faster Python writer. */
  static final double TARGET = 20;

  private static final String[] WRITERS = {"torch", "tensorboard", "tensorboardx"};
  private static final Map<String, String> WRITER_NAMES = Map.of(
      "torch", "PyTorch torch.utils.tensorboard.SummaryWriter",
      "tensorboard", "tensorboard's EventFileWriter",
      "tensorboardx", "tensorboardX SummaryWriter");

  private final int steps;
  private int runs;

  private B4VsPython(int steps) {
    this.steps = steps;
  }

  public static void main(String[] args) throws Exception {
    Harness.quietLogs();
    int steps = Harness.intArg(args, 0, 100_000);
    int repeats = Harness.intArg(args, 1, 3);
    Path out = Harness.pathArg(args, 2, "benchmarks/target/results/b4-python.json");
    String python = args.length > 3 && !args[3].isBlank() ? args[3] : null;
    Path script = Harness.pathArg(args, 4, "benchmarks/b4_python_writers.py");
    B4VsPython bench = new B4VsPython(steps);

    // warm-up: JIT, class loading and the first use of the page cache
    for (int w = 0; w < 3; w++) {
      for (int scalars : new int[] {1, 5}) {
        bench.dispatcher(scalars, "spill");
        bench.dispatcher(scalars, "block");
        bench.writeAlone(scalars);
      }
    }
    Map<String, List<Double>> samples = new LinkedHashMap<>();
    String versions = "";
    for (int r = 0; r < repeats; r++) {
      for (int scalars : new int[] {1, 5}) {
        for (int i = 0; i < TRAINLOG_RUNS_PER_REPEAT; i++) {
          add(samples, "spill-" + scalars, steps * scalars / bench.dispatcher(scalars, "spill"));
          add(samples, "block-" + scalars, steps * scalars / bench.dispatcher(scalars, "block"));
          add(samples, "write-" + scalars, steps * scalars / bench.writeAlone(scalars));
        }
      }
      if (python != null) {
        JsonNode result = runPython(python, script, steps);
        versions = result.path("versions").toString();
        for (JsonNode run : result.path("runs")) {
          String key = run.path("writer").asText() + "-" + run.path("scalars_per_event").asInt();
          if (run.has("scalars_per_s")) {
            add(samples, key, run.path("scalars_per_s").asDouble());
          } else {
            System.out.println("B4: " + key + " " + run.path("error").asText());
          }
        }
      }
      System.out.println("B4 repeat " + (r + 1) + ": " + medians(samples));
    }
    List<Row> rows = rows(samples, steps, versions);
    Row.write(out, rows);
  }

  private static void add(Map<String, List<Double>> samples, String key, double value) {
    samples.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
  }

  private static String medians(Map<String, List<Double>> samples) {
    StringBuilder sb = new StringBuilder();
    samples.forEach((k, v) -> sb.append(String.format(Locale.ROOT, "%s %,.0f  ", k, Row.median(Harness.toArray(v)))));
    return sb.toString().trim() + " (scalars/s, medians so far)";
  }

  /** The rows: TrainLog against the faster Python writer (judged), the slower ones, and write alone. */
  static List<Row> rows(Map<String, List<Double>> samples, int steps, String versions) {
    List<Row> rows = new ArrayList<>();
    for (int scalars : new int[] {1, 5}) {
      String shape = scalars == 1 ? "1 scalar per event" : scalars + " scalars per event";
      String run = String.format(Locale.ROOT, "%,d steps, %s", steps, shape);
      double[] dispatcher = Harness.toArray(samples.get("spill-" + scalars));
      double[] blocking = Harness.toArray(samples.get("block-" + scalars));
      double[] write = Harness.toArray(samples.get("write-" + scalars));
      List<String> writers = new ArrayList<>();
      for (String w : WRITERS) {
        if (samples.containsKey(w + "-" + scalars)) {
          writers.add(w);
        }
      }
      writers.sort((a, b) -> Double.compare(median(samples, b + "-" + scalars), median(samples, a + "-" + scalars)));
      String dispatcherMetric = "TensorBoard, " + run + ", LogDispatcher until close() (scalars/s)";
      String subject = "TrainLog, one tensorboard backend, every: 1, default settings";
      String blockingSubject = "TrainLog, the same with on-full: block";
      if (writers.isEmpty()) {
        rows.add(Row.of("B4", dispatcherMetric, subject, dispatcher, "", new double[0], Row.Target.none(),
            scalars == 1 ? "no Python venv was given, so the Python writers did not run (see run.sh)" : ""));
        rows.add(Row.of("B4", dispatcherMetric, blockingSubject, blocking, "", new double[0], Row.Target.none(), ""));
        rows.add(Row.of("B4", "TensorBoard, " + run + ", the backend's write() alone, batches of " + BATCH
            + " (scalars/s)", "TrainLog TensorBoard backend", write, "", new double[0], Row.Target.none(), ""));
        continue;
      }
      String fastest = writers.get(0);
      double[] fastestSamples = Harness.toArray(samples.get(fastest + "-" + scalars));
      rows.add(Row.of("B4", dispatcherMetric, subject, dispatcher, WRITER_NAMES.get(fastest) + " (the faster)",
          fastestSamples, Row.Target.ratioAtLeast(TARGET, "≥ 20×"), scalars == 1 ? "each Python writer is timed"
              + " from making it to close() returning, in one Python process per repeat run between TrainLog's"
              + " runs; five per event: PyTorch and tensorboardX through their file writer's add_summary"
              + (versions.isEmpty() ? "" : "; versions " + versions) : ""));
      for (String w : writers.subList(1, writers.size())) {
        rows.add(Row.of("B4", dispatcherMetric, subject, dispatcher, WRITER_NAMES.get(w),
            Harness.toArray(samples.get(w + "-" + scalars)), Row.Target.none(), ""));
      }
      rows.add(Row.of("B4", dispatcherMetric, blockingSubject, blocking, WRITER_NAMES.get(fastest) + " (the faster)",
          fastestSamples, Row.Target.none(), scalars == 1 ? "every record goes to the journal first and the"
              + " backend's reader follows at its own pace; on-full: block only matters past journal.max-size (2 GiB),"
              + " so the two rows time the same path" : ""));
      rows.add(Row.of("B4", "TensorBoard, " + run + ", the backend's write() alone, batches of " + BATCH
          + " (scalars/s)", "TrainLog TensorBoard backend", write, WRITER_NAMES.get(fastest) + " (the faster)",
          fastestSamples, Row.Target.none(), ""));
    }
    return rows;
  }

  private static double median(Map<String, List<Double>> samples, String key) {
    return Row.median(Harness.toArray(samples.get(key)));
  }

  /**
   * Logs every step through a dispatcher built from YAML whose channel does {@code overflow} when its
   * queue is full, until close() returns; returns the seconds.
   */
  double dispatcher(int scalars, String overflow) throws Exception {
    Path dir = Fixtures.tempDir("b4-dispatcher");
    String yaml = String.join("\n",
        "run:",
        "  experiment: bench-b4",
        "  name: b4-" + (runs++),
        "  config: {model: SDXL, lora_rank: 64, batch_size: 32, lr: 1.0e-4}",
        "dispatcher:",
        "  journal-dir: " + dir.resolve("journal"),
        "  dead-letter-dir: " + dir.resolve("dead"),
        "  shutdown-hook: false",
        "backends:",
        "  tb:",
        "    type: tensorboard",
        "    log-dir: " + dir.resolve("tb"),
        "    sample: {every: 1}",
        "    on-full: " + (overflow.equals("block") ? "block" : "drop-oldest"),
        "");
    long t0 = System.nanoTime();
    LogDispatcher dispatcher = LogDispatcher.fromYaml(yaml, "b4.yaml");
    for (int s = 0; s < steps; s++) {
      double[] v = values(s);
      StepBuilder step = dispatcher.step(s);
      for (int k = 0; k < scalars; k++) {
        step.scalar(KEYS[k], v[k]);
      }
      step.log();
    }
    boolean delivered = dispatcher.close(RunStatus.FINISHED);
    long t1 = System.nanoTime();
    if (!delivered) {
      throw new IllegalStateException("B4: the dispatcher did not deliver every record: " + dispatcher.stats());
    }
    Fixtures.deleteTree(dir);
    return Harness.seconds(t1 - t0);
  }

  /** Writes every step through the backend alone, in batches built untimed; returns the seconds of the writes. */
  double writeAlone(int scalars) throws Exception {
    Path dir = Fixtures.tempDir("b4-write");
    RunInfo run = Fixtures.run("b4-write");
    LogBackend backend = Harness.tensorBoardBackend(run, dir.resolve("tb"), dir.resolve("data"));
    backend.open();
    long nanos = 0;
    try {
      for (int first = 0; first < steps; first += BATCH) {
        List<LogRecord> batch = records(run, first, Math.min(BATCH, steps - first), scalars);
        long t0 = System.nanoTime();
        backend.write(batch);
        nanos += System.nanoTime() - t0;
      }
    } finally {
      backend.close(RunStatus.FINISHED);
      Fixtures.deleteTree(dir);
    }
    return Harness.seconds(nanos);
  }

  /** Records as the dispatcher's step builder makes them: a {@link MetricMap} of boxed doubles. */
  static List<LogRecord> records(RunInfo run, long firstStep, int count, int scalars) {
    List<LogRecord> records = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      long s = firstStep + i;
      double[] v = values(s);
      MetricMap.Builder m = MetricMap.builder(scalars);
      for (int k = 0; k < scalars; k++) {
        m.put(KEYS[k], v[k]);
      }
      records.add(new LogRecord(run, s, s, 1_700_000_000_000L + s, m.build(), false));
    }
    return records;
  }

  /** The five values of step {@code s}; {@code b4_python_writers.py} computes the same. */
  static double[] values(long s) {
    return new double[] {Fixtures.loss(s), 1e-4, 0.5 + (s % 7) * 0.01, 5120.0, s / 1000.0};
  }

  /** Runs the Python writers once; their output is one JSON object. */
  private static JsonNode runPython(String python, Path script, int steps) throws IOException, InterruptedException {
    Path dir = Fixtures.tempDir("b4-python");
    try {
      Process p = new ProcessBuilder(python, script.toString(), Integer.toString(steps), dir.toString())
          .redirectError(ProcessBuilder.Redirect.INHERIT).start();
      byte[] stdout = p.getInputStream().readAllBytes();
      int exit = p.waitFor();
      if (exit != 0) {
        throw new IllegalStateException("B4: " + script + " exited with " + exit);
      }
      return new ObjectMapper().readTree(new String(stdout, StandardCharsets.UTF_8));
    } finally {
      Fixtures.deleteTree(dir);
    }
  }
}
