package dev.trainlog.benchmarks;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import de.bwaldvogel.mongo.MongoServer;
import dev.trainlog.api.LogRecord;
import dev.trainlog.api.RunInfo;
import dev.trainlog.api.RunStatus;
import dev.trainlog.core.LogDispatcher;
import dev.trainlog.core.internal.backends.JsonlBackend;
import dev.trainlog.core.spec.ChannelSettings;
import dev.trainlog.core.spec.Durability;
import dev.trainlog.core.spec.Reduce;
import dev.trainlog.core.spec.SampleSpec;
import dev.trainlog.spi.LogBackend;
import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bson.Document;

/**
 * B2: how much a logged training loop slows down. Each step does ~100 µs of CPU work, then logs six
 * metrics to TensorBoard (every step), MongoDB (every 10, mean) and jsonl (every 100). Compared with
 * the same loop without logging and with the seed's naive synchronous dispatcher, which writes each
 * backend inline on the training thread. Variants run interleaved, so drift hits all of them alike.
 *
 * <p>Arguments: steps (100000), repeats (5), output JSON file.
 */
public final class B2TrainingLoop {

  private static final long STEP_NANOS = 100_000;

  private final CpuWork work;
  private final String uri;
  private final MongoClient client;
  private long runs;

  private B2TrainingLoop(CpuWork work, String uri) {
    this.work = work;
    this.uri = uri;
    this.client = MongoClients.create(uri);
  }

  public static void main(String[] args) throws Exception {
    Harness.quietLogs();
    int steps = Harness.intArg(args, 0, 100_000);
    int repeats = Harness.intArg(args, 1, 5);
    Path out = Harness.pathArg(args, 2, "benchmarks/target/results/b2.json");
    MongoServer server = Harness.startMongo();
    try {
      CpuWork work = CpuWork.calibrate(STEP_NANOS);
      System.out.printf("B2: %d steps, %d repeats, work loop of %d iterations per step%n", steps, repeats,
          work.iterations());
      B2TrainingLoop bench = new B2TrainingLoop(work, Harness.uri(server));
      // warm-up of every variant (JIT, class loading, connections); not recorded
      bench.plain(steps / 10);
      bench.trainlog(steps / 10, false, false);
      bench.trainlog(steps / 10, true, false);
      bench.trainlog(steps / 10, false, true);
      bench.naive(steps / 10);
      List<Double> plain = new ArrayList<>();
      List<Double> trainlog = new ArrayList<>();
      List<Double> closing = new ArrayList<>();
      List<Double> naive = new ArrayList<>();
      List<Double> noop = new ArrayList<>();
      List<Double> fsync = new ArrayList<>();
      List<Double> inLog = new ArrayList<>();
      List<Double> inLogFsync = new ArrayList<>();
      List<Double> readersCpu = new ArrayList<>();
      for (int r = 0; r < repeats; r++) {
        plain.add(bench.plain(steps));
        double[] t = bench.trainlog(steps, false, false);
        trainlog.add(t[0]);
        closing.add(t[1]);
        inLog.add(t[2] / plain.get(r) * 100);
        readersCpu.add(t[3]);
        naive.add(bench.naive(steps));
        noop.add(bench.trainlog(steps, true, false)[0]);
        double[] f = bench.trainlog(steps, false, true);
        fsync.add(f[0]);
        inLogFsync.add(f[2] / plain.get(r) * 100);
        System.out.printf("B2 repeat %d: plain %.3f s, TrainLog %.3f s (close %.3f s), naive %.3f s (%.3f s of it"
            + " in insertOne), TrainLog to no-op backends %.3f s, fsync %.3f s; inside log(): %.2f %%, fsync %.2f %%;"
            + " TrainLog's threads: %.1f %% of a core%n",
            r + 1, plain.get(r), t[0], t[1], naive.get(r), bench.lastNaiveMongoSeconds, noop.get(r), fsync.get(r),
            inLog.get(r), inLogFsync.get(r), readersCpu.get(r));
      }
      bench.client.close();
      double[] pairedFsync = new double[repeats];
      for (int r = 0; r < repeats; r++) {
        pairedFsync[r] = (fsync.get(r) / plain.get(r) - 1) * 100;
      }
      double[] paired = new double[repeats];
      for (int r = 0; r < repeats; r++) {
        paired[r] = (trainlog.get(r) / plain.get(r) - 1) * 100;
      }
      String loop = String.format("training loop, %dk steps × 100 µs (s)", steps / 1000);
      Row.write(out, List.of(
          Row.of("B2", loop + ", incl. close", "TrainLog (TB 1, Mongo 10 mean, jsonl 100)",
              Harness.toArray(trainlog), "no logging", Harness.toArray(plain),
              Row.Target.ratioAtMost(1.02, "≤ 1.02× (≤ 2% slowdown)"),
              "TrainLog's total includes close(), which waits for every backend to deliver"),
          Row.of("B2", "slowdown per repeat, TrainLog ÷ the no-logging run just before it − 1 (%)", "TrainLog", paired,
              "", new double[0], Row.Target.medianAtMost(2, "≤ 2%"),
              "each repeat runs no logging, TrainLog, naive, no-op back to back; pairing them cancels the drift"
                  + " between repeats, which is larger than 2% on this shared machine"),
          Row.of("B2", loop + ", incl. close", "TrainLog, durability: fsync (every 1 s)", Harness.toArray(fsync),
              "no logging", Harness.toArray(plain), Row.Target.ratioAtMost(1.02, "≤ 1.02× (≤ 2% slowdown)"),
              "the journal and the cursors forced to the device once a second by the watchdog thread"),
          Row.of("B2", "slowdown per repeat with durability: fsync (%)", "TrainLog, fsync", pairedFsync, "",
              new double[0], Row.Target.medianAtMost(2, "≤ 2%"), ""),
          Row.of("B2", "time the training thread spent inside log(), % of the no-logging loop", "TrainLog",
              Harness.toArray(inLog), "", new double[0], Row.Target.none(),
              "the caller's own cost, timed around each log() call (two System.nanoTime calls a step, some"
                  + " 40 ns, are in it); the rest of a slowdown is other threads taking the training thread's core"),
          Row.of("B2", "time the training thread spent inside log(), % of the no-logging loop",
              "TrainLog, durability: fsync", Harness.toArray(inLogFsync), "", new double[0], Row.Target.none(), ""),
          Row.of("B2", "CPU used by TrainLog's own threads during the loop, % of one core", "TrainLog",
              Harness.toArray(readersCpu), "", new double[0], Row.Target.none(),
              "the three readers and the watchdog (thread CPU time), not the in-process MongoDB server; on a"
                  + " machine with a core to spare this work does not touch the training thread"),
          Row.of("B2", loop, "naive synchronous dispatcher (seed 001)", Harness.toArray(naive), "no logging",
              Harness.toArray(plain), Row.Target.none(), ""),
          Row.of("B2", loop, "TrainLog", Harness.toArray(trainlog), "naive synchronous dispatcher",
              Harness.toArray(naive), Row.Target.none(), ""),
          Row.of("B2", loop + ", incl. close", "TrainLog, same channels and sampling, no-op backends",
              Harness.toArray(noop), "no logging", Harness.toArray(plain), Row.Target.none(),
              "the no-op row is the training thread's own cost (log() and sampling); the rest of TrainLog's"
                  + " slowdown is its workers and the in-process MongoDB server taking CPU on a 2-core machine"),
          Row.of("B2", "TrainLog close() at the end of the run (s)", "TrainLog", Harness.toArray(closing), "",
              new double[0], Row.Target.none(), "")));
    } finally {
      server.shutdownNow();
    }
  }

