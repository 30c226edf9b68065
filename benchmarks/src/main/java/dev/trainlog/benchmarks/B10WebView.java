package dev.trainlog.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.InsertManyOptions;
import de.bwaldvogel.mongo.MongoServer;
import dev.trainlog.api.RunInfo;
import dev.trainlog.api.RunStatus;
import dev.trainlog.cli.ui.UiServer;
import dev.trainlog.core.LogDispatcher;
import dev.trainlog.core.spec.ChannelSettings;
import dev.trainlog.core.spec.SampleSpec;
import dev.trainlog.query.TrainlogStore;
import dev.trainlog.query.spec.RunFilter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.bson.Document;

/**
 * B12 (the class keeps the name it was written under; B10 is the images benchmark): the web view and its query API on mongo-java-server over TCP: the seed's reached-within query
 * over {@code runs × steps} step documents, {@code GET /api/runs} over 1,000 runs, one metric of a
 * 1M-step run as a chart (≤ 2,000 points on the wire) and the live latency from {@code log()} to an
 * SSE client with {@code flush-interval: 200ms}.
 *
 * <p>Arguments: runs (1000), steps per run (10000), repeats (3), output JSON file, steps of the long run (1000000).
 */
public final class B10WebView {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long T0 = 1_790_000_000_000L;

  private B10WebView() {}

  public static void main(String[] args) throws Exception {
    Harness.quietLogs();
    int runs = Harness.intArg(args, 0, 1000);
    int steps = Harness.intArg(args, 1, 10_000);
    int repeats = Harness.intArg(args, 2, 3);
    Path out = Harness.pathArg(args, 3, "benchmarks/target/results/b12.json");
    int longSteps = Harness.intArg(args, 4, 1_000_000);
    MongoServer server = Harness.startMongo();
    server.enableOplog();
    Path dir = Fixtures.tempDir("b10");
    HttpClient http = HttpClient.newHttpClient();
    try (MongoClient client = MongoClients.create(Harness.uri(server));
        TrainlogStore store = TrainlogStore.open(Harness.uri(server));
        UiServer ui = UiServer.start(store, "127.0.0.1", 0, null, Duration.ofMillis(200))) {
      String base = "http://127.0.0.1:" + ui.port();
      long t = System.nanoTime();
      fill(client, runs, steps, 0, "run-");
      fill(client, 1, longSteps, runs, "long-");
      System.out.printf("B10: inserted %d documents in %.1f s%n", (long) runs * steps + longSteps,
          Harness.seconds(System.nanoTime() - t));
      List<Double> reached = new ArrayList<>();
      List<Double> list = new ArrayList<>();
      List<Double> chart = new ArrayList<>();
      List<Double> wire = new ArrayList<>();
      int found = 0;
      store.reachedWithin("loss", 0.05, steps / 2, RunFilter.ALL); // warm-up
      for (int r = 0; r < repeats; r++) {
        long a = System.nanoTime();
        found = store.reachedWithin("loss", 0.05, steps / 2, RunFilter.ALL).size();
        reached.add(Harness.seconds(System.nanoTime() - a));
        a = System.nanoTime();
        String body = get(http, base + "/api/runs");
        list.add(Harness.seconds(System.nanoTime() - a) * 1000);
        if (JSON.readTree(body).size() != runs + 1) {
          throw new IllegalStateException("expected " + (runs + 1) + " runs");
        }
        a = System.nanoTime();
        JsonNode series = JSON.readTree(get(http, base + "/api/runs/long-" + runs + "/series?metric=loss&points=2000"));
        chart.add(Harness.seconds(System.nanoTime() - a) * 1000);
        wire.add((double) series.get("steps").size());
        System.out.printf("B10 repeat %d: reached-within %.2f s (%d runs found), /api/runs %.0f ms, chart of the long run"
            + " %.0f ms with %.0f points%n", r + 1, reached.get(r), found, list.get(r), chart.get(r), wire.get(r));
      }
      double[] latency = liveLatency(http, base, Harness.uri(server), dir);
      java.util.Arrays.sort(latency);
      double p50 = latency[latency.length / 2];
      double p99 = latency[(int) Math.ceil(latency.length * 0.99) - 1];
      System.out.printf("B10 live: p50 %.0f ms, p99 %.0f ms over %d points%n", p50, p99, latency.length);
      String scale = String.format("%d runs × %dk steps", runs, steps / 1000);
      Row.write(out, List.of(
          Row.of("B12", "reached-within, " + scale + " (s)", "TrainlogStore.reachedWithin (one aggregation)",
              Harness.toArray(reached), "", new double[0], Row.Target.none(),
              found + " runs found; mongo-java-server memory backend over TCP"),
          Row.of("B12", "GET /api/runs over " + (runs + 1) + " runs (ms)", "trainlog ui", Harness.toArray(list), "",
              new double[0], Row.Target.medianAtMost(200, "< 200 ms"), "from the runs collection alone"),
          Row.of("B12", "GET series of a " + longSteps / 1000 + "k-step run (ms)", "trainlog ui, points=2000", Harness.toArray(chart), "",
              new double[0], Row.Target.medianAtMost(1000, "< 1 s"), "LTTB on the server"),
          Row.of("B12", "points on the wire for a " + longSteps / 1000 + "k-step run", "trainlog ui, points=2000", Harness.toArray(wire), "",
              new double[0], Row.Target.atMost(2000, "≤ 2,000"), "every non-finite point kept"),
          Row.of("B12", "live latency log() → SSE client, p50 (ms)", "flush-interval 200ms", new double[] {p50}, "",
              new double[0], Row.Target.medianAtMost(1000, "< 1 s"), "p99 " + Math.round(p99) + " ms")));
    } finally {
      server.shutdownNow();
      Fixtures.deleteTree(dir);
    }
  }

