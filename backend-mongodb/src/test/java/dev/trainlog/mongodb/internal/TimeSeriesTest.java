package dev.trainlog.mongodb.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.mongodb.client.MongoClient;
import dev.trainlog.api.RunInfo;
import dev.trainlog.api.RunStatus;
import dev.trainlog.mongodb.internal.MongoBackendConfig.TimeSeriesConfig;
import dev.trainlog.spi.BackendException;
import dev.trainlog.spi.ConfigException;
import dev.trainlog.spi.LogBackend;
import dev.trainlog.testkit.TestRecords;
import java.nio.file.Path;
import java.util.Date;
import java.util.Map;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Time-series mode. mongo-java-server accepts the create but makes a plain collection, so only the
 * document shape and the refusals are verified here, not the server's bucketing.
 */
class TimeSeriesTest {

  @TempDir Path dir;

  private static MongoBackendConfig timeSeries(String uri) {
    return new MongoBackendConfig(uri, null, "metrics_ts", null, null, null, null,
        new TimeSeriesConfig("minutes"), null, null, null, null, null);
  }

  @Test
  void documentsCarryTheMetaFieldAndKeepTheSeedQueryFields() throws Exception {
    try (TestServer server = TestServer.memory(); MongoClient client = Fixtures.client(server.uri())) {
      RunInfo run = TestRecords.run("ts-exp", "r", 1, 2, "node-b");
      LogBackend backend = Fixtures.backend(timeSeries(server.uri()), run, dir);
      backend.open();
      backend.write(TestRecords.scalarSteps(run, 0, 1));
      backend.close(RunStatus.FINISHED);

      Document doc = client.getDatabase("ai_training_logs").getCollection("metrics_ts").find().first();
      assertThat(doc.keySet()).containsExactly("_id", "timestamp", "exp_meta", "exp_name", "step", "metrics", "config");
      assertThat(doc.get("timestamp")).isEqualTo(new Date(TestRecords.START_MILLIS));
      assertThat(doc.get("exp_meta", Document.class)).isEqualTo(new Document("exp_name", "ts-exp")
          .append("run", "ts-exp-r-id").append("rank", 1).append("node", "node-b"));
      assertThat(doc.getString("exp_name")).isEqualTo("ts-exp");
    }
  }

  @Test
  void anExistingPlainCollectionIsNotTakenForATimeSeriesOne() throws Exception {
    try (TestServer server = TestServer.memory(); MongoClient client = Fixtures.client(server.uri())) {
      client.getDatabase("ai_training_logs").createCollection("metrics_ts");
      LogBackend backend = Fixtures.backend(timeSeries(server.uri()), TestRecords.run("ts-exp", "r"), dir);

      BackendException e = catchThrowableOfType(BackendException.class, backend::open);

      assertThat(e.retryable()).isFalse();
      assertThat(e).hasMessage("`time-series` is set but collection 'metrics_ts' already exists as a plain "
          + "collection (type 'collection'); a collection cannot be converted: pick another `collection` or "
          + "remove `time-series`");
      backend.close(RunStatus.FAILED);
    }
  }

  @Test
  void theEmbeddedServerRefusesTimeSeries() {
    ConfigException e = catchThrowableOfType(ConfigException.class,
        () -> Fixtures.fromSettings(Map.of("uri", "embedded:" + dir, "time-series", Map.of("granularity", "seconds")),
            Map.of(), TestRecords.run("ts-exp", "r"), dir));

    assertThat(e).hasMessage("`backends.mongo.time-series` is set but the embedded server has no time-series collections "
        + "(it would silently make a plain one): remove it or point `uri` at MongoDB 5.0+");
  }
}
