package dev.trainlog.cli.importing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;
import dev.trainlog.cli.TestMongo;
import dev.trainlog.cli.common.StopSignal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FollowPyTorchRunTest {

  @TempDir Path tmp;

  @Test
  void aPyTorchStyleRunReachesMongoDbEveryTenStepsWithTheMeanAndJsonLinesEveryHundredThroughFollow()
      throws Exception {
    try (TestMongo mongo = new TestMongo()) {
      Path logs = Fixtures.copyLogs(tmp.resolve("runs"));
      Path yaml = Fixtures.yaml(tmp, ""
          + "  mongo: {type: mongodb, sample: {every: 10, reduce: mean}, uri: '" + mongo.uri + "'}\n"
          + "  lines: {type: jsonl, sample: {every: 100},"
          + " path: '" + tmp + "/jsonl/${TRAINLOG_EXPERIMENT}/${TRAINLOG_RUN_NAME}.jsonl'}\n");
      StopSignal stop = new StopSignal();
      CompletableFuture<Fixtures.Result> follower = CompletableFuture.supplyAsync(() -> Fixtures.run(stop,
          "follow", "tensorboard", logs.toString(), "--config", yaml.toString(), "--poll", "100ms"));
      Path run = logs.resolve("sdxl-lora/rank64");
      // as SummaryWriter.add_scalar writes them: one event per scalar, flushed as written
      TbEventWriter w = new TbEventWriter(run.resolve("events.out.tfevents.1764950000.gpu-0.77.0"));
      for (int step = 0; step < 250; step++) {
        w.scalars(step, 1_764_950_000.0 + step, Map.of("train/loss", (double) step));
        w.scalars(step, 1_764_950_000.0 + step, Map.of("train/lr", 1e-4));
      }
      String runId = RunNaming.runId(run);
      await().atMost(Duration.ofSeconds(20)).until(() ->
          mongo.db().getCollection("experiments").countDocuments(Filters.eq("run", runId)) == 25
              && Fixtures.jsonLines(tmp.resolve("jsonl/sdxl-lora/rank64.jsonl")).size() == 3);

      stop.request();
      Fixtures.Result r = follower.get(60, TimeUnit.SECONDS);

      assertThat(r.code()).as(r.err()).isZero();
      List<Document> docs = mongo.db().getCollection("experiments").find(Filters.eq("run", runId))
          .sort(Sorts.ascending("step")).into(new ArrayList<>());
      assertThat(docs).hasSize(26); // and at close, the mean of the steps still folded (241..249)
      assertThat(docs.get(1).getLong("step")).isEqualTo(10);
      assertThat(loss(docs.get(1))).isEqualTo(5.5);
      assertThat(docs.get(25).getLong("step")).isEqualTo(249);
      assertThat(loss(docs.get(25))).isEqualTo(245.0);
      assertThat(Fixtures.jsonLines(tmp.resolve("jsonl/sdxl-lora/rank64.jsonl")))
          .extracting(l -> l.get("step").asLong()).containsExactly(0L, 100L, 200L);
      // the fixtures PyTorch itself wrote went the same way
      Document torch = mongo.db().getCollection("runs").find(Filters.eq("run", RunNaming.runId(logs.resolve(
          "torch/run")))).first();
      assertThat(torch.get("config", Document.class)).containsEntry("optimizer", "sgd").containsEntry("rank", 32L);
      JsonNode first = Fixtures.jsonLines(tmp.resolve("jsonl/torch/run.jsonl")).get(0);
      assertThat(first.get("step").asLong()).isZero();
    }
  }

  private static double loss(Document d) {
    return d.get("metrics", Document.class).getDouble("train/loss");
  }
}