  private static String get(HttpClient http, String url) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IllegalStateException(url + " answered " + r.statusCode() + ": " + r.body());
    }
    return r.body();
  }

  /** Milliseconds from each {@code log()} to its point arriving at an SSE client of {@code /api/stream}. */
  private static double[] liveLatency(HttpClient http, String base, String uri, Path dir) throws Exception {
    int points = 200;
    RunInfo run = RunInfo.builder().experiment("live").runName("live").runId("live-run").node("node-0").build();
    LogDispatcher d = LogDispatcher.builder(run)
        .backend("mongo", Harness.mongoBackend(run, uri, "ai_training_logs", "experiments", dir.resolve("live")),
            SampleSpec.always(), ChannelSettings.defaults().withFlushInterval(Duration.ofMillis(200)))
        .shutdownHook(false).journalDir(dir.resolve("journal")).deadLetterDir(dir.resolve("dead")).build();
    d.step(0).scalar("loss", 1.0).log();
    d.flush(Duration.ofSeconds(10));
    Map<Long, Long> logged = new ConcurrentHashMap<>();
    List<Double> latency = Collections.synchronizedList(new ArrayList<>());
    CountDownLatch all = new CountDownLatch(points);
    HttpResponse<java.util.stream.Stream<String>> stream = http.send(HttpRequest.newBuilder(
        URI.create(base + "/api/stream?run=live-run&after=0")).header("Accept", "text/event-stream").build(),
        HttpResponse.BodyHandlers.ofLines());
    Thread reader = new Thread(() -> readEvents(stream, logged, latency, all), "b10-sse");
    reader.setDaemon(true);
    reader.start();
    for (long s = 1; s <= points; s++) {
      logged.put(s, System.nanoTime());
      d.step(s).scalar("loss", 1.0 / (s + 1)).log();
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20)); // a training step's pace, not a synchronisation
    }
    if (!all.await(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("only " + latency.size() + " of " + points + " live points arrived");
    }
    d.close(RunStatus.FINISHED);
    stream.body().close();
    return latency.stream().mapToDouble(Double::doubleValue).toArray();
  }

  private static void readEvents(HttpResponse<java.util.stream.Stream<String>> stream, Map<Long, Long> logged,
      List<Double> latency, CountDownLatch all) {
    try {
      stream.body().forEach(line -> {
        if (line.startsWith("data: ")) {
          long now = System.nanoTime();
          try {
            for (JsonNode s : JSON.readTree(line.substring(6)).get("loss").get("steps")) {
              Long at = logged.get(s.asLong());
              if (at != null) {
                latency.add((now - at) / 1e6);
                all.countDown();
              }
            }
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        }
      });
    } catch (java.io.UncheckedIOException e) {
      // the stream was closed once every point had arrived
    }
  }

  /** Step documents as the MongoDB backend stores them ({@code loss} crossing 0.05 at a step that grows with r), and a runs document per run. */
  private static void fill(MongoClient client, int runs, int steps, int offset, String prefix) {
    MongoCollection<Document> experiments = client.getDatabase("ai_training_logs").getCollection("experiments");
    experiments.createIndex(new Document("run", 1).append("rank", 1).append("step", 1));
    InsertManyOptions unordered = new InsertManyOptions().ordered(false);
    for (int r = offset; r < offset + runs; r++) {
      String run = prefix + r;
      List<Document> batch = new ArrayList<>(5000);
      double scale = 200.0 + 20.0 * (r % 1000);
      for (int s = 1; s <= steps; s++) {
        double loss = s % 2500 == 0 ? Double.NaN : 0.03 + Math.exp(-s / scale);
        batch.add(new Document("_id", run + "/0/" + s).append("exp_name", "sweep").append("run", run)
            .append("step", (long) s).append("rank", 0).append("metrics", new Document("loss", loss))
            .append("timestamp", new Date(T0 + s * 100L)));
        if (batch.size() == 5000) {
          experiments.insertMany(batch, unordered);
          batch = new ArrayList<>(5000);
        }
      }
      if (!batch.isEmpty()) {
        experiments.insertMany(batch, unordered);
      }
      client.getDatabase("ai_training_logs").getCollection("runs").insertOne(new Document("_id", run + "/0")
          .append("exp_name", "sweep").append("run", run).append("run_name", "r" + r).append("rank", 0)
          .append("world_size", 1).append("status", "finished").append("start_time", new Date(T0))
          .append("end_time", new Date(T0 + steps * 100L)).append("last_step", (long) steps)
          .append("config", new Document("model", "SDXL").append("seed", r))
          .append("summary", new Document("loss", new Document("path", "metrics.loss").append("count", (long) steps)
              .append("first_step", 1L).append("last_step", (long) steps).append("last", 0.03).append("min", 0.03)
              .append("max", 1.0).append("nan", (long) (steps / 2500)))));
    }
  }
}
