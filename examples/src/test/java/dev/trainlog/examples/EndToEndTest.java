package dev.trainlog.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import dev.trainlog.api.RunInfo;
import dev.trainlog.api.RunStatus;
import dev.trainlog.core.LogDispatcher;
import dev.trainlog.core.spec.BackendStats;
import dev.trainlog.core.spec.ChannelSettings;
import dev.trainlog.core.spec.Reduce;
import dev.trainlog.core.spec.SampleSpec;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** YAML to real stores: TensorBoard files, a MongoDB wire-protocol server over TCP, and JSON lines. */
class EndToEndTest {

  @TempDir Path dir;
  private MongoServer server;
  private int port;
  private MongoClient client;

  @BeforeEach
  void startServer() {
    server = new MongoServer(new MemoryBackend());
    InetSocketAddress address = server.bind();
    port = address.getPort();
    client = MongoClients.create("mongodb://127.0.0.1:" + port);
  }

  @AfterEach
  void stopServer() {
    client.close();
    server.shutdownNow();
  }

  private String yaml(String mongoSample) {
    return String.join("\n",
        "run:",
        "  experiment: e2e",
        "  name: r64",
        "  id: e2e-run",
        "  config: {model: SDXL, lora_rank: 64, batch_size: 32, db_password: hunter2}",
        "dispatcher: {journal-dir: " + dir.resolve("journal") + ", dead-letter-dir: " + dir.resolve("dead")
            + ", shutdown-hook: false}",
        "defaults: {flush-interval: 100ms, retry-initial-backoff: 10ms, retry-max-backoff: 200ms}",
        "backends:",
        "  tb: {type: tensorboard, sample: {every: 1}, log-dir: " + dir.resolve("runs") + "}",
        "  mongo:",
        "    type: mongodb",
        "    sample: " + mongoSample,
        "    uri: mongodb://127.0.0.1:" + port,
        "    server-selection-timeout: 300ms",
        "    config-snapshot: [model, lora_rank]",
        "  jsonl: {type: jsonl, sample: {every: 100}, path: " + dir.resolve("m.jsonl") + "}",
        "");
  }

  private MongoCollection<Document> experiments() {
    return client.getDatabase("ai_training_logs").getCollection("experiments");
  }

  private List<Long> storedSteps() {
    return experiments().find().sort(new Document("step", 1)).into(new ArrayList<>()).stream()
        .map(d -> ((Number) d.get("step")).longValue()).collect(Collectors.toList());
  }

  @Test
  void eachBackendGetsItsOwnRateFromOneYaml() throws Exception {
    try (LogDispatcher d = LogDispatcher.fromYaml(yaml("{every: 10, reduce: mean}"), "e2e.yaml")) {
      for (long step = 1; step <= 500; step++) {
        d.step(step).scalar("loss", step).vector("gpu_util", new double[] {step, step + 2}).log();
      }
      assertThat(d.flush(Duration.ofSeconds(30))).isTrue();
    }
    List<Long> steps = storedSteps();
    assertThat(steps).containsExactlyElementsOf(LongStream.rangeClosed(1, 50).map(i -> i * 10).boxed().toList());
    Document at20 = experiments().find(new Document("step", 20)).first();
    assertThat(at20.get("metrics", Document.class).getDouble("loss")).isEqualTo(15.5); // mean of 11..20
    assertThat(at20.get("metrics", Document.class).getList("gpu_util", Double.class)).containsExactly(15.5, 17.5);
    assertThat(at20.get("config", Document.class)).isEqualTo(new Document("model", "SDXL").append("lora_rank", 64));
    Document runDoc = client.getDatabase("ai_training_logs").getCollection("runs").find().first();
    assertThat(runDoc.getString("status")).isEqualTo("finished");
    assertThat(runDoc.get("config", Document.class).getString("db_password")).isEqualTo("****");
    assertThat(Files.readAllLines(dir.resolve("m.jsonl"))).hasSize(5);
    try (var files = Files.walk(dir.resolve("runs"))) {
      assertThat(files.filter(p -> p.getFileName().toString().contains("tfevents")).count()).isEqualTo(1);
    }
  }

