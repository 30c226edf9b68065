package dev.trainlog.cli.importing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.client.model.Filters;
import dev.trainlog.api.RunInfo;
import dev.trainlog.cli.TestMongo;
import dev.trainlog.cli.common.StopSignal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A follower beside the trainer samples the machine on request, and every run records who wrote and who read. */
class FollowerSystemAndProvenanceTest {

  @TempDir Path tmp;

  private static boolean hasSystemMetric(JsonNode line) {
    JsonNode metrics = line.get("metrics");
    for (var names = metrics.fieldNames(); names.hasNext(); ) {
      if (names.next().startsWith("system/")) {
        return true;
      }
    }
    return false;
  }

  @Test
  void followWithSystemSamplesThisMachineIntoTheRunAndRecordsTheEventFilesHostAndTheFollowersProvenance()
      throws Exception {
    try (TestMongo mongo = new TestMongo()) {
      Path logs = tmp.resolve("runs");
      Path yaml = Fixtures.yaml(tmp, "  mongo: {type: mongodb, sample: always, uri: '" + mongo.uri + "'}\n"
          + "  lines: {type: jsonl, sample: always, path: '" + tmp + "/out.jsonl'}\n");
      TbEventWriter w = new TbEventWriter(logs.resolve("exp/r1/events.out.tfevents.1764950000.gpu-node-7.4242.0"));
      w.scalars(0, 1_764_950_000.0, Map.of("loss", 1.0));
      StopSignal stop = new StopSignal();
      CompletableFuture<Fixtures.Result> follower = CompletableFuture.supplyAsync(() -> Fixtures.run(stop,
          "follow", "tensorboard", logs.toString(), "--config", yaml.toString(), "--poll", "100ms",
          "--system", "200ms"));

      await().atMost(Duration.ofSeconds(30)).until(() -> Fixtures.jsonLines(tmp.resolve("out.jsonl")).stream()
          .anyMatch(FollowerSystemAndProvenanceTest::hasSystemMetric));
      stop.request();
      Fixtures.Result r = follower.get(60, TimeUnit.SECONDS);

      assertThat(r.code()).as(r.err()).isZero();
      Document run = mongo.db().getCollection("runs").find(Filters.eq("run_name", "r1")).first();
      Document provenance = run.get("provenance", Document.class);
      assertThat(provenance.getString("event_file_hosts")).isEqualTo("gpu-node-7");
      assertThat(provenance.getString("host")).isEqualTo(RunInfo.localHostName()); // the follower's own
      assertThat(provenance.getString("config_yaml")).contains("type: mongodb");
      assertThat(provenance.keySet()).contains("command", "java_version", "trainlog_version");
    }
  }

  @Test
  void anImportRecordsEveryHostThatWroteTheRunsEventFilesAndNoSystemMetrics() throws Exception {
    try (TestMongo mongo = new TestMongo()) {
      Path logs = tmp.resolve("runs");
      Path yaml = Fixtures.yaml(tmp, "  mongo: {type: mongodb, sample: always, uri: '" + mongo.uri + "'}\n");
      // a run resumed on another machine: two writers, two hosts
      new TbEventWriter(logs.resolve("exp/r2/events.out.tfevents.1764950000.gpu-b.cluster.local.11.0"))
          .scalars(0, 1_764_950_000.0, Map.of("loss", 1.0));
      new TbEventWriter(logs.resolve("exp/r2/events.out.tfevents.1764950100.gpu-a.22.0"))
          .scalars(1, 1_764_950_100.0, Map.of("loss", 0.5));

      Fixtures.Result r = Fixtures.run("import", "tensorboard", logs.toString(), "--config", yaml.toString());

      assertThat(r.code()).as(r.err()).isZero();
      Document run = mongo.db().getCollection("runs").find(Filters.eq("run_name", "r2")).first();
      assertThat(run.get("provenance", Document.class).getString("event_file_hosts"))
          .isEqualTo("gpu-a,gpu-b.cluster.local");
      assertThat(mongo.db().getCollection("experiments").countDocuments()).isEqualTo(2);
    }
  }
}
