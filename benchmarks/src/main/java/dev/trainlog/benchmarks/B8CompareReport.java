package dev.trainlog.benchmarks;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.InsertManyOptions;
import de.bwaldvogel.mongo.MongoServer;
import dev.trainlog.cli.common.StopSignal;
import dev.trainlog.cli.TrainlogCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bson.Document;

/**
 * B8: {@code trainlog compare} of 10 runs × 100k steps builds its report within 1.5× of the raw
 * driver's {@code find} with the same filter and projection iterating the same documents (same
 * server, alternated in one JVM); the report stays under 2 MB; {@code trainlog runs} over 1,000 runs.
 *
 * <p>Arguments: runs (10), steps per run (100000), repeats (5), output JSON file.
 */
public final class B8CompareReport {

  private static final String DB = "b8";
  private static final String RUNS_DB = "b8_runs";
  private static final long T0 = 1_790_000_000_000L;

  private B8CompareReport() {}

  public static void main(String[] args) throws Exception {
    Harness.quietLogs();
    int runs = Harness.intArg(args, 0, 10);
    int steps = Harness.intArg(args, 1, 100_000);
    int repeats = Harness.intArg(args, 2, 5);
    Path out = Harness.pathArg(args, 3, "benchmarks/target/results/b8.json");
    MongoServer server = Harness.startMongo();
    Path dir = Fixtures.tempDir("b8");
    try (MongoClient client = MongoClients.create(Harness.uri(server))) {
      String uri = Harness.uri(server);
      long t = System.nanoTime();
      fill(client, runs, steps);
      System.out.printf("B8: inserted %d documents in %.1f s%n", (long) runs * steps, Harness.seconds(System.nanoTime() - t));
      fillRuns(client, 1000);
      Path report = dir.resolve("compare.html");
      // warm-up: both sides once (JIT, the server's first scan)
      compare(uri, report);
      find(client, runs);
      List<Double> cli = new ArrayList<>();
      List<Double> raw = new ArrayList<>();
      List<Double> size = new ArrayList<>();
      List<Double> list = new ArrayList<>();
      for (int r = 0; r < repeats; r++) {
        boolean cliFirst = r % 2 == 0;
        double a = cliFirst ? compare(uri, report) : find(client, runs);
        double b = cliFirst ? find(client, runs) : compare(uri, report);
        cli.add(cliFirst ? a : b);
        raw.add(cliFirst ? b : a);
        size.add((double) Files.size(report));
        list.add(runsCommand(uri) * 1000);
        System.out.printf("B8 repeat %d: compare %.2f s, raw find %.2f s (ratio %.2f), report %.0f KB, runs over 1000"
            + " runs %.0f ms%n", r + 1, cli.get(r), raw.get(r), cli.get(r) / raw.get(r), size.get(r) / 1024, list.get(r));
      }
      String metric = String.format("compare, %d runs × %dk steps (s)", runs, steps / 1000);
      Row.write(out, List.of(
          Row.of("B8", metric, "trainlog compare → HTML report", Harness.toArray(cli),
              "raw find, same filter and projection, iterated", Harness.toArray(raw),
              Row.Target.ratioAtMost(1.5, "≤ 1.5×"), "1M documents, mongo-java-server memory backend over TCP"),
          Row.of("B8", "compare report size (bytes)", "trainlog compare", Harness.toArray(size), "", new double[0],
              Row.Target.atMost(2 * 1024 * 1024, "< 2 MB"), "uPlot inlined; 10 series of ≤ 2,000 points"),
          Row.of("B8", "runs over 1,000 runs (ms)", "trainlog runs", Harness.toArray(list), "", new double[0],
              Row.Target.none(), "from the runs collection alone (summary per run), no scan of the steps")));
    } finally {
      server.shutdownNow();
      Fixtures.deleteTree(dir);
    }
  }

