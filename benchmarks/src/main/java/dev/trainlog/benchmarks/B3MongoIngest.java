package dev.trainlog.benchmarks;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.InsertManyOptions;
import de.bwaldvogel.mongo.MongoServer;
import dev.trainlog.api.RunInfo;
import dev.trainlog.api.RunStatus;
import dev.trainlog.core.LogDispatcher;
import dev.trainlog.core.spec.ChannelSettings;
import dev.trainlog.core.spec.OnFull;
import dev.trainlog.core.spec.SampleSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.bson.Document;

/**
 * B3: MongoDB ingest end to end, records per second: {@code log()} of every record, then {@code
 * flush()} until the server acknowledged all of them, against the raw driver's unordered {@code
 * insertMany} of 1000 and {@code insertOne} per record, same server, same documents. The raw
 * variants build their documents inside the timed section too, as a raw-driver user would.
 *
 * <p>Arguments: records (100000), repeats (5), output JSON file.
 */
public final class B3MongoIngest {

  private final String uri;
  private final MongoClient client;
  private int runs;

  private B3MongoIngest(String uri) {
    this.uri = uri;
    this.client = MongoClients.create(uri);
  }

  public static void main(String[] args) throws Exception {
    Harness.quietLogs();
    int records = Harness.intArg(args, 0, 100_000);
    int repeats = Harness.intArg(args, 1, 5);
    Path out = Harness.pathArg(args, 2, "benchmarks/target/results/b3.json");
    int single = Math.max(1, records / 5);
    MongoServer server = Harness.startMongo();
    try {
      B3MongoIngest bench = new B3MongoIngest(Harness.uri(server));
      ChannelSettings spill = ChannelSettings.defaults();
      ChannelSettings block = ChannelSettings.defaults().withOnFull(OnFull.BLOCK);
      // a full-size warm-up of each variant: the first rounds are markedly slower (JIT, server growth)
      bench.trainlog(records, spill);
      bench.trainlog(records, block);
      bench.insertMany(records);
      bench.insertOne(single / 5);
      List<Double> tlSpill = new ArrayList<>();
      List<Double> tlBlock = new ArrayList<>();
      List<Double> many = new ArrayList<>();
      List<Double> one = new ArrayList<>();
      for (int r = 0; r < repeats; r++) {
        tlSpill.add(bench.trainlog(records, spill));
        tlBlock.add(bench.trainlog(records, block));
        many.add(bench.insertMany(records));
        one.add(bench.insertOne(single));
        System.out.printf("B3 repeat %d: TrainLog %.0f/s (spill), %.0f/s (block), insertMany %.0f/s, insertOne %.0f/s%n",
            r + 1, tlSpill.get(r), tlBlock.get(r), many.get(r), one.get(r));
      }
      bench.client.close();
      String metric = String.format("MongoDB ingest, %dk records (records/s)", records / 1000);
      Row.write(out, List.of(
          Row.of("B3", metric, "TrainLog, default (journal, on-full: drop-oldest)", Harness.toArray(tlSpill),
              "raw insertMany(1000, unordered)", Harness.toArray(many),
              Row.Target.ratioAtLeast(0.8, "≥ 0.8×"), ""),
          Row.of("B3", metric, "TrainLog, on-full: block", Harness.toArray(tlBlock),
              "raw insertMany(1000, unordered)", Harness.toArray(many),
              Row.Target.ratioAtLeast(0.8, "≥ 0.8×"), ""),
          Row.of("B3", metric, "TrainLog, default (journal, on-full: drop-oldest)", Harness.toArray(tlSpill),
              "raw insertOne per record (" + single / 1000 + "k)", Harness.toArray(one), Row.Target.none(), "")));
    } finally {
      server.shutdownNow();
    }
  }

  private double trainlog(int records, ChannelSettings settings) throws Exception {
    Path dir = Fixtures.tempDir("b3");
    RunInfo run = Fixtures.run("b3");
    String name = "trainlog_" + (runs++);
    LogDispatcher dispatcher = LogDispatcher.builder(run)
        .backend("mongo", Harness.mongoBackend(run, uri, "b3", name, dir.resolve("data")), SampleSpec.always(),
            settings)
        .journalDir(dir.resolve("journal")).deadLetterDir(dir.resolve("dead")).shutdownHook(false).build();
    // the first record waits for open (indexes, runs document); time the ingest, not the connection
    dispatcher.log(-1, Fixtures.metrics(0));
    if (!dispatcher.flush(Duration.ofMinutes(1))) {
      throw new IllegalStateException("the MongoDB backend did not open");
    }
    long t0 = System.nanoTime();
    for (int s = 0; s < records; s++) {
      dispatcher.log(s, Fixtures.metrics(s));
    }
    if (!dispatcher.flush(Duration.ofMinutes(5))) {
      throw new IllegalStateException("flush timed out: " + dispatcher.stats());
    }
    long t1 = System.nanoTime();
    dispatcher.close(RunStatus.FINISHED, Duration.ofMinutes(1));
    check(name, records + 1);
    Fixtures.deleteTree(dir);
    return records / Harness.seconds(t1 - t0);
  }

  private double insertMany(int records) {
    RunInfo run = Fixtures.run("b3-raw");
    String name = "many_" + (runs++);
    MongoCollection<Document> collection = client.getDatabase("b3").getCollection(name);
    collection.countDocuments();
    InsertManyOptions unordered = new InsertManyOptions().ordered(false);
    long t0 = System.nanoTime();
    List<Document> batch = new ArrayList<>(1000);
    for (int s = 0; s < records; s++) {
      batch.add(Harness.seedDocument(run, s, s, System.currentTimeMillis(), Fixtures.metrics(s)));
      if (batch.size() == 1000 || s == records - 1) {
        collection.insertMany(batch, unordered);
        batch = new ArrayList<>(1000);
      }
    }
    long t1 = System.nanoTime();
    check(name, records);
    return records / Harness.seconds(t1 - t0);
  }

  private double insertOne(int records) {
    RunInfo run = Fixtures.run("b3-one");
    String name = "one_" + (runs++);
    MongoCollection<Document> collection = client.getDatabase("b3").getCollection(name);
    collection.countDocuments();
    long t0 = System.nanoTime();
    for (int s = 0; s < records; s++) {
      collection.insertOne(Harness.seedDocument(run, s, s, System.currentTimeMillis(), Fixtures.metrics(s)));
    }
    long t1 = System.nanoTime();
    check(name, records);
    return records / Harness.seconds(t1 - t0);
  }

  /** Every record arrived once; then the collection is dropped so the server's memory stays flat. */
  private void check(String name, long expected) {
    MongoCollection<Document> collection = client.getDatabase("b3").getCollection(name);
    long stored = collection.countDocuments();
    if (stored != expected) {
      throw new IllegalStateException(name + " holds " + stored + " documents, expected " + expected);
    }
    collection.drop();
  }
}