  /** The loop with no logging at all. */
  private double plain(int steps) {
    long t0 = System.nanoTime();
    long acc = 0;
    for (int s = 0; s < steps; s++) {
      acc += work.step(s);
    }
    long t1 = System.nanoTime();
    consume(acc);
    return Harness.seconds(t1 - t0);
  }

  /**
   * The loop logging through TrainLog; returns {total including close, close alone, time inside log(), CPU
   * of TrainLog's own threads during the loop as % of one core}. With {@code
   * noop} the same three channels and samplers feed backends that do nothing, which separates the
   * training thread's own cost from the backends' work competing with it for the two cores.
   */
  private double[] trainlog(int steps, boolean noop, boolean fsync) throws Exception {
    Path dir = Fixtures.tempDir("b2-trainlog");
    RunInfo run = Fixtures.run("b2-trainlog");
    String collection = "trainlog_" + (runs++);
    LogDispatcher dispatcher = LogDispatcher.builder(run)
        .backend("tensorboard", noop ? new NoopBackend()
                : Harness.tensorBoardBackend(run, dir.resolve("tb"), dir.resolve("data")),
            SampleSpec.every(1), ChannelSettings.defaults())
        .backend("mongo", noop ? new NoopBackend()
                : Harness.mongoBackend(run, uri, "b2", collection, dir.resolve("data")),
            SampleSpec.every(10).reduce(Reduce.MEAN), ChannelSettings.defaults())
        .backend("jsonl", noop ? new NoopBackend() : new JsonlBackend(dir.resolve("run.jsonl")),
            SampleSpec.every(100), ChannelSettings.defaults())
        .journalDir(dir.resolve("journal")).deadLetterDir(dir.resolve("dead")).shutdownHook(false)
        .durability(fsync ? Durability.FSYNC : Durability.PROCESS, Duration.ofSeconds(1)).build();
    double[] gpu = Fixtures.GPU_UTIL.clone();
    long cpu0 = trainlogThreadsCpuNanos();
    long t0 = System.nanoTime();
    long acc = 0;
    long inLog = 0;
    for (int s = 0; s < steps; s++) {
      acc += work.step(s);
      long l0 = System.nanoTime();
      dispatcher.step(s)
          .scalar("loss", Fixtures.loss(s))
          .scalar("lr", 1e-4)
          .scalar("grad_norm", 0.5 + (s % 7) * 0.01)
          .scalar("tokens_per_s", 5120.0)
          .scalar("epoch", s / 1000.0)
          .vector("gpu_util", gpu)
          .log();
      inLog += System.nanoTime() - l0;
    }
    long t1 = System.nanoTime();
    long cpu1 = trainlogThreadsCpuNanos();
    boolean delivered = dispatcher.close(RunStatus.FINISHED, Duration.ofMinutes(5));
    long t2 = System.nanoTime();
    consume(acc);
    if (!delivered || dispatcher.stats().backends().values().stream().anyMatch(b -> b.dropped() > 0)) {
      System.out.println("B2 TrainLog: delivered=" + delivered + " stats=" + dispatcher.stats());
    }
    if (noop) {
      Fixtures.deleteTree(dir);
      return new double[] {Harness.seconds(t2 - t0), Harness.seconds(t2 - t1), Harness.seconds(inLog),
          (cpu1 - cpu0) * 100.0 / (t1 - t0)};
    }
    long stored = client.getDatabase("b2").getCollection(collection).countDocuments();
    // one document per 10 steps, plus the mean of the steps after the last kept one, written at close
    if (stored != steps / 10 + 1) {
      throw new IllegalStateException("MongoDB holds " + stored + " documents, expected " + (steps / 10 + 1));
    }
    client.getDatabase("b2").getCollection(collection).drop();
    Fixtures.deleteTree(dir);
    return new double[] {Harness.seconds(t2 - t0), Harness.seconds(t2 - t1), Harness.seconds(inLog),
        (cpu1 - cpu0) * 100.0 / (t1 - t0)};
  }

