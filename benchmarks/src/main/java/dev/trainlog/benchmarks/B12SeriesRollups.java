package dev.trainlog.benchmarks;

import com.mongodb.MongoNamespace;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import de.bwaldvogel.mongo.MongoServer;
import dev.trainlog.api.RunInfo;
import dev.trainlog.api.RunStatus;
import dev.trainlog.core.LogDispatcher;
import dev.trainlog.core.spec.ChannelSettings;
import dev.trainlog.core.spec.OnFull;
import dev.trainlog.core.spec.SampleSpec;
import dev.trainlog.mongodb.schema.StoreSchema;
import dev.trainlog.query.TrainlogStore;
import dev.trainlog.query.spec.MetricSeries;
import dev.trainlog.query.spec.RunRecord;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Supplier;

/**
 * B12, the chart of one metric of a long run: the run written through the MongoDB backend (which keeps the
 * series rollups) into mongo-java-server in-process over TCP, then {@code TrainlogStore.series(run, "loss",
 * 2000)} with the rollups and, with the rollup collection renamed away, from every step; median of warm reads.
 *
 * <p>Arguments: steps of the run (1000000), warm reads per side (5).
 */
public final class B12SeriesRollups {

  private static final String DATABASE = "b12";
  private static final String STEPS = "experiments";

  private B12SeriesRollups() {}

  public static void main(String[] args) throws Exception {
    Harness.quietLogs();
    int steps = Harness.intArg(args, 0, 1_000_000);
    int reads = Harness.intArg(args, 1, 5);
    MongoServer server = Harness.startMongo();
    Path dir = Fixtures.tempDir("b12");
    try (MongoClient client = MongoClients.create(Harness.uri(server))) {
      RunInfo info = Fixtures.run("b12");
      double seconds = write(info, Harness.uri(server), dir, steps);
      System.out.printf("B12: wrote %d steps through the MongoDB backend in %.1f s (%.0f steps/s, rollups on)%n",
          steps, seconds, steps / seconds);
      MongoDatabase db = client.getDatabase(DATABASE);
      System.out.printf("B12: %d rollup documents%n",
          db.getCollection(StoreSchema.seriesCollection(STEPS)).countDocuments());
      TrainlogStore store = TrainlogStore.on(db, STEPS, StoreSchema.DEFAULT_RUNS, Clock.systemUTC());
      RunRecord run = store.run(info.runId()).orElseThrow();
      report("with rollups", () -> store.series(run, "loss", 2000), reads);
      String away = StoreSchema.seriesCollection(STEPS) + "_away";
      db.getCollection(StoreSchema.seriesCollection(STEPS)).renameCollection(new MongoNamespace(DATABASE, away));
      report("every step (no rollups)", () -> store.series(run, "loss", 2000), reads);
    } finally {
      server.shutdownNow();
      Fixtures.deleteTree(dir);
    }
  }

  private static double write(RunInfo run, String uri, Path dir, int steps) throws Exception {
    LogDispatcher dispatcher = LogDispatcher.builder(run)
        .backend("mongo", Harness.mongoBackend(run, uri, DATABASE, STEPS, dir.resolve("data")), SampleSpec.always(),
            ChannelSettings.defaults().withOnFull(OnFull.BLOCK))
        .journalDir(dir.resolve("journal")).deadLetterDir(dir.resolve("dead")).shutdownHook(false).build();
    long t0 = System.nanoTime();
    for (int s = 0; s < steps; s++) {
      dispatcher.log(s, Fixtures.metrics(s));
    }
    if (!dispatcher.flush(Duration.ofMinutes(30))) {
      throw new IllegalStateException("flush timed out: " + dispatcher.stats());
    }
    long t1 = System.nanoTime();
    dispatcher.close(RunStatus.FINISHED, Duration.ofMinutes(1));
    return Harness.seconds(t1 - t0);
  }

  private static void report(String label, Supplier<MetricSeries> chart, int reads) {
    MetricSeries first = chart.get(); // warm-up
    List<Double> ms = new ArrayList<>();
    for (int i = 0; i < reads; i++) {
      long t = System.nanoTime();
      chart.get();
      ms.add((System.nanoTime() - t) / 1e6);
    }
    Collections.sort(ms);
    System.out.printf("B12: chart of loss, %s: %d points of %d, median %.0f ms (min %.0f, max %.0f) over %d warm reads%n",
        label, first.size(), first.storedPoints(), ms.get(ms.size() / 2), ms.get(0), ms.get(ms.size() - 1), reads);
  }
}