  @Test
  void theBuilderMakesTheSameBackendsByTypeFromMapsOfTheirSettings() throws Exception {
    RunInfo run = RunInfo.builder().experiment("e2e").runName("built").build();
    try (LogDispatcher d = LogDispatcher.builder(run)
        .journalDir(dir.resolve("journal")).deadLetterDir(dir.resolve("dead")).shutdownHook(false)
        .backend("tb", "tensorboard", Map.of("log-dir", dir.resolve("runs").toString()), SampleSpec.every(1),
            ChannelSettings.defaults())
        .backend("mongo", "mongodb", Map.of("uri", "mongodb://127.0.0.1:" + port, "server-selection-timeout", "300ms"),
            SampleSpec.every(10).reduce(Reduce.MEAN), ChannelSettings.defaults())
        .build()) {
      for (long step = 1; step <= 100; step++) {
        d.step(step).scalar("loss", step).log();
      }
      assertThat(d.flush(Duration.ofSeconds(30))).isTrue();
    }
    assertThat(storedSteps()).containsExactlyElementsOf(LongStream.rangeClosed(1, 10).map(i -> i * 10).boxed().toList());
    assertThat(experiments().find(new Document("step", 20)).first().get("metrics", Document.class).getDouble("loss"))
        .isEqualTo(15.5);
    Document runDoc = client.getDatabase("ai_training_logs").getCollection("runs").find().first();
    assertThat(runDoc.getString("run_name")).isEqualTo("built");
    try (var files = Files.walk(dir.resolve("runs"))) {
      assertThat(files.filter(p -> p.getFileName().toString().contains("tfevents")).toList())
          .singleElement().satisfies(p -> assertThat(Files.size(p)).isPositive());
    }
  }

  @Test
  void aMongoOutageMidRunLosesNothingAndDuplicatesNothing() {
    LogDispatcher d = LogDispatcher.fromYaml(yaml("{every: 1}"), "e2e.yaml");
    for (long step = 0; step < 1000; step++) {
      if (step == 300) {
        assertThat(d.flush(Duration.ofSeconds(30))).isTrue();
        server.shutdownNow(); // the store goes away mid-run
      }
      if (step == 700) {
        server = new MongoServer(new MemoryBackend());
        server.bind("127.0.0.1", port); // ...and comes back empty on the same port
      }
      d.log(step, Map.of("loss", 1.0 / (step + 1)));
    }
    assertThat(d.flush(Duration.ofSeconds(60))).as("everything delivered after the restart").isTrue();
    BackendStats mongo = d.stats().backends().get("mongo");
    d.close(RunStatus.FINISHED, Duration.ofSeconds(30));

    // the restarted server is empty, so it holds what was logged since the outage began: 300..999, once each
    assertThat(storedSteps()).containsExactlyElementsOf(LongStream.range(300, 1000).boxed().toList());
    assertThat(mongo.retried()).isPositive();
    assertThat(mongo.failed()).isZero();
    assertThat(mongo.dropped()).isZero();
  }

  @Test
  void aRunLoggedAgainUnderItsFixedIdKeepsBothAttemptsNeverDroppingTheSecondAsAReplay() {
    // a second process under the same run id goes on numbering after the first one's records, so its
    // values are stored beside the first attempt's, not silently taken for a replay (see README-mongodb)
    for (int attempt = 0; attempt < 2; attempt++) {
      try (LogDispatcher d = LogDispatcher.fromYaml(yaml("{every: 1}"), "e2e.yaml")) {
        for (long step = 0; step < 20; step++) {
          d.log(step, Map.of("loss", attempt + 1.0 / (step + 1)));
        }
      }
    }
    List<Long> twice = LongStream.range(0, 20).boxed().flatMap(s -> java.util.stream.Stream.of(s, s)).toList();
    assertThat(storedSteps()).containsExactlyElementsOf(twice);
    assertThat(experiments().find(new Document("step", 0)).into(new ArrayList<>()))
        .extracting(d -> d.get("metrics", Document.class))
        .containsExactlyInAnyOrder(new Document("loss", 1.0), new Document("loss", 2.0));
  }

  @Test
  void theTailFoldedAtCloseIsStoredBesideAPartialRecordOfTheSameStep() {
    // step 15: the eval override keeps eval/acc, the base rule folds loss 11..15; the close emits the fold
    String sample = "{every: 10, reduce: mean, overrides: {\"eval/*\": {every: 5}}}";
    try (LogDispatcher d = LogDispatcher.fromYaml(yaml(sample), "e2e.yaml")) {
      for (long step = 1; step <= 15; step++) {
        d.step(step).scalar("loss", step).log();
        if (step % 5 == 0) {
          d.step(step).scalar("eval/acc", step / 100.0).log();
        }
      }
    }
    List<Document> at15 = experiments().find(new Document("step", 15)).into(new ArrayList<>());
    assertThat(at15).extracting(doc -> doc.get("metrics", Document.class))
        .containsExactlyInAnyOrder(new Document("eval/acc", 0.15), new Document("loss", 13.0));
    assertThat(at15).extracting(doc -> doc.getString("_id")).doesNotHaveDuplicates();
    assertThat(storedSteps()).containsExactly(5L, 10L, 10L, 15L, 15L);
  }
}
