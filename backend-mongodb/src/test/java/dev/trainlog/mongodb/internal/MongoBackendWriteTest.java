package dev.trainlog.mongodb.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.mongodb.MongoClientSettings;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Sorts;
import com.mongodb.event.CommandListener;
import com.mongodb.event.CommandStartedEvent;
import dev.trainlog.api.LogRecord;
import dev.trainlog.api.RunInfo;
import dev.trainlog.api.RunStatus;
import dev.trainlog.spi.BackendException;
import dev.trainlog.spi.LogBackend;
import dev.trainlog.testkit.TestRecords;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bson.BsonDocument;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the backend stores, read back with the raw driver. */
class MongoBackendWriteTest {

  @TempDir Path dir;
  private TestServer server;
  private MongoClient client;
  private MongoCollection<Document> experiments;
  private final List<LogBackend> backends = new ArrayList<>();

  @BeforeEach
  void start() {
    server = TestServer.memory();
    client = Fixtures.client(server.uri());
    experiments = client.getDatabase("ai_training_logs").getCollection("experiments");
  }

  @AfterEach
  void stop() throws Exception {
    for (LogBackend b : backends) {
      b.close(RunStatus.FINISHED);
    }
    client.close();
    server.close();
  }

  private LogBackend open(MongoBackendConfig config, RunInfo run) throws Exception {
    LogBackend backend = Fixtures.backend(config, run, dir);
    backends.add(backend);
    backend.open();
    return backend;
  }

  @Test
  void aRecordIsStoredFieldByFieldAsTheSeedShapesIt() throws Exception {
    RunInfo run = TestRecords.run("sd-lora-anime-v4", "rank64");
    Map<String, Object> grads = new LinkedHashMap<>();
    grads.put("norm", 0.91);
    grads.put("layer.0", 0.5);
    Map<String, Object> metrics = new LinkedHashMap<>();
    metrics.put("loss", 0.0382);
    metrics.put("gpu_util", new double[] {78, 82, 76, 80});
    metrics.put("grad", grads);
    metrics.put("$weird.key%", 1.0);
    metrics.put("nan", Double.NaN);
    metrics.put("pinf", Double.POSITIVE_INFINITY);
    metrics.put("ninf", Double.NEGATIVE_INFINITY);
    metrics.put("caption", "a cat");
    open(Fixtures.config(server.uri()), run).write(List.of(TestRecords.record(run, 5670, metrics)));

    Document doc = experiments.find().first();
    assertThat(doc.keySet()).containsExactly("_id", "exp_name", "run", "step", "rank", "node", "metrics", "config", "timestamp");
    assertThat(doc.get("_id")).isEqualTo("sd-lora-anime-v4-rank64-id/0/5670/5670");
    assertThat(doc.getString("exp_name")).isEqualTo("sd-lora-anime-v4");
    assertThat(doc.getString("run")).isEqualTo("sd-lora-anime-v4-rank64-id");
    assertThat(doc.get("step")).isEqualTo(5670L);
    assertThat(doc.get("rank")).isEqualTo(0);
    assertThat(doc.getString("node")).isEqualTo("node-0");
    assertThat(doc.get("timestamp")).isEqualTo(new Date(TestRecords.START_MILLIS + 5670 * 1000L));
    Document m = doc.get("metrics", Document.class);
    assertThat(m.keySet()).containsExactly("loss", "gpu_util", "grad", "%24weird%2Ekey%25", "nan", "pinf", "ninf", "caption");
    assertThat(m.get("loss")).isEqualTo(0.0382);
    assertThat(m.getList("gpu_util", Double.class)).containsExactly(78.0, 82.0, 76.0, 80.0);
    assertThat(m.get("grad", Document.class)).isEqualTo(new Document("norm", 0.91).append("layer%2E0", 0.5));
    assertThat(m.keySet()).extracting(KeyEscaping::unescape)
        .containsExactly("loss", "gpu_util", "grad", "$weird.key%", "nan", "pinf", "ninf", "caption");
    assertThat(m.get("nan")).isInstanceOf(Double.class).matches(v -> ((Double) v).isNaN());
    assertThat(m.get("pinf")).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(m.get("ninf")).isEqualTo(Double.NEGATIVE_INFINITY);
    assertThat(m.get("caption")).isEqualTo("a cat");
    // by default every scalar config value, not the nested optimizer block
    assertThat(doc.get("config", Document.class))
        .isEqualTo(new Document("model", "SDXL").append("lora_rank", 64).append("batch_size", 32));
  }

