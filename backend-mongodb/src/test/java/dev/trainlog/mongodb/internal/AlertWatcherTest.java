package dev.trainlog.mongodb.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import dev.trainlog.api.LogRecord;
import dev.trainlog.api.RunInfo;
import dev.trainlog.api.RunStatus;
import dev.trainlog.mongodb.AlertRule;
import dev.trainlog.mongodb.AlertWatcher;
import dev.trainlog.mongodb.ChangeStreamsUnavailableException;
import dev.trainlog.spi.LogBackend;
import dev.trainlog.testkit.TestRecords;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.bson.BsonDocument;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Change-stream alerts over every experiment writing to the collection. */
class AlertWatcherTest {

  private static final List<AlertRule> RULES =
      List.of(AlertRule.greaterThan("metrics.loss", 1.0), AlertRule.nonFinite("metrics.loss"));

  @TempDir Path dir;
  private final List<String> alerts = new CopyOnWriteArrayList<>();

  private void onAlert(AlertRule rule, Document doc) {
    alerts.add(doc.getString("exp_name") + "@" + doc.getLong("step") + ": " + rule.name());
  }

  @Test
  void highAndNonFiniteLossesFireTheirRulesOnceAndResumeContinuesAfterTheLastEvent() throws Exception {
    try (TestServer server = TestServer.memoryWithOplog(); MongoClient client = Fixtures.client(server.uri())) {
      MongoCollection<Document> experiments = client.getDatabase("ai_training_logs").getCollection("experiments");
      RunInfo a = TestRecords.run("exp-a", "r");
      RunInfo b = TestRecords.run("exp-b", "r");
      LogBackend writerA = Fixtures.backend(Fixtures.config(server.uri()), a, dir);
      LogBackend writerB = Fixtures.backend(Fixtures.config(server.uri()), b, dir);
      writerA.open();
      writerB.open();

      AlertWatcher watcher = AlertWatcher.start(experiments, RULES, this::onAlert);
      writerA.write(List.of(loss(a, 0, 0.5), loss(a, 1, 1.5), loss(a, 2, Double.NaN), loss(a, 3, 0.2)));
      writerB.write(List.of(loss(b, 0, Double.NEGATIVE_INFINITY), loss(b, 1, 7.0)));
      await().atMost(Duration.ofSeconds(10)).until(() -> alerts.size() >= 4);
      watcher.close();

      // the server lets NaN pass $gt; the rule's own check keeps "> 1.0" from firing on it
      assertThat(alerts).containsExactly(
          "exp-a@1: metrics.loss > 1.0",
          "exp-a@2: metrics.loss is not finite",
          "exp-b@0: metrics.loss is not finite",
          "exp-b@1: metrics.loss > 1.0");

      BsonDocument token = watcher.resumeToken();
      writerA.write(List.of(loss(a, 4, 3.0)));
      alerts.clear();
      AlertWatcher resumed = AlertWatcher.start(experiments, RULES, this::onAlert, token);
      try {
        await().atMost(Duration.ofSeconds(10)).until(() -> !alerts.isEmpty());
      } finally {
        resumed.close();
      }
      assertThat(alerts).containsExactly("exp-a@4: metrics.loss > 1.0");
      writerA.close(RunStatus.FINISHED);
      writerB.close(RunStatus.FINISHED);
    }
  }

  @Test
  void aServerWithoutChangeStreamsIsReportedClearly() {
    try (TestServer server = TestServer.memory(); MongoClient client = Fixtures.client(server.uri())) {
      MongoCollection<Document> experiments = client.getDatabase("ai_training_logs").getCollection("experiments");

      ChangeStreamsUnavailableException e = catchThrowableOfType(ChangeStreamsUnavailableException.class,
          () -> AlertWatcher.start(experiments, RULES, this::onAlert));

      assertThat(e).hasMessage("change streams need a replica set or sharded cluster; the server " + server.uri()
          .substring("mongodb://".length()) + " refused to watch ai_training_logs.experiments (error -1: Unknown error: null). "
          + "Run mongod as a replica set (one member is enough) or use Atlas");
    }
  }

  private static LogRecord loss(RunInfo run, long step, double loss) {
    return TestRecords.record(run, step, Map.of("loss", loss));
  }
}
