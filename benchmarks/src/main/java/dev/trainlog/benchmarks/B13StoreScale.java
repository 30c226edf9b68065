package dev.trainlog.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import dev.trainlog.cli.ui.UiServer;
import dev.trainlog.mongodb.EmbeddedMongo;
import dev.trainlog.mongodb.schema.StoreSchema;
import dev.trainlog.query.TrainlogStore;
import dev.trainlog.query.internal.SeriesRead;
import dev.trainlog.query.internal.SeriesRollupRead;
import dev.trainlog.query.spec.MetricSeries;
import dev.trainlog.query.spec.Reached;
import dev.trainlog.query.spec.RunFilter;
import dev.trainlog.query.spec.RunRecord;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.bson.Document;

/**
 * B13 at the scale, over a store {@link B13StoreIngest} filled (runs × steps through the MongoDB
 * backend, rollups included) and served by the embedded store service: the seed's reached-within question
 * through {@code TrainlogStore.reachedWithin} (runs found checked against the answer known in advance),
 * {@code GET /api/runs} of {@code trainlog ui} (first request and warm), and one metric of the longest run
 * charted from the series rollups next to reading every step's point.
 *
 * <p>Arguments: store directory (benchmarks/target/b13-store), runs it holds (1000), steps per run (10000),
 * repeats (3), the long run's id (the last run), then {@code every} to also read every step's point of it (the
 * service's default 512 MB heap does not hold a 1M-step answer: the server library collects it whole), or
 * {@code chart} to measure only the chart (no reached-within, no runs page).
 */
public final class B13StoreScale {

  private static final ObjectMapper JSON = new ObjectMapper();

  private B13StoreScale() {}

  public static void main(String[] args) throws Exception {
    Harness.quietLogs();
    Path dir = Harness.pathArg(args, 0, "benchmarks/target/b13-store").toAbsolutePath();
    int runs = Harness.intArg(args, 1, 1000);
    int steps = Harness.intArg(args, 2, 10_000);
    int repeats = Harness.intArg(args, 3, 3);
    String longRun = args.length > 4 ? args[4] : B13StoreIngest.runId(runs - 1);
    boolean every = args.length > 5 && args[5].equals("every");
    boolean chartOnly = args.length > 5 && args[5].equals("chart");
    long expected = 0;
    for (int r = 0; r < runs; r++) {
      expected += B13StoreIngest.firstBelow(r, runs, steps, 0.05) > 0 ? 1 : 0;
    }
    HttpClient http = HttpClient.newHttpClient();
    try (EmbeddedMongo.EmbeddedClient embedded = EmbeddedMongo.openClient(dir);
        TrainlogStore store = TrainlogStore.open(EmbeddedMongo.SCHEME + dir)) {
      MongoDatabase db = embedded.client().getDatabase(B13StoreIngest.DB);
      System.out.printf("B13 scale: %d runs, %d step documents, %d rollup documents; %d runs reach loss < 0.05%n",
          db.getCollection("runs").countDocuments(), db.getCollection(B13StoreIngest.STEPS).estimatedDocumentCount(),
          db.getCollection(StoreSchema.seriesCollection(B13StoreIngest.STEPS)).estimatedDocumentCount(), expected);
      RunFilter since = RunFilter.ALL.withSince(Instant.now().minus(Duration.ofDays(90)));
      for (int r = 0; r < (chartOnly ? 0 : repeats); r++) {
        long t = System.nanoTime();
        List<Reached> found = store.reachedWithin("loss", 0.05, steps, since);
        System.out.printf("B13 scale: reached-within loss<0.05 within %d steps, since 90d: %.2f s, %d runs found"
            + " (expected %d)%n", steps, Harness.seconds(System.nanoTime() - t), found.size(), expected);
      }
      try (UiServer ui = UiServer.start(store, "127.0.0.1", 0, null, Duration.ofMillis(200))) {
        String base = "http://127.0.0.1:" + ui.port();
        for (int r = 0; r < (chartOnly ? 0 : repeats + 2); r++) {
          long t = System.nanoTime();
          int listed = JSON.readTree(get(http, base + "/api/runs")).size();
          System.out.printf("B13 scale: GET /api/runs %s: %.0f ms, %d runs%n", r == 0 ? "(first)" : "(warm)",
              (System.nanoTime() - t) / 1e6, listed);
        }
        for (int r = 0; r < repeats + 1; r++) {
          long t = System.nanoTime();
          JsonNode chart = JSON.readTree(get(http, base + "/api/runs/" + longRun + "/series?metric=loss&points=2000"));
          System.out.printf("B13 scale: GET series of %s, points=2000: %.0f ms, %d points%n", longRun,
              (System.nanoTime() - t) / 1e6, chart.get("steps").size());
        }
      }
      RunRecord run = store.run(longRun).orElseThrow();
      MongoCollection<Document> rollups = db.getCollection(StoreSchema.seriesCollection(B13StoreIngest.STEPS));
      MongoCollection<Document> stepDocs = db.getCollection(B13StoreIngest.STEPS);
      for (int r = 0; r < repeats + 1; r++) {
        long t = System.nanoTime();
        boolean fromRollups = SeriesRollupRead.chart(rollups, run, "loss", 2000).isPresent();
        double rollupMs = (System.nanoTime() - t) / 1e6;
        t = System.nanoTime();
        MetricSeries series = store.series(run, "loss", 2000);
        double seriesMs = (System.nanoTime() - t) / 1e6;
        System.out.printf("B13 scale: chart of loss of %s: rollup read %.0f ms (covers it: %s), TrainlogStore.series"
            + " %.0f ms (%d of %d points)%n", longRun, rollupMs, fromRollups, seriesMs, series.steps().length,
            series.storedPoints());
        if (every) {
          t = System.nanoTime();
          int n = SeriesRead.read(stepDocs, run.run(), run.lowestRank(), run.pathOf("loss"), -1).steps().length;
          System.out.printf("B13 scale: every step's point of %s read in %.0f ms (%d)%n", longRun,
              (System.nanoTime() - t) / 1e6, n);
        }
      }
    }
  }

  private static String get(HttpClient http, String url) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).build(),
        HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IllegalStateException(url + " answered " + r.statusCode() + ": " + r.body());
    }
    return r.body();
  }
}
