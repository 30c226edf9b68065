package dev.trainlog.mongodb.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchException;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoDatabase;
import dev.trainlog.api.RunInfo;
import dev.trainlog.api.RunStatus;
import dev.trainlog.mongodb.schema.StoreSchema;
import dev.trainlog.spi.LogBackend;
import dev.trainlog.testkit.TestRecords;
import java.nio.file.Path;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A batch the store took but whose answer was lost (the connection cut between the commit and the reply) is
 * written again by the retry, which finds every record already there: they are this process's own, never counted,
 * so the run's summary and the series rollups count them then, once.
 */
class LostAnswerTest {

  @TempDir Path dir;

  private final RunInfo run = TestRecords.run("lost-answer", "r");

  @Test
  void aBatchStoredWhoseAnswerWasLostIsCountedOnceInTheSummaryAndTheRollups() throws Exception {
    try (TestServer server = TestServer.memory(); ReplyCuttingProxy proxy = new ReplyCuttingProxy(server.port())) {
      LogBackend backend = Fixtures.backend(Fixtures.config(proxy.uri()), run, dir);
      backend.open();
      backend.write(TestRecords.scalarSteps(run, 0, 10));
      proxy.cutTheNextInsertsAnswer();
      Exception lost = catchException(() -> backend.write(TestRecords.scalarSteps(run, 10, 20)));
      assertThat(lost).isNotNull();
      assertThat(proxy.cut()).isTrue();
      assertThat(backend.isRetryable(lost)).as("%s", lost).isTrue();

      CoreRetries.untilDone(backend, () -> backend.write(TestRecords.scalarSteps(run, 10, 20)));
      backend.write(TestRecords.scalarSteps(run, 20, 30));
      backend.close(RunStatus.FINISHED);

      try (MongoClient client = Fixtures.client(server.uri())) {
        MongoDatabase db = client.getDatabase(MongoBackendConfig.DEFAULT_DATABASE);
        assertThat(db.getCollection(MongoBackendConfig.DEFAULT_COLLECTION).countDocuments()).isEqualTo(30);
        Document loss = db.getCollection(MongoBackendConfig.DEFAULT_RUNS_COLLECTION).find().first()
            .get("summary", Document.class).get("loss", Document.class);
        assertThat(loss.get("count", Number.class).longValue()).as("summary count").isEqualTo(30);
        long rolledUp = 0;
        for (Document bucket : db.getCollection(StoreSchema.seriesCollection(MongoBackendConfig.DEFAULT_COLLECTION))
            .find()) {
          if (bucket.get("_id", Document.class).getString(StoreSchema.SERIES_ID_PATH).equals("metrics.loss")) {
            rolledUp += bucket.get(StoreSchema.SERIES_COUNT, Number.class).longValue();
          }
        }
        assertThat(rolledUp).as("points of loss in the series rollups").isEqualTo(30);
      }
    }
  }
}