  /** The steps, shaped as the MongoDB backend stores them, and one runs document per run with its summary. */
  private static void fill(MongoClient client, int runs, int steps) {
    MongoCollection<Document> experiments = client.getDatabase(DB).getCollection("experiments");
    InsertManyOptions unordered = new InsertManyOptions().ordered(false);
    for (int r = 0; r < runs; r++) {
      String run = "run-" + r;
      List<Document> batch = new ArrayList<>(1000);
      double last = 0;
      for (int s = 1; s <= steps; s++) {
        last = (0.03 + 0.001 * r) + 0.1 * Math.exp(-4.0 * s / steps) * (1 + 0.05 * Math.sin(s * 0.37 + r));
        double loss = s % 25_000 == 0 ? Double.NaN : last;
        batch.add(new Document("_id", run + "/0/" + s + "/" + s).append("exp_name", "sweep").append("run", run)
            .append("step", (long) s).append("rank", 0).append("node", "node-0")
            .append("metrics", new Document("loss", loss).append("lr", 1e-4 * (1 - (double) s / steps))
                .append("grad_norm", 0.9))
            .append("config", new Document("model", "SDXL").append("lora_rank", 8 << (r % 4)))
            .append("timestamp", new Date(T0 + s * 100L)));
        if (batch.size() == 1000) {
          experiments.insertMany(batch, unordered);
          batch = new ArrayList<>(1000);
        }
      }
      client.getDatabase(DB).getCollection("runs").insertOne(runsDocument(run, "sweep", r, steps, last));
    }
  }

  private static void fillRuns(MongoClient client, int count) {
    List<Document> docs = new ArrayList<>();
    for (int r = 0; r < count; r++) {
      docs.add(runsDocument("many-" + r, "exp-" + (r % 20), r, 1000, 0.05));
    }
    client.getDatabase(RUNS_DB).getCollection("runs").insertMany(docs);
  }

  private static Document runsDocument(String run, String experiment, int r, long steps, double last) {
    return new Document("_id", run + "/0").append("exp_name", experiment).append("run", run)
        .append("run_name", "r" + r).append("rank", 0).append("world_size", 1).append("node", "node-0")
        .append("tags", new Document("team", "bench"))
        .append("config", new Document("model", "SDXL").append("lora_rank", 8 << (r % 4)))
        .append("status", "finished").append("start_time", new Date(T0 + r)).append("heartbeat", new Date(T0 + r + 1000))
        .append("end_time", new Date(T0 + r + 1000)).append("heartbeat_interval_ms", 10_000L).append("last_step", steps)
        .append("summary", new Document("loss", new Document("path", "metrics.loss").append("count", steps)
            .append("first_step", 1L).append("last_step", steps).append("last", last).append("min", last)
            .append("max", 0.13).append("nan", 0L)));
  }

  /** The whole command in this JVM: connect, read the runs, query, downsample, render, write. */
  private static double compare(String uri, Path report) {
    long t0 = System.nanoTime();
    int code = TrainlogCli.execute(sink(), new PrintWriter(new StringWriter()), Clock.systemUTC(), new StopSignal(),
        "compare", "sweep", "--metric", "loss", "--out", report.toString(), "--store", uri, "--database", DB);
    long t1 = System.nanoTime();
    if (code != 0) {
      throw new IllegalStateException("compare exited " + code);
    }
    return Harness.seconds(t1 - t0);
  }

  /** What a raw-driver user writes: the same filter and projection, every document read. */
  private static double find(MongoClient client, int runs) {
    MongoCollection<Document> experiments = client.getDatabase(DB).getCollection("experiments");
    long t0 = System.nanoTime();
    long seen = 0;
    double sum = 0;
    for (int r = 0; r < runs; r++) {
      for (Document d : experiments.find(new Document("run", "run-" + r).append("rank", 0))
          .projection(new Document("_id", 0).append("step", 1).append("timestamp", 1).append("metrics.loss", 1))
          .batchSize(10_000)) {
        Object loss = d.get("metrics", Document.class).get("loss");
        sum += loss instanceof Number ? ((Number) loss).doubleValue() : 0;
        seen++;
      }
    }
    long t1 = System.nanoTime();
    if (seen == 0 || sum == 0) {
      throw new IllegalStateException("the raw find read nothing");
    }
    return Harness.seconds(t1 - t0);
  }

  private static double runsCommand(String uri) {
    long t0 = System.nanoTime();
    int code = TrainlogCli.execute(sink(), new PrintWriter(new StringWriter()), Clock.systemUTC(), new StopSignal(),
        "runs", "--store", uri, "--database", RUNS_DB);
    long t1 = System.nanoTime();
    if (code != 0) {
      throw new IllegalStateException("runs exited " + code);
    }
    return Harness.seconds(t1 - t0);
  }

  private static PrintWriter sink() {
    return new PrintWriter(Writer.nullWriter());
  }
}
