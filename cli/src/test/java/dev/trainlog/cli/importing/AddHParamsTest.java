package dev.trainlog.cli.importing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;
import dev.trainlog.cli.TestMongo;
import dev.trainlog.cli.common.StopSignal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PyTorch's {@code add_hparams} (fixtures written by the real {@code torch.utils.tensorboard}
 * writer): its timestamp sub-directory becomes the parent run's config and metric, never a run.
 */
class AddHParamsTest {

  @TempDir Path tmp;
  private TestMongo mongo;
  private Path logs;
  private Path yaml;
  private JsonNode expected;

  @BeforeEach
  void setUp() throws Exception {
    mongo = new TestMongo();
    logs = Fixtures.copy("hparams-logs", tmp.resolve("runs"));
    yaml = Fixtures.yaml(tmp, "  mongo: {type: mongodb, sample: always, uri: '" + mongo.uri + "'}\n");
    expected = Fixtures.hparamsExpected();
  }

  @AfterEach
  void tearDown() {
    mongo.close();
  }

  @Test
  void importMakesAddHParamsTheParentRunsConfigAndMetricWithIntegersKeptIntegral() {
    Fixtures.Result r = Fixtures.run("import", "tensorboard", logs.toString(), "--config", yaml.toString());

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("imported 2 runs, ");
    MongoCollection<Document> runs = mongo.db().getCollection("runs");
    assertThat(runs.find().into(new ArrayList<>())).extracting(d -> d.getString("run_name"))
        .containsExactlyInAnyOrder("rank64", "rank32");
    Document rank64 = runs.find(Filters.eq("run_name", "rank64")).first();
    assertThat(rank64.getString("exp_name")).isEqualTo("sdxl-lora");
    assertThat(rank64.getString("status")).isEqualTo("finished");
    // PyTorch writes every number as a double; an integral one is an integer again (its bool True is 1)
    assertThat(rank64.get("config", Document.class)).isEqualTo(new Document("batch_size", 256L)
        .append("ema", 1L).append("lr", 0.1).append("optimizer", "adamw"));
    // the metric, written at step 0, goes at the run's last step
    List<Document> steps = mongo.db().getCollection("experiments").find(Filters.eq("run", rank64.getString("run")))
        .sort(Sorts.ascending("step")).into(new ArrayList<>());
    Document last = steps.get(steps.size() - 1);
    assertThat(last.getLong("step")).isEqualTo(expected.get("rank64").get("steps").asLong() - 1);
    assertThat(last.get("metrics", Document.class).getDouble("hparam/final_loss"))
        .isEqualTo((double) (float) expected.get("rank64").get("final_loss").asDouble());
  }

  @Test
  void anImportedRunStartsAndEndsAtItsFirstAndLastEventsWallTimeAndSoDoesAReimport() {
    Fixtures.run("import", "tensorboard", logs.toString(), "--config", yaml.toString());
    Fixtures.Result again = Fixtures.run("import", "tensorboard", logs.toString(), "--config", yaml.toString());

    assertThat(again.code()).as(again.err()).isZero();
    for (String name : List.of("rank64", "rank32")) {
      Document run = mongo.db().getCollection("runs").find(Filters.eq("run_name", name)).first();
      assertThat(run.getDate("start_time")).as(name).isEqualTo(millis(expected.get(name).get("first_wall_time")));
      assertThat(run.getDate("end_time")).as(name).isEqualTo(millis(expected.get(name).get("last_wall_time")));
    }
  }

  private static java.util.Date millis(JsonNode seconds) {
    return new java.util.Date(Math.round(seconds.asDouble() * 1000));
  }

  @Test
  void compareShowsTheConfigDiffOfRunsTrainedWithDifferentLearningRates() throws Exception {
    Fixtures.run("import", "tensorboard", logs.toString(), "--config", yaml.toString());
    Path html = tmp.resolve("compare.html");

    Fixtures.Result r = Fixtures.run("compare", "sdxl-lora", "--store", mongo.uri, "--out", html.toString());

    assertThat(r.code()).as(r.err()).isZero();
    String page = Files.readString(html);
    assertThat(page).doesNotContain("Every run has the same config").contains("config-diff")
        .contains("0.05").contains(">lr<");
  }

  @Test
  void followedLiveAnAddHParamsWrittenAfterTheStepsUpdatesTheOpenRunsConfig() throws Exception {
    Path run = logs.resolve("sdxl-lora/rank64");
    Path hparamsDir = run.resolve(expected.get("rank64").get("hparams_dir").asText());
    Path aside = Files.move(hparamsDir, tmp.resolve("later"));
    StopSignal stop = new StopSignal();
    CompletableFuture<Fixtures.Result> follower = CompletableFuture.supplyAsync(() -> Fixtures.run(stop,
        "follow", "tensorboard", logs.toString(), "--config", yaml.toString(), "--poll", "100ms"));
    String runId = RunNaming.runId(run);
    MongoCollection<Document> runs = mongo.db().getCollection("runs");
    await().atMost(Duration.ofSeconds(20)).until(() ->
        mongo.db().getCollection("experiments").countDocuments(Filters.eq("run", runId)) == 20);
    assertThat(runs.find(Filters.eq("run", runId)).first().get("config", Document.class)).isEmpty();

    Files.move(aside, hparamsDir); // the trainer calls add_hparams at the end
    await().atMost(Duration.ofSeconds(20)).until(() ->
        !runs.find(Filters.eq("run", runId)).first().get("config", Document.class).isEmpty());
    stop.request();
    Fixtures.Result r = follower.get(60, TimeUnit.SECONDS);

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(runs.countDocuments()).isEqualTo(2);
    assertThat(runs.find(Filters.eq("run", runId)).first().get("config", Document.class))
        .containsEntry("lr", 0.1).containsEntry("batch_size", 256L);
    assertThat(mongo.db().getCollection("experiments").countDocuments(Filters.and(Filters.eq("run", runId),
        Filters.exists("metrics.hparam/final_loss")))).isEqualTo(1);
    assertThat(r.err()).doesNotContain("come after its first steps");
    // stopped long after its last event: it ends at that event, not when the follower stopped
    assertThat(runs.find(Filters.eq("run", runId)).first().getDate("end_time"))
        .isEqualTo(millis(expected.get("rank64").get("last_wall_time")));
    assertThat(r.out()).contains("opened sdxl-lora/rank64 (run " + runId + ")",
        "closed sdxl-lora/rank64: 20 steps, finished",
        "opened sdxl-lora/rank64 again, with the hyperparameters add_hparams wrote after its steps (run " + runId + ")",
        "closed sdxl-lora/rank64: 1 step, killed");
  }
}