  @Test
  void configSnapshotPicksTheListedKeysIncludingNestedOnes() throws Exception {
    RunInfo run = TestRecords.run("exp", "r");
    MongoBackendConfig config = new MongoBackendConfig(server.uri(), null, null, null, null,
        List.of("model", "optimizer.lr", "missing"), null, null, null, null, null, null, null);
    open(config, run).write(TestRecords.scalarSteps(run, 0, 1));

    assertThat(experiments.find().first().get("config", Document.class))
        .isEqualTo(new Document("model", "SDXL").append("optimizer", new Document("lr", 1.0e-4)));
  }

  @Test
  void aReplayedBatchInsertsNothingTwice() throws Exception {
    RunInfo run = TestRecords.run("exp", "r");
    LogBackend backend = open(Fixtures.config(server.uri()), run);
    backend.write(TestRecords.scalarSteps(run, 0, 10));
    backend.write(TestRecords.scalarSteps(run, 0, 10));
    backend.write(TestRecords.scalarSteps(run, 5, 12));

    List<Long> steps = new ArrayList<>();
    experiments.find().sort(Sorts.ascending("step")).forEach(d -> steps.add(d.getLong("step")));
    assertThat(steps).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L);
  }

  @Test
  void aRecordWithTheIdOfAStoredOneButAnotherWallTimeIsStoredBesideItNotTakenForAReplay() throws Exception {
    RunInfo run = TestRecords.run("exp", "r");
    LogBackend backend = open(Fixtures.config(server.uri()), run);
    LogRecord first = new LogRecord(run, 5, 3, 1_000, Map.of("loss", 1.0), false);
    LogRecord resumed = new LogRecord(run, 5, 3, 2_000, Map.of("loss", 2.0), false);
    backend.write(List.of(first));
    backend.write(List.of(resumed));
    backend.write(List.of(first, resumed)); // both replayed: nothing more

    List<String> ids = new ArrayList<>();
    List<Double> losses = new ArrayList<>();
    experiments.find().sort(Sorts.ascending("timestamp")).forEach(d -> {
      ids.add(d.getString("_id"));
      losses.add(((Document) d.get("metrics")).getDouble("loss"));
    });
    assertThat(ids).containsExactly("exp-r-id/0/5/3", "exp-r-id/0/5/3@2000");
    assertThat(losses).containsExactly(1.0, 2.0);
  }

  @Test
  void aBulkWithADuplicateAndGenuinelyBadDocumentsReportsOnlyTheBadOnes() throws Exception {
    RunInfo run = TestRecords.run("exp", "r");
    // a unique index of the user's: a clash there is a real error, unlike a clash on _id
    experiments.createIndex(new Document("metrics.sample_id", 1), new IndexOptions().unique(true));
    LogBackend backend = open(MongoBackendConfig.forUri(server.uri()), run);
    backend.write(List.of(sample(run, 0, 100)));

    LogRecord replayed = sample(run, 0, 100);
    LogRecord clash = sample(run, 1, 100);
    LogRecord tooLarge = TestRecords.record(run, 2, Map.of("huge", new double[1_100_000]));
    LogRecord fine = sample(run, 3, 103);
    BackendException e = catchThrowableOfType(BackendException.class,
        () -> backend.write(List.of(replayed, clash, tooLarge, fine)));

    assertThat(e.retryable()).isFalse();
    assertThat(e.failedRecords()).containsExactlyInAnyOrder(clash, tooLarge);
    assertThat(e.getMessage()).startsWith("2 of 4 records were refused by ai_training_logs.experiments: ")
        .containsPattern("exp-r-id/0/2/2: document of 1[78]\\d{6} bytes exceeds the limit of 16777216")
        .contains("exp-r-id/0/1/1: E11000 duplicate key error");
    List<Long> steps = new ArrayList<>();
    experiments.find().sort(Sorts.ascending("step")).forEach(d -> steps.add(d.getLong("step")));
    assertThat(steps).containsExactly(0L, 3L);
  }

  private static LogRecord sample(RunInfo run, long step, double sampleId) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("loss", 0.5);
    m.put("sample_id", sampleId);
    return TestRecords.record(run, step, m);
  }

  @Test
  void eachBatchIsOneUnorderedInsertHoweverLarge() throws Exception {
    RunInfo run = TestRecords.run("exp", "r");
    List<BsonDocument> inserts = new ArrayList<>();
    CommandListener listener = new CommandListener() {
      @Override
      public void commandStarted(CommandStartedEvent event) {
        if (event.getCommandName().equals("insert")) {
          inserts.add(event.getCommand());
        }
      }
    };
    MongoBackend backend = new MongoBackend("mongo", run, Fixtures.config(server.uri()), Fixtures.CLOCK,
        name -> null, settings -> MongoClientSettings.builder(settings).addCommandListener(listener).build());
    backends.add(backend);
    backend.open();

    // the channel's batch-size decides how many records a write gets: 512 by default, here 1000
    backend.write(TestRecords.scalarSteps(run, 0, 1000));
    backend.write(TestRecords.scalarSteps(run, 1000, 1003));

    // the runs document is upserted with update commands, so these are the step documents alone
    assertThat(inserts).hasSize(2);
    assertThat(inserts.get(0).getArray("documents")).hasSize(1000);
    assertThat(inserts.get(0).getBoolean("ordered").getValue()).isFalse();
    assertThat(inserts.get(1).getArray("documents")).hasSize(3);
    assertThat(experiments.countDocuments()).isEqualTo(1003);
  }

  @Test
  void theBuiltInAndConfiguredIndexesExistAfterTwoOpens() throws Exception {
    RunInfo run = TestRecords.run("exp", "r");
    Map<String, Object> keys = new LinkedHashMap<>();
    keys.put("config.model", 1);
    keys.put("metrics.loss", 1);
    MongoBackendConfig config = new MongoBackendConfig(server.uri(), null, null, null, null, null,
        List.of(new MongoBackendConfig.IndexConfig(keys, null, null)), null, null, null, null, null, null);
    open(config, run).close(RunStatus.FINISHED);
    open(config, run);

    List<Document> keyDocs = new ArrayList<>();
    experiments.listIndexes().forEach(i -> keyDocs.add(i.get("key", Document.class)));
    assertThat(keyDocs).containsExactlyInAnyOrder(
        new Document("_id", 1),
        new Document("exp_name", 1).append("step", 1),
        new Document("run", 1).append("rank", 1).append("step", 1),
        new Document("config.model", 1).append("metrics.loss", 1));
  }

  @Test
  void everyRankWritesToOneCollectionAndNodesCanBeComparedWithGroup() throws Exception {
    for (int rank = 0; rank < 4; rank++) {
      RunInfo run = TestRecords.run("dist-sdxl-lora", "r", rank, 4, rank < 2 ? "node-a" : "node-b");
      List<LogRecord> batch = new ArrayList<>();
      for (long step = 0; step < 3; step++) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("loss", 0.1 * (rank + 1));
        m.put("gpu_util", new double[] {50 + 10 * rank});
        batch.add(TestRecords.record(run, step, m));
      }
      open(Fixtures.config(server.uri()), run).write(batch);
    }

    List<Document> pipeline = List.of(
        Document.parse("{$match: {exp_name: \"dist-sdxl-lora\"}}"),
        Document.parse("{$group: {_id: \"$node\", records: {$sum: 1}, ranks: {$addToSet: \"$rank\"}, "
            + "max_loss: {$max: \"$metrics.loss\"}}}"),
        Document.parse("{$sort: {_id: 1}}"));
    List<Document> perNode = experiments.aggregate(pipeline).into(new ArrayList<>());

    assertThat(perNode).extracting(d -> d.getString("_id")).containsExactly("node-a", "node-b");
    assertThat(perNode).extracting(d -> d.getInteger("records")).containsExactly(6, 6);
    assertThat(perNode.get(0).getList("ranks", Integer.class)).containsExactlyInAnyOrder(0, 1);
    assertThat(perNode.get(1).getList("ranks", Integer.class)).containsExactlyInAnyOrder(2, 3);
    assertThat(perNode).extracting(d -> d.getDouble("max_loss")).containsExactly(0.2, 0.4);
  }
}
