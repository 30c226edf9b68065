package dev.trainlog.mongodb.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchException;

import com.mongodb.client.MongoClient;
import dev.trainlog.api.RunInfo;
import dev.trainlog.api.RunStatus;
import dev.trainlog.spi.LogBackend;
import dev.trainlog.testkit.TestRecords;
import java.nio.file.Path;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A close that fails because the server is down is retryable, and the core tries it again: the retry ends the run in
 * its runs entry, as the first try would have.
 */
class CloseDuringOutageTest {

  @TempDir Path dir;

  private final RunInfo run = TestRecords.run("close-outage", "r");

  @Test
  void aCloseThatFailedWhileTheServerWasDownEndsTheRunWhenTriedAgain() throws Exception {
    try (TestServer server = TestServer.h2(dir.resolve("close.mv"))) {
      LogBackend backend = Fixtures.backend(Fixtures.config(server.uri()), run, dir);
      backend.open();
      backend.write(TestRecords.scalarSteps(run, 0, 10));
      server.stop();

      Exception failed = catchException(() -> backend.close(RunStatus.FINISHED));
      assertThat(failed).isNotNull();
      assertThat(backend.isRetryable(failed)).as("%s", failed).isTrue();
      server.restart();
      CoreRetries.untilDone(backend, () -> backend.close(RunStatus.FINISHED));
      backend.close(RunStatus.FAILED); // and a close that succeeded is not done twice

      try (MongoClient client = Fixtures.client(server.uri())) {
        Document entry = client.getDatabase(MongoBackendConfig.DEFAULT_DATABASE)
            .getCollection(MongoBackendConfig.DEFAULT_RUNS_COLLECTION).find().first();
        assertThat(entry.getString("status")).isEqualTo("finished");
        assertThat(entry.getDate("end_time")).isNotNull();
        assertThat(entry.get("last_step", Number.class).longValue()).isEqualTo(9);
        assertThat(entry.get("summary", Document.class).get("loss", Document.class).get("count", Number.class)
            .longValue()).isEqualTo(10);
      }
    }
  }
}
