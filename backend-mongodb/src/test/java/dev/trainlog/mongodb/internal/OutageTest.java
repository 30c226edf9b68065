package dev.trainlog.mongodb.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.model.Sorts;
import dev.trainlog.api.LogRecord;
import dev.trainlog.api.RunInfo;
import dev.trainlog.api.RunStatus;
import dev.trainlog.spi.LogBackend;
import dev.trainlog.testkit.TestRecords;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server goes away mid-run and comes back on the same port; nothing is lost or doubled. */
class OutageTest {

  private static final int STEPS = 60;
  private static final int BATCH = 5;
  private static final int MAX_ATTEMPTS = 20;

  @TempDir Path dir;

  @Test
  void aServerRestartMidRunLeavesExactlyEveryStepOnce() throws Exception {
    RunInfo run = TestRecords.run("outage", "r");
    try (TestServer server = TestServer.h2(dir.resolve("outage.mv"))) {
      LogBackend backend = Fixtures.backend(Fixtures.config(server.uri()), run, dir);
      backend.open();
      int failures = 0;
      for (int from = 0; from < STEPS; from += BATCH) {
        List<LogRecord> batch = TestRecords.scalarSteps(run, from, from + BATCH);
        if (from == 30) {
          server.stop();
        }
        int attempts = 0;
        while (true) {
          try {
            backend.write(batch);
            break;
          } catch (Exception e) {
            assertThat(backend.isRetryable(e)).as("%s", e).isTrue();
            assertThat(++attempts).as("attempts for batch at %d", from).isLessThan(MAX_ATTEMPTS);
            failures++;
            if (attempts == 2) {
              server.restart();
            }
          }
        }
        if (from == 40) {
          // the dispatcher may resend a batch it was not sure about
          backend.write(TestRecords.scalarSteps(run, 25, 45));
        }
      }
      backend.close(RunStatus.FINISHED);

      assertThat(failures).as("writes refused while the server was down").isGreaterThanOrEqualTo(2);
      List<Long> steps = new ArrayList<>();
      try (MongoClient client = Fixtures.client(server.uri())) {
        client.getDatabase("ai_training_logs").getCollection("experiments").find()
            .sort(Sorts.ascending("step")).forEach(d -> steps.add(d.getLong("step")));
      }
      List<Long> expected = new ArrayList<>();
      for (long s = 0; s < STEPS; s++) {
        expected.add(s);
      }
      assertThat(steps).containsExactlyElementsOf(expected);
    }
  }
}
