package dev.trainlog.benchmarks;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.InsertManyOptions;
import dev.trainlog.cli.common.StopSignal;
import dev.trainlog.cli.TrainlogCli;
import dev.trainlog.mongodb.EmbeddedMongo;
import dev.trainlog.query.TrainlogStore;
import dev.trainlog.query.spec.MetricSeries;
import dev.trainlog.query.spec.RunRecord;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bson.Document;

/**
 * B13 (the class keeps the name it was written under; B10 is the images benchmark): per-run reads of the embedded store service holding 200 runs × 10,000 steps (2M step documents):
 * {@code trainlog show RUN} (target ≤ 1 s) and {@code trainlog compare RUN RUN} (≤ 2 s), warm, each the
 * whole command in this JVM against the service's index on {@code run} and its records; one metric of a
 * long run as a chart through the query module ({@code TrainlogStore.series}, LTTB to 2,000 points), next to
 * the same documents read whole; and the seed's aggregate over the whole collection, which has no index to
 * use, in the service's default heap.
 *
 * <p>Arguments: store directory (benchmarks/target/b10-store; filled once, reused), runs (200), steps
 * (10000), repeats (5), output JSON file, steps of the long run (200000).
 */
public final class B10StoreReads {

  private static final String DB = "ai_training_logs";
  private static final long T0 = 1_764_000_000_000L;

  private B10StoreReads() {}

  public static void main(String[] args) throws Exception {
    Harness.quietLogs();
    Path dir = Harness.pathArg(args, 0, "benchmarks/target/b10-store").toAbsolutePath();
    int runs = Harness.intArg(args, 1, 200);
    int steps = Harness.intArg(args, 2, 10_000);
    int repeats = Harness.intArg(args, 3, 5);
    Path out = Harness.pathArg(args, 4, "benchmarks/target/results/b13.json");
    int longSteps = Harness.intArg(args, 5, 200_000);
    String store = EmbeddedMongo.SCHEME + dir;
    try (EmbeddedMongo.EmbeddedClient embedded = EmbeddedMongo.openClient(dir)) {
      MongoClient client = embedded.client();
      long have = client.getDatabase(DB).getCollection("runs").countDocuments();
      if (have < runs) {
        long t = System.nanoTime();
        fill(client, (int) have, runs, steps);
        System.out.printf("B10: stored %d runs × %d steps in %.1f s%n", runs - have, steps,
            Harness.seconds(System.nanoTime() - t));
      }
      String longRun = "long-" + longSteps;
      if (client.getDatabase(DB).getCollection("runs").countDocuments(new Document("run", longRun)) == 0) {
        long t = System.nanoTime();
        fillRun(client, longRun, "long", 0, longSteps);
        System.out.printf("B10: stored the %d-step run in %.1f s%n", longSteps, Harness.seconds(System.nanoTime() - t));
      }
      String a = "run-" + (runs / 3);
      String b = "run-" + (2 * runs / 3);
      Path report = dir.resolveSibling("b10-compare.html");
      // warm-up: the JIT, the service's caches
      command("show", a, "--store", store);
      command("compare", a, b, "--metric", "loss", "--out", report.toString(), "--store", store);
      List<Double> show = new ArrayList<>();
      List<Double> compare = new ArrayList<>();
      for (int r = 0; r < repeats; r++) {
        String run = "run-" + (r * 37 % runs);
        show.add(command("show", run, "--store", store));
        compare.add(command("compare", run, b, "--metric", "loss", "--out", report.toString(), "--store", store));
        System.out.printf("B10 repeat %d: show %.2f s, compare %.2f s%n", r + 1, show.get(r), compare.get(r));
      }
      String size = String.format("%d runs × %dk steps", runs, steps / 1000);
      List<Row> rows = new ArrayList<>(List.of(
          Row.of("B13", "show, " + size + " (s)", "trainlog show RUN", Harness.toArray(show), "", new double[0],
              Row.Target.atMost(1.0, "≤ 1 s"), "embedded store service (H2 file), index on run and its records, warm"),
          Row.of("B13", "compare of two runs, " + size + " (s)", "trainlog compare A B", Harness.toArray(compare), "",
              new double[0], Row.Target.atMost(2.0, "≤ 2 s"), "embedded store service (H2 file), index on run and its records, warm")));
      rows.addAll(chart(client, store, longRun, longSteps, repeats));
      Row.write(out, rows);
      // once, last: a scan of every document takes minutes at this size, and may not fit the service's heap
      try {
        double aggregate = seedAggregate(client);
        System.out.printf("B10: seed aggregate over every run %.1f s%n", aggregate);
        rows.add(Row.of("B13", "seed aggregate over every run (s)", "$match exp_name $in → $sort → $group",
            new double[] {aggregate}, "", new double[0], Row.Target.none(),
            "no index: a scan of the collection, default heap"));
        Row.write(out, rows);
      } catch (com.mongodb.MongoException e) {
        System.out.printf("B10: seed aggregate over every run failed: %s%n", e.getMessage().lines().findFirst()
            .orElse("").substring(0, Math.min(200, e.getMessage().length())));
      }
    }
    EmbeddedMongo.stop(dir, Duration.ofMinutes(2));
  }

  private static void fill(MongoClient client, int from, int runs, int steps) {
    for (int r = from; r < runs; r++) {
      fillRun(client, "run-" + r, "sweep-" + (r % 10), r, steps);
      if (r % 10 == 9) {
        System.out.printf("B10: %d runs stored%n", r + 1);
      }
    }
  }

