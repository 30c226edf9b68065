package dev.trainlog.benchmarks;

import com.mongodb.client.MongoClient;
import com.mongodb.client.model.Filters;
import dev.trainlog.api.LogRecord;
import dev.trainlog.api.MetricMap;
import dev.trainlog.api.RunInfo;
import dev.trainlog.api.RunStatus;
import dev.trainlog.mongodb.EmbeddedMongo;
import dev.trainlog.spi.LogBackend;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * B13's fill and ingest figure: runs × steps written through the real MongoDB backend (step documents and
 * series rollups, in batches of the channel's default 512) into an embedded store service, by a few
 * trainers at once, as documents per second. Each run's loss falls to its own floor, so the seed's
 * reached-within question has an answer known in advance ({@link #firstBelow}). Resumable: runs whose
 * {@code runs} document says finished are skipped.
 *
 * <p>Arguments: store directory (benchmarks/target/b13-store), runs (1000), steps (10000), trainers at
 * once (2), batch (512), steps of one more, long run written after them ({@code b13long}; 0: none).
 */
public final class B13StoreIngest {

  static final String DB = "ai_training_logs";
  static final String STEPS = "experiments";
  static final String[] KEYS = {"loss", "lr", "grad_norm", "tokens_per_s", "epoch"};

  private B13StoreIngest() {}

  public static void main(String[] args) throws Exception {
    Harness.quietLogs();
    Path dir = Harness.pathArg(args, 0, "benchmarks/target/b13-store").toAbsolutePath();
    int runs = Harness.intArg(args, 1, 1000);
    int steps = Harness.intArg(args, 2, 10_000);
    int trainers = Harness.intArg(args, 3, 2);
    int batch = Harness.intArg(args, 4, 512);
    int longSteps = Harness.intArg(args, 5, 0);
    java.nio.file.Files.createDirectories(dir);
    Set<String> done = new HashSet<>();
    try (EmbeddedMongo.EmbeddedClient embedded = EmbeddedMongo.openClient(dir)) {
      MongoClient client = embedded.client();
      client.getDatabase(DB).getCollection("runs").find(Filters.eq("status", "finished"))
          .forEach(d -> done.add(d.getString("run")));
      long before = client.getDatabase(DB).getCollection(STEPS).estimatedDocumentCount();
      System.out.printf("B13 ingest: %d runs finished already, %d step documents%n", done.size(), before);
      // keep a connection open, so the service does not stop while trainers come and go
      AtomicLong written = new AtomicLong();
      long t0 = System.nanoTime();
      ExecutorService pool = Executors.newFixedThreadPool(trainers);
      List<Future<?>> futures = new ArrayList<>();
      for (int w = 0; w < trainers; w++) {
        int first = w;
        futures.add(pool.submit(() -> {
          for (int r = first; r < runs; r += trainers) {
            if (!done.contains(runId(r))) {
              writeRun(dir, runId(r), r, runs, steps, batch, written, t0);
            }
          }
          return null;
        }));
      }
      for (Future<?> f : futures) {
        f.get();
      }
      pool.shutdown();
      if (longSteps > 0 && !done.contains(LONG_RUN)) {
        long t = System.nanoTime();
        long longFrom = written.get();
        writeRun(dir, LONG_RUN, runs, runs, longSteps, batch, written, t0);
        System.out.printf("B13 ingest: the %d-step run in %.1f s%n", written.get() - longFrom,
            Harness.seconds(System.nanoTime() - t));
      }
      double seconds = Harness.seconds(System.nanoTime() - t0);
      System.out.printf("B13 ingest: %d step documents in %.1f s: %.0f documents/s (%d trainers, batches of %d)%n",
          written.get(), seconds, written.get() / seconds, trainers, batch);
    }
  }

  /** The long run's id: {@value}. */
  static final String LONG_RUN = "b13long";

  static String runId(int r) {
    return String.format("b13run%04d", r);
  }

  /** The floor run {@code r}'s loss falls to: 0.02 to 0.06, so some runs never go below 0.05. */
  static double floor(int r, int runs) {
    return 0.02 + 0.04 * r / runs;
  }

  static double loss(int r, int runs, long step) {
    double tau = 500 + (r * 7919L % 3000);
    return floor(r, runs) + 0.5 * Math.exp(-step / tau);
  }

  /** The first step (from 1) where run {@code r}'s loss is below {@code threshold}, or -1 within {@code steps}. */
  static long firstBelow(int r, int runs, int steps, double threshold) {
    for (long s = 1; s <= steps; s++) {
      if (loss(r, runs, s) < threshold) {
        return s;
      }
    }
    return -1;
  }

  private static void writeRun(Path dir, String id, int r, int runs, int steps, int batchSize, AtomicLong written,
      long t0) throws Exception {
    long start = System.currentTimeMillis() - (long) (runs - r) * 60_000L - steps * 100L;
    RunInfo info = RunInfo.builder().experiment("sweep-" + (r % 10)).runName("r" + r).runId(id)
        .node("node-0").config(java.util.Map.of("model", r % 2 == 0 ? "SDXL" : "SD15", "lora_rank", 8 << (r % 4)))
        .startTimeMillis(start).build();
    Path work = java.nio.file.Files.createTempDirectory("b13-backend");
    LogBackend backend = Harness.mongoBackend(info, EmbeddedMongo.SCHEME + dir, DB, STEPS, work);
    backend.open();
    List<LogRecord> batch = new ArrayList<>(batchSize);
    for (long s = 1; s <= steps; s++) {
      MetricMap.Builder m = MetricMap.builder(KEYS.length);
      m.put("loss", loss(r, runs, s));
      m.put("lr", 1e-4 * (1 - (double) s / steps));
      m.put("grad_norm", 0.5 + (s % 7) * 0.01);
      m.put("tokens_per_s", 5120.0 + (s % 13));
      m.put("epoch", s / 1000.0);
      batch.add(new LogRecord(info, s, s, start + s * 100L, m.build(), false));
      if (batch.size() == batchSize || s == steps) {
        backend.write(batch);
        written.addAndGet(batch.size());
        batch = new ArrayList<>(batchSize);
      }
    }
    backend.flush();
    backend.close(RunStatus.FINISHED);
    Fixtures.deleteTree(work);
    if (r % 10 == 9) {
      double sec = Harness.seconds(System.nanoTime() - t0);
      System.out.printf("B13 ingest: run %d done, %d documents, %.0f s, %.0f documents/s%n", r, written.get(), sec,
          written.get() / sec);
    }
  }
}
