package dev.trainlog.mongodb.internal.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service's index on {@code run} (run in this JVM): per-run queries answer exactly what a scan would,
 * it follows inserts, updates, deletes and a dropped collection, and it is kept in the file across restarts.
 */
class RunFieldIndexTest {

  @TempDir Path dir;

  @Test
  void perRunQueriesAnswerAsAScanWouldAndTheIndexFollowsEveryChangeAcrossARestart() throws Exception {
    StoreService service = StoreService.start(dir, 0, false, Duration.ofMinutes(1));
    try (MongoClient client = MongoClients.create(service.advertised().uri())) {
      MongoCollection<Document> steps = steps(client);
      steps.insertMany(docs("run-a", 0, 50));
      steps.insertMany(docs("run-b", 0, 30));
      steps.insertOne(new Document("_id", "no-run").append("step", 1));
      assertThat(steps(client, Filters.and(Filters.eq("run", "run-a"), Filters.gte("step", 40)))).hasSize(10)
          .allMatch(id -> id.startsWith("run-a/"));
      assertThat(keys(client)).isEqualTo(80);

      steps.updateOne(Filters.eq("_id", "run-a/0"), Updates.set("run", "run-b"));
      steps.deleteOne(Filters.eq("_id", "run-b/1"));
      assertThat(steps(client, Filters.eq("run", "run-a"))).hasSize(49);
      assertThat(steps(client, Filters.eq("run", "run-b"))).hasSize(30).contains("run-a/0").doesNotContain("run-b/1");

      client.getDatabase("ai_training_logs").getCollection("other").insertMany(docs("run-x", 0, 5));
      client.getDatabase("ai_training_logs").getCollection("other").drop();
      client.getDatabase("ai_training_logs").getCollection("other").insertMany(docs("run-y", 0, 2));
      assertThat(client.getDatabase("ai_training_logs").getCollection("other").countDocuments(Filters.eq("run",
          "run-x"))).isZero();
    } finally {
      service.stop();
    }

    StoreService again = StoreService.start(dir, 0, false, Duration.ofMinutes(1));
    try (MongoClient client = MongoClients.create(again.advertised().uri())) {
      assertThat(keys(client)).as("kept in the file, not rebuilt empty").isEqualTo(79);
      assertThat(steps(client, Filters.eq("run", "run-a"))).hasSize(49);
    } finally {
      again.stop();
    }
  }

  private static long keys(MongoClient client) {
    Document stats = client.getDatabase("ai_training_logs").runCommand(new Document("collStats", "experiments"));
    return stats.get("indexSize", Document.class).get(RunFieldIndex.NAME, Number.class).longValue();
  }

  private static MongoCollection<Document> steps(MongoClient client) {
    return client.getDatabase("ai_training_logs").getCollection("experiments");
  }

  private static List<String> steps(MongoClient client, org.bson.conversions.Bson filter) {
    return steps(client).find(filter).map(d -> d.getString("_id")).into(new ArrayList<>());
  }

  private static List<Document> docs(String run, int from, int count) {
    return IntStream.range(from, from + count).mapToObj(i -> new Document("_id", run + "/" + i).append("run", run)
        .append("rank", 0).append("step", i)).toList();
  }
}