  /** CPU time used so far by TrainLog's own threads (readers, watchdog), which run beside the training thread. */
  private static long trainlogThreadsCpuNanos() {
    java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
    long sum = 0;
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().startsWith("trainlog-")) {
        sum += Math.max(0, mx.getThreadCpuTime(t.getId()));
      }
    }
    return sum;
  }

  /** The seed's dispatcher: every backend written inline with its own should_log, insertOne per record. */
  private double naive(int steps) throws Exception {
    Path dir = Fixtures.tempDir("b2-naive");
    RunInfo run = Fixtures.run("b2-naive");
    MongoCollection<Document> collection = client.getDatabase("b2").getCollection("naive_" + (runs++));
    collection.countDocuments(); // connect before the clock starts, as the dispatcher's build does
    // the TensorBoard backend itself, but called inline with one record at a time
    LogBackend tb = Harness.tensorBoardBackend(run, dir.resolve("tb"), dir.resolve("data"));
    tb.open();
    double[] gpu = Fixtures.GPU_UTIL.clone();
    long acc = 0;
    long mongoNanos = 0;
    long t0;
    try (JsonGenerator jsonl = new JsonFactory().createGenerator(
            new BufferedOutputStream(new FileOutputStream(dir.resolve("run.jsonl").toFile())))) {
      t0 = System.nanoTime();
      for (int s = 0; s < steps; s++) {
        acc += work.step(s);
        Map<String, Object> metrics = Fixtures.metrics(s);
        long millis = System.currentTimeMillis();
        // TensorBoard: every step
        tb.write(List.of(new LogRecord(run, s, s, millis, metrics, false)));
        // MongoDB: every 10 steps, one insertOne
        if (s % 10 == 0) {
          long m0 = System.nanoTime();
          collection.insertOne(Harness.seedDocument(run, s, s, millis, metrics));
          mongoNanos += System.nanoTime() - m0;
        }
        // jsonl: every 100 steps
        if (s % 100 == 0) {
          jsonl.writeStartObject();
          jsonl.writeNumberField("step", s);
          jsonl.writeStringField("run", run.runId());
          jsonl.writeNumberField("timestamp", millis);
          jsonl.writeObjectFieldStart("metrics");
          for (Map.Entry<String, Object> e : metrics.entrySet()) {
            if (e.getValue() instanceof double[]) {
              double[] v = (double[]) e.getValue();
              jsonl.writeFieldName(e.getKey());
              jsonl.writeArray(v, 0, v.length);
            } else {
              jsonl.writeNumberField(e.getKey(), (Double) e.getValue());
            }
          }
          jsonl.writeEndObject();
          jsonl.writeEndObject();
          jsonl.writeRaw('\n');
        }
      }
    } finally {
      tb.close(RunStatus.FINISHED);
    }
    long t2 = System.nanoTime();
    consume(acc + gpu.length);
    lastNaiveMongoSeconds = Harness.seconds(mongoNanos);
    collection.drop();
    Fixtures.deleteTree(dir);
    return Harness.seconds(t2 - t0);
  }

  private long sink;
  /** Time the last naive run spent in insertOne, to explain its slowdown. */
  private double lastNaiveMongoSeconds;

  private void consume(long value) {
    sink += value;
    if (sink == 42) {
      System.out.println("unlikely: " + work.sink());
    }
  }
}
