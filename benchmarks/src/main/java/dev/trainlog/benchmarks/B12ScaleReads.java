package dev.trainlog.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.MongoNamespace;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import dev.trainlog.cli.ui.UiServer;
import dev.trainlog.mongodb.schema.StoreSchema;
import dev.trainlog.query.TrainlogStore;
import dev.trainlog.query.spec.Reached;
import dev.trainlog.query.spec.RunFilter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * B12 at the issue's scale, the reading half, in its own JVM against the server {@link B12ScaleStore} filled:
 * the seed's reached-within over every run from the series rollups and, with the rollup collection renamed
 * away, from the aggregation over every step (then back, and the answers compared); {@code GET /api/runs} of
 * {@code trainlog ui} (first request and warm ones); one run's chart, from its steps and from the rollups.
 *
 * <p>Arguments: URI (mongodb://127.0.0.1:27999), within (10000), repeats of the rollup path (3), repeats of the
 * full aggregation (1), output JSON (benchmarks/target/results/b12-scale.json).
 */
public final class B12ScaleReads {

  private static final ObjectMapper JSON = new ObjectMapper();

  private B12ScaleReads() {}

  public static void main(String[] args) throws Exception {
    Harness.quietLogs();
    String uri = args.length > 0 ? args[0] : "mongodb://127.0.0.1:27999";
    int within = Harness.intArg(args, 1, 10_000);
    int repeats = Harness.intArg(args, 2, 3);
    int fullRepeats = Harness.intArg(args, 3, 1);
    Path out = Harness.pathArg(args, 4, "benchmarks/target/results/b12-scale.json");
    HttpClient http = HttpClient.newHttpClient();
    try (MongoClient client = MongoClients.create(uri);
        TrainlogStore store = TrainlogStore.open(uri);
        UiServer ui = UiServer.start(store, "127.0.0.1", 0, null, Duration.ofMillis(200))) {
      MongoDatabase db = client.getDatabase(B12ScaleStore.DATABASE);
      String rollupName = StoreSchema.seriesCollection(B12ScaleStore.STEPS);
      System.out.printf("B12 scale reads: %d step documents, %d rollup documents, %d runs documents; load %s%n",
          db.getCollection(B12ScaleStore.STEPS).estimatedDocumentCount(),
          db.getCollection(rollupName).estimatedDocumentCount(),
          db.getCollection(StoreSchema.DEFAULT_RUNS).estimatedDocumentCount(), load());
      String base = "http://127.0.0.1:" + ui.port();

      double[] list = timed("GET /api/runs", 11, () -> JSON.readTree(get(http, base + "/api/runs")).size());

      List<Reached> viaRollups = new ArrayList<>();
      // no separate warm-up: on this server one call scans every step document once, minutes under load
      double[] rollupSeconds = timedSeconds("reached-within, rollups", repeats, () -> {
        viaRollups.clear();
        viaRollups.addAll(store.reachedWithin("loss", 0.05, within, RunFilter.ALL));
        return viaRollups.size();
      });
      String run = viaRollups.isEmpty() ? "run-0000" : viaRollups.get(0).run().run();
      double[] chartSteps = timed("chart of one run, points=2000 (its steps)", 3, () -> JSON.readTree(
          get(http, base + "/api/runs/" + run + "/series?metric=loss&points=2000")).get("steps").size());
      double[] chartRollups = timed("chart of one run, points=200 (the rollups)", 3, () -> JSON.readTree(
          get(http, base + "/api/runs/" + run + "/series?metric=loss&points=200")).get("steps").size());

      // the full aggregation last: on this server it is the long one, and the rest is measured before it
      String away = rollupName + "_away";
      db.getCollection(rollupName).renameCollection(new MongoNamespace(B12ScaleStore.DATABASE, away));
      List<Reached> everyStep = new ArrayList<>();
      double[] fullSeconds;
      try {
        fullSeconds = timedSeconds("reached-within, every step (rollups renamed away)", fullRepeats, () -> {
          everyStep.clear();
          everyStep.addAll(store.reachedWithin("loss", 0.05, within, RunFilter.ALL));
          return everyStep.size();
        });
      } finally {
        db.getCollection(away).renameCollection(new MongoNamespace(B12ScaleStore.DATABASE, rollupName));
      }
      boolean same = key(viaRollups).equals(key(everyStep));
      System.out.printf("B12 scale reads: %d runs reached loss<0.05 within %d; rollup and full answers %s%n",
          viaRollups.size(), within, same ? "identical" : "DIFFER");
      double[] rollupAgain = timedSeconds("reached-within, rollups again", 1,
          () -> store.reachedWithin("loss", 0.05, within, RunFilter.ALL).size());

      double[] all = new double[rollupSeconds.length + 1];
      System.arraycopy(rollupSeconds, 0, all, 0, rollupSeconds.length);
      all[rollupSeconds.length] = rollupAgain[0];
      Row.write(out, List.of(
          Row.of("B12", "reached-within over every run (s)", "series rollups, then the crossing buckets' steps", all,
              "one aggregation over every step", fullSeconds, Row.Target.none(),
              viaRollups.size() + " runs found; answers " + (same ? "identical" : "differ")),
          Row.of("B12", "GET /api/runs (ms), first then warm", "trainlog ui", list, "", new double[0],
              Row.Target.medianAtMost(200, "< 200 ms"), "first request " + Math.round(list[0]) + " ms"),
          Row.of("B12", "chart of one run, points=2000 (ms)", "trainlog ui, from its steps", chartSteps, "",
              new double[0], Row.Target.none(), ""),
          Row.of("B12", "chart of one run, points=200 (ms)", "trainlog ui, from the rollups", chartRollups, "",
              new double[0], Row.Target.none(), "")));
      System.out.println("B12 scale reads: done, load " + load());
    }
  }

  private static List<String> key(List<Reached> reached) {
    return reached.stream().map(r -> r.run().run() + "@" + r.step() + "/" + r.time() + "/" + r.value()).toList();
  }

  /** Milliseconds of each call, the first one cold; prints each with what it returned. */
  private static double[] timed(String label, int times, Callable<Integer> call) throws Exception {
    double[] ms = new double[times];
    for (int i = 0; i < times; i++) {
      long t = System.nanoTime();
      int size = call.call();
      ms[i] = (System.nanoTime() - t) / 1e6;
      System.out.printf("B12 scale reads: %s #%d: %.0f ms (%d items), load %s%n", label, i + 1, ms[i], size, load());
    }
    return ms;
  }

  private static double[] timedSeconds(String label, int times, Callable<Integer> call) throws Exception {
    double[] ms = timed(label, times, call);
    double[] s = new double[ms.length];
    for (int i = 0; i < ms.length; i++) {
      s[i] = ms[i] / 1000;
    }
    return s;
  }

  private static String load() throws Exception {
    return Files.readString(Path.of("/proc/loadavg")).trim();
  }

  private static String get(HttpClient http, String url) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IllegalStateException(url + " answered " + r.statusCode() + ": " + r.body());
    }
    return r.body();
  }
}
