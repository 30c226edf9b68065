package dev.trainlog.benchmarks;

import dev.trainlog.api.LogRecord;
import dev.trainlog.api.RunInfo;
import dev.trainlog.api.RunStatus;
import dev.trainlog.spi.LogBackend;
import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * B4 paired: the TensorBoard backend and the buffered stream of the same framed bytes, timed batch by
 * batch in alternation in one JVM, so both see the same machine. JMH (B4) runs them minutes apart in
 * separate JVMs; on a virtual machine whose cost of a file write drifts by a factor of two within a
 * run, that apart-ness is most of the spread between JMH runs. Each round builds one batch and its
 * bytes untimed, then times the two writes, which go first in turn.
 *
 * <p>Arguments: repeats (default 5), batches per repeat (default 2000), the JSON file to write, the
 * scalars per record to run, comma-separated (default 1,5).
 */
public final class B4Paired {

  private B4Paired() {}

  public static void main(String[] args) throws Exception {
    Harness.quietLogs();
    int repeats = Harness.intArg(args, 0, 5);
    int batches = Harness.intArg(args, 1, 2000);
    Path out = Harness.pathArg(args, 2, "benchmarks/target/results/b4-paired.json");
    List<Row> rows = new ArrayList<>();
    String[] shapes = (args.length > 3 ? args[3] : "1,5").split(",");
    for (String shape : shapes) {
      int scalars = Integer.parseInt(shape.trim());
      B4TensorBoardBenchmark fixture = new B4TensorBoardBenchmark();
      fixture.scalarsPerStep = scalars;
      long[] nextStep = {0};
      // warm-up: JIT, and the first use of the memory the page cache hands out
      for (int w = 0; w < 3; w++) {
        pairedRound(fixture, nextStep, batches);
      }
      List<Double> trainlog = new ArrayList<>();
      List<Double> baseline = new ArrayList<>();
      for (int r = 0; r < repeats; r++) {
        double[] nanos = pairedRound(fixture, nextStep, batches);
        double records = (double) batches * B4TensorBoardBenchmark.BATCH;
        trainlog.add(records * scalars / Harness.seconds((long) nanos[0]));
        baseline.add(records * scalars / Harness.seconds((long) nanos[1]));
        System.out.printf("B4 paired, %d scalar(s)/record, repeat %d: TrainLog %.0f scalars/s, stream %.0f, ratio %.3f%n",
            scalars, r + 1, trainlog.get(r), baseline.get(r), trainlog.get(r) / baseline.get(r));
      }
      String metric = "TensorBoard write, " + B4TensorBoardBenchmark.perRecord(scalars)
          + ", batches of 512, timed in alternation (scalars/s)";
      rows.add(Row.of("B4", metric, "TrainLog TensorBoard backend", Harness.toArray(trainlog), "BufferedOutputStream of the same framed bytes",
          Harness.toArray(baseline), Row.Target.ratioAtLeast(0.5, "≥ 0.5×"), scalars == 1 ? "the rows timed in"
              + " alternation time both writes batch by batch in one JVM, so their ratio does not depend on the"
              + " machine drifting between JMH runs" : ""));
    }
    Row.write(out, rows);
  }

  /** One backend and one stream on new files, {@code batches} rounds; returns the nanoseconds of each. */
  private static double[] pairedRound(B4TensorBoardBenchmark fixture, long[] nextStep, int batches) throws Exception {
    Path dir = Fixtures.tempDir("b4p");
    RunInfo run = Fixtures.run("b4p");
    LogBackend backend = Harness.tensorBoardBackend(run, dir.resolve("tb"), dir.resolve("data"));
    backend.open();
    long trainlogNanos = 0;
    long baselineNanos = 0;
    try (OutputStream stream = new BufferedOutputStream(new FileOutputStream(dir.resolve("baseline").toFile()),
        64 * 1024)) {
      for (int b = 0; b < batches; b++) {
        List<LogRecord> batch = fixture.records(nextStep[0]);
        nextStep[0] += B4TensorBoardBenchmark.BATCH;
        fixture.encodeBatch(batch);
        byte[] framed = fixture.encodedBytes();
        if ((b & 1) == 0) {
          long t0 = System.nanoTime();
          backend.write(batch);
          long t1 = System.nanoTime();
          stream.write(framed);
          stream.flush();
          long t2 = System.nanoTime();
          trainlogNanos += t1 - t0;
          baselineNanos += t2 - t1;
        } else {
          long t0 = System.nanoTime();
          stream.write(framed);
          stream.flush();
          long t1 = System.nanoTime();
          backend.write(batch);
          long t2 = System.nanoTime();
          baselineNanos += t1 - t0;
          trainlogNanos += t2 - t1;
        }
      }
    } finally {
      backend.close(RunStatus.FINISHED);
      Fixtures.deleteTree(dir);
    }
    return new double[] {trainlogNanos, baselineNanos};
  }
}
