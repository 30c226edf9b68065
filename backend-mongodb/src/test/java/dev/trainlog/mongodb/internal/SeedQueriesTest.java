package dev.trainlog.mongodb.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import dev.trainlog.api.LogRecord;
import dev.trainlog.api.RunInfo;
import dev.trainlog.api.RunStatus;
import dev.trainlog.spi.LogBackend;
import dev.trainlog.testkit.TestRecords;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The first seed document's queries, run unchanged against what the backend stored. */
class SeedQueriesTest {

  private static final double[] RANK32_LOSSES = {0.09, 0.06, 0.045, 0.041};
  private static final double[] RANK64_LOSSES = {0.08, 0.05, 0.039, 0.031};

  @TempDir Path dir;
  private TestServer server;
  private MongoClient client;
  private MongoCollection<Document> experiments;

  @BeforeEach
  void logTwoExperiments() throws Exception {
    String uri = backendUri();
    writeSeedRuns(Fixtures.config(uri), dir);
    client = Fixtures.client(readerUri(uri));
    experiments = client.getDatabase("ai_training_logs").getCollection("experiments");
  }

  /** The store the backend writes: a test server. */
  String backendUri() {
    server = TestServer.memory();
    return server.uri();
  }

  /** The {@code mongodb://} URI the driver reads {@code backendUri} through. */
  String readerUri(String backendUri) {
    return backendUri;
  }

  @AfterEach
  void stop() {
    client.close();
    if (server != null) {
      server.close();
    }
  }

  @Test
  void theSeedFindReturnsExactlyTheLowLossStepsOfTheSdxlRank64Run() {
    // db.experiments.find({"config.model": "SDXL", "config.lora_rank": 64, "metrics.loss": {$lt: 0.04}})
    Document query = Document.parse("{\"config.model\": \"SDXL\", \"config.lora_rank\": 64, \"metrics.loss\": {$lt: 0.04}}");

    List<String> found = new ArrayList<>();
    experiments.find(query).forEach(d -> found.add(d.getString("exp_name") + "@" + d.getLong("step")));

    assertThat(found).containsExactlyInAnyOrder("rank64_exp@2", "rank64_exp@3");
  }

  @Test
  void theSeedAggregateReturnsOneOrderedLossCurvePerExperiment() {
    List<Document> pipeline = List.of(
        Document.parse("{$match: {exp_name: {$in: [\"rank32_exp\", \"rank64_exp\"]}}}"),
        Document.parse("{$sort: {step: 1}}"),
        Document.parse("{$group: {_id: \"$exp_name\", steps: {$push: \"$step\"}, losses: {$push: \"$metrics.loss\"}}}"));

    Map<String, Document> curves = new LinkedHashMap<>();
    experiments.aggregate(pipeline).forEach(d -> curves.put(d.getString("_id"), d));

    assertThat(curves).containsOnlyKeys("rank32_exp", "rank64_exp");
    assertThat(curves.get("rank32_exp").getList("steps", Long.class)).containsExactly(0L, 1L, 2L, 3L);
    assertThat(curves.get("rank32_exp").getList("losses", Double.class)).containsExactly(0.09, 0.06, 0.045, 0.041);
    assertThat(curves.get("rank64_exp").getList("steps", Long.class)).containsExactly(0L, 1L, 2L, 3L);
    assertThat(curves.get("rank64_exp").getList("losses", Double.class)).containsExactly(0.08, 0.05, 0.039, 0.031);
  }

  /** The seed's two SDXL experiments and one SD 1.5 run, through the backend into {@code config}'s store. */
  static void writeSeedRuns(MongoBackendConfig config, Path dir) throws Exception {
    write(config, run("rank32_exp", 32, "SDXL"), RANK32_LOSSES, dir);
    write(config, run("rank64_exp", 64, "SDXL"), RANK64_LOSSES, dir);
    write(config, run("rank64_sd15", 64, "SD15"), new double[] {0.01, 0.02}, dir);
  }

  private static RunInfo run(String exp, int loraRank, String model) {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("model", model);
    config.put("lora_rank", loraRank);
    config.put("batch_size", 32);
    config.put("dataset_size", 12000);
    return TestRecords.run(exp, "r").toBuilder().runId(exp + "-id").config(config).build();
  }

  private static void write(MongoBackendConfig config, RunInfo run, double[] losses, Path dir) throws Exception {
    LogBackend backend = Fixtures.backend(config, run, dir);
    backend.open();
    List<LogRecord> batch = new ArrayList<>();
    for (int step = 0; step < losses.length; step++) {
      Map<String, Object> metrics = new LinkedHashMap<>();
      metrics.put("loss", losses[step]);
      metrics.put("lr", 1.5e-4);
      batch.add(TestRecords.record(run, step, metrics));
    }
    // reversed: the aggregate's $sort, not insertion order, must order the curve
    java.util.Collections.reverse(batch);
    backend.write(batch);
    backend.close(RunStatus.FINISHED);
  }
}
