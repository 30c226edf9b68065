package dev.trainlog.mongodb.internal;

import com.mongodb.client.MongoClient;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;
import dev.trainlog.api.MetricValues;
import dev.trainlog.api.RunInfo;
import dev.trainlog.spi.LogBackend;
import dev.trainlog.testkit.BackendCompatibilityKit;
import dev.trainlog.testkit.StoredRecord;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** The SPI contract against a real wire-protocol server (H2 file, so an outage keeps the data). */
class MongoBackendCompatibilityTest extends BackendCompatibilityKit {

  // static: the kit closes its backends in its own @AfterEach, which runs after ours
  @TempDir static Path dir;
  private static TestServer server;
  private static MongoClient reader;
  private static int tests;
  private String collection;

  @BeforeAll
  static void startServer() {
    server = TestServer.h2(dir.resolve("compat.mv"));
    reader = Fixtures.client(server.uri());
  }

  @AfterAll
  static void stopServer() {
    reader.close();
    server.close();
  }

  @BeforeEach
  void freshCollection() {
    collection = "experiments_" + (++tests);
  }

  /**
   * The kit writes once more right after {@link #repairStore}: the driver finds the server back about 0.5 s after its
   * restart, and on a loaded machine later than the 1 s the other tests wait (seen once in a full build).
   */
  @Override
  protected LogBackend newBackend(RunInfo run) {
    return Fixtures.backend(Fixtures.config(server.uri(), Duration.ofSeconds(5))
        .withCollection("ai_training_logs", collection), run, dir);
  }

  @Override
  protected List<StoredRecord> readBack(RunInfo run) {
    List<StoredRecord> out = new ArrayList<>();
    for (Document doc : reader.getDatabase("ai_training_logs").getCollection(collection)
        .find(Filters.and(Filters.eq("run", run.runId()), Filters.eq("rank", run.rank())))
        .sort(Sorts.ascending("step"))) {
      Map<String, Double> scalars = new LinkedHashMap<>();
      MetricValues.flatten(doc.get("metrics", Document.class), "/", (k, v) -> {
        if (v instanceof Double) {
          scalars.put(k, (Double) v);
        }
      });
      out.add(new StoredRecord(doc.getLong("step"), scalars));
    }
    return out;
  }

  @Override
  protected void breakStore() {
    server.stop();
  }

  @Override
  protected void repairStore() {
    server.restart();
  }

  @Override
  protected boolean deduplicatesRetries() {
    return true;
  }
}