  private static void fillRun(MongoClient client, String run, String experiment, int r, int steps) {
    MongoCollection<Document> experiments = client.getDatabase(DB).getCollection("experiments");
    InsertManyOptions unordered = new InsertManyOptions().ordered(false);
    List<Document> batch = new ArrayList<>(1000);
    for (int s = 1; s <= steps; s++) {
      double last = (0.03 + 0.0001 * r) + 0.1 * Math.exp(-4.0 * s / steps);
      batch.add(new Document("_id", run + "/0/" + s + "/" + s).append("exp_name", experiment).append("run", run)
          .append("step", (long) s).append("rank", 0).append("node", "node-0")
          .append("metrics", new Document("loss", last).append("lr", 1e-4 * (1 - (double) s / steps)))
          .append("config", new Document("model", "SDXL").append("lora_rank", 8 << (r % 4)))
          .append("timestamp", new Date(T0 + s * 100L)));
      if (batch.size() == 1000) {
        experiments.insertMany(batch, unordered);
        batch = new ArrayList<>(1000);
      }
    }
    if (!batch.isEmpty()) {
      experiments.insertMany(batch, unordered);
    }
    client.getDatabase(DB).getCollection("runs").insertOne(new Document("_id", run + "/0")
        .append("exp_name", experiment).append("run", run).append("run_name", "r" + r).append("rank", 0)
        .append("world_size", 1).append("node", "node-0")
        .append("config", new Document("model", "SDXL").append("lora_rank", 8 << (r % 4)))
        .append("status", "finished").append("start_time", new Date(T0 + r))
        .append("heartbeat", new Date(T0 + r + 1000)).append("end_time", new Date(T0 + r + 1000))
        .append("heartbeat_interval_ms", 10_000L).append("last_step", (long) steps));
  }

  /**
   * The chart of one metric of the long run through the query module, and for reference the same
   * documents read whole (a filter on exp_name, which the service's records do not hold).
   */
  private static List<Row> chart(MongoClient client, String store, String run, int steps, int repeats) {
    List<Double> chart = new ArrayList<>();
    List<Double> whole = new ArrayList<>();
    MongoCollection<Document> experiments = client.getDatabase(DB).getCollection("experiments");
    Document decoded = new Document("run", run).append("exp_name", "long").append("rank", 0)
        .append("metrics.loss", new Document("$exists", true));
    Document projection = new Document("_id", 0).append("step", 1).append("timestamp", 1).append("metrics.loss", 1);
    try (TrainlogStore query = TrainlogStore.open(store)) {
      RunRecord record = query.run(run).orElseThrow();
      query.series(record, "loss", 2000); // warm-up
      for (int r = 0; r < repeats; r++) {
        long a = System.nanoTime();
        MetricSeries series = query.series(record, "loss", 2000);
        chart.add(Harness.seconds(System.nanoTime() - a));
        if (series.storedPoints() != steps || series.steps().length > 2000) {
          throw new IllegalStateException("the chart has " + series.steps().length + " of " + series.storedPoints());
        }
        a = System.nanoTime();
        int n = experiments.find(decoded).projection(projection).batchSize(10_000).into(new ArrayList<>()).size();
        whole.add(Harness.seconds(System.nanoTime() - a));
        System.out.printf("B10 repeat %d: chart of the %d-step run %.2f s; its documents read whole %.2f s (%d)%n",
            r + 1, steps, chart.get(r), whole.get(r), n);
      }
    }
    String size = steps / 1000 + "k-step run";
    return List.of(
        Row.of("B13", "chart of one metric of a " + size + ", LTTB to 2,000 points (s)", "TrainlogStore.series",
            Harness.toArray(chart), "", new double[0], Row.Target.atMost(1.0, "< 1 s"),
            "embedded store service, read from the run index's records, warm"),
        Row.of("B13", "the same " + steps / 1000 + "k documents read whole (s)", "find, exp_name in the filter",
            Harness.toArray(whole), "", new double[0], Row.Target.none(),
            "each document decoded: what every per-run read cost before the records"));
  }

  private static double seedAggregate(MongoClient client) {
    long t0 = System.nanoTime();
    List<Document> pipeline = List.of(
        Document.parse("{$match: {exp_name: {$in: ['sweep-1', 'sweep-2']}}}"),
        Document.parse("{$sort: {step: 1}}"),
        Document.parse("{$group: {_id: '$exp_name', steps: {$push: '$step'}, losses: {$push: '$metrics.loss'}}}"));
    int groups = client.getDatabase(DB).getCollection("experiments").aggregate(pipeline).allowDiskUse(true)
        .into(new ArrayList<>()).size();
    if (groups != 2) {
      throw new IllegalStateException("the seed aggregate found " + groups + " experiments");
    }
    return Harness.seconds(System.nanoTime() - t0);
  }

  private static double command(String... args) {
    long t0 = System.nanoTime();
    StringWriter err = new StringWriter();
    int code = TrainlogCli.execute(new PrintWriter(new StringWriter()), new PrintWriter(err), Clock.systemUTC(),
        new StopSignal(), args);
    long t1 = System.nanoTime();
    if (code != 0) {
      throw new IllegalStateException(args[0] + " exited " + code + ": " + err);
    }
    return Harness.seconds(t1 - t0);
  }
}
