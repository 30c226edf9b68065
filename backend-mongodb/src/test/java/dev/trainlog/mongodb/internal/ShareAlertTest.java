package dev.trainlog.mongodb.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import dev.trainlog.api.LogRecord;
import dev.trainlog.api.RunInfo;
import dev.trainlog.api.RunStatus;
import dev.trainlog.mongodb.AlertRule;
import dev.trainlog.mongodb.AlertWatcher;
import dev.trainlog.spi.LogBackend;
import dev.trainlog.testkit.TestRecords;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A rule comparing a metric with a share of another in the same record: GPU memory near its total. */
class ShareAlertTest {

  private static final AlertRule NEAR_FULL = AlertRule.greaterThanShareOf("metrics.system/gpu0/memory_used_mb", 0.95,
      "metrics.system/gpu0/memory_total_mb");

  @TempDir Path dir;

  private static LogRecord gpu(RunInfo run, long step, double used) {
    return TestRecords.record(run, step, Map.of("system/gpu0/memory_used_mb", used,
        "system/gpu0/memory_total_mb", 81920.0));
  }

  @Test
  void theRuleFiresOnlyAboveTheShareOfTheOtherField() {
    Document near = new Document("metrics", new Document("system/gpu0/memory_used_mb", 78000.0)
        .append("system/gpu0/memory_total_mb", 81920.0));
    Document roomy = new Document("metrics", new Document("system/gpu0/memory_used_mb", 40000.0)
        .append("system/gpu0/memory_total_mb", 81920.0));
    Document noTotal = new Document("metrics", new Document("system/gpu0/memory_used_mb", 78000.0));

    assertThat(NEAR_FULL.matches(near)).isTrue();
    assertThat(NEAR_FULL.matches(roomy)).isFalse();
    assertThat(NEAR_FULL.matches(noTotal)).isFalse();
    assertThat(NEAR_FULL.name()).isEqualTo(
        "metrics.system/gpu0/memory_used_mb > 0.95 * metrics.system/gpu0/memory_total_mb");
  }

  @Test
  void theChangeStreamFiltersByTheShareOnTheServer() throws Exception {
    List<String> alerts = new CopyOnWriteArrayList<>();
    try (TestServer server = TestServer.memoryWithOplog(); MongoClient client = Fixtures.client(server.uri())) {
      MongoCollection<Document> experiments = client.getDatabase("ai_training_logs").getCollection("experiments");
      RunInfo run = TestRecords.run("gpu", "r");
      LogBackend writer = Fixtures.backend(Fixtures.config(server.uri()), run, dir);
      writer.open();
      AlertWatcher watcher = AlertWatcher.start(experiments, List.of(NEAR_FULL),
          (rule, doc) -> alerts.add(doc.getLong("step") + ": " + rule.name()));
      writer.write(List.of(gpu(run, 1, 40000), gpu(run, 2, 79000), gpu(run, 3, 50000)));
      await().atMost(Duration.ofSeconds(10)).until(() -> !alerts.isEmpty());
      writer.write(List.of(gpu(run, 4, 80000)));
      await().atMost(Duration.ofSeconds(10)).until(() -> alerts.size() >= 2);
      watcher.close();
      writer.close(RunStatus.FINISHED);
    }
    assertThat(alerts).containsExactly(
        "2: metrics.system/gpu0/memory_used_mb > 0.95 * metrics.system/gpu0/memory_total_mb",
        "4: metrics.system/gpu0/memory_used_mb > 0.95 * metrics.system/gpu0/memory_total_mb");
  }
}
