package dev.trainlog.mongodb.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import dev.trainlog.api.LogRecord;
import dev.trainlog.api.RunInfo;
import dev.trainlog.api.RunStatus;
import dev.trainlog.mongodb.schema.StoreSchema;
import dev.trainlog.testkit.TestRecords;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The series rollups the backend writes beside the steps, read back with the raw driver. */
class SeriesRollupsTest {

  @TempDir Path dir;
  private TestServer server;
  private MongoClient client;
  private MongoCollection<Document> steps;
  private MongoCollection<Document> rollups;
  private final List<MongoBackend> backends = new ArrayList<>();
  private final RunInfo run = TestRecords.run("sd", "rollups");

  @BeforeEach
  void start() {
    server = TestServer.memory();
    client = Fixtures.client(server.uri());
    steps = client.getDatabase("ai_training_logs").getCollection("experiments");
    rollups = client.getDatabase("ai_training_logs").getCollection(StoreSchema.seriesCollection("experiments"));
  }

  @AfterEach
  void stop() throws Exception {
    for (MongoBackend b : backends) {
      b.close(RunStatus.FINISHED);
    }
    client.close();
    server.close();
  }

  private MongoBackend open() throws Exception {
    MongoBackend backend = (MongoBackend) Fixtures.backend(Fixtures.config(server.uri()), run, dir);
    backends.add(backend);
    backend.open();
    return backend;
  }

  private List<LogRecord> losses(long from, long to) {
    List<LogRecord> out = new ArrayList<>();
    for (long s = from; s < to; s++) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("loss", s == 150 ? Double.NaN : s == 42 ? -3.0 : s == 170 ? 9.0 : 1.0 / (s + 1));
      m.put("grad", Map.of("norm", (double) s));
      m.put("note", "text is no series");
      out.add(TestRecords.record(run, s, m));
    }
    return out;
  }

  private Document bucket(String path, long bucket) {
    Document id = new Document(StoreSchema.SERIES_ID_RUN, run.runId()).append(StoreSchema.SERIES_ID_RANK, run.rank())
        .append(StoreSchema.SERIES_ID_PATH, path).append(StoreSchema.SERIES_ID_BUCKET, bucket);
    return rollups.find(new Document("_id", id)).first();
  }

  private static Document point(long step, double value) {
    return new Document(StoreSchema.POINT_STEP, step).append(StoreSchema.POINT_TIME, TestRecords.START_MILLIS + step * 1000)
        .append(StoreSchema.POINT_VALUE, value);
  }

  @Test
  void eachBucketKeepsCountFirstLastExtremesAndNonFinitePointsOfEveryScalar() throws Exception {
    open().write(losses(0, 250));

    assertThat(rollups.countDocuments()).isEqualTo(6); // loss and grad.norm, buckets 0, 1 and 2
    Document b1 = bucket("metrics.loss", 1);
    assertThat(b1.get(StoreSchema.RUN)).isEqualTo(run.runId());
    assertThat(b1.get(StoreSchema.SERIES_COUNT)).isEqualTo(100L);
    assertThat(b1.get(StoreSchema.SERIES_FIRST)).isEqualTo(point(100, 1.0 / 101));
    assertThat(b1.get(StoreSchema.SERIES_LAST)).isEqualTo(point(199, 1.0 / 200));
    assertThat(b1.get(StoreSchema.SERIES_MIN)).isEqualTo(point(199, 1.0 / 200));
    assertThat(b1.get(StoreSchema.SERIES_MAX)).isEqualTo(point(170, 9.0));
    assertThat(b1.get(StoreSchema.SERIES_NON_FINITE)).isEqualTo(List.of(point(150, Double.NaN)));
    assertThat(b1.get(StoreSchema.SERIES_NON_FINITE_COUNT)).isEqualTo(1L);
    assertThat(bucket("metrics.loss", 0).get(StoreSchema.SERIES_MIN)).isEqualTo(point(42, -3.0));
    assertThat(bucket("metrics.grad.norm", 2).get(StoreSchema.SERIES_COUNT)).isEqualTo(50L);
  }

  @Test
  void aReplayedBatchAndAResendFromANewProcessCountNothingTwice() throws Exception {
    MongoBackend first = open();
    first.write(losses(0, 130));
    first.write(losses(0, 130)); // the same process replays its journal
    MongoBackend second = open(); // a later process resends everything and goes on into bucket 1
    second.write(losses(0, 160));

    assertThat(bucket("metrics.loss", 0).get(StoreSchema.SERIES_COUNT)).isEqualTo(100L);
    Document b1 = bucket("metrics.loss", 1);
    assertThat(b1.get(StoreSchema.SERIES_COUNT)).isEqualTo(60L);
    assertThat(b1.get(StoreSchema.SERIES_FIRST)).isEqualTo(point(100, 1.0 / 101));
    assertThat(b1.get(StoreSchema.SERIES_LAST)).isEqualTo(point(159, 1.0 / 160));
    assertThat(b1.get(StoreSchema.SERIES_NON_FINITE_COUNT)).isEqualTo(1L);
    assertThat(steps.countDocuments()).isEqualTo(160);
  }

  @Test
  void aFailingRollupWriteLeavesTheStepsStoredAndIsCountedNotThrown() throws Exception {
    // a unique index every full bucket after the first breaks: the server refuses those rollup writes for real
    rollups.createIndex(Indexes.ascending(StoreSchema.SERIES_COUNT), new IndexOptions().unique(true));
    MongoBackend backend = open();
    backend.write(losses(0, 100));
    backend.write(losses(100, 200));
    backend.write(losses(200, 300));

    assertThat(steps.countDocuments()).isEqualTo(300);
    assertThat(backend.rollupFailures()).isEqualTo(3); // grad.norm's bucket 0 already, in the first batch
    assertThat(bucket("metrics.loss", 0)).isNotNull();
    assertThat(bucket("metrics.grad.norm", 0)).isNull();
    assertThat(bucket("metrics.loss", 1)).isNull();
  }
}
