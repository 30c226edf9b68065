package dev.trainlog.mongodb.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import dev.trainlog.api.LogRecord;
import dev.trainlog.api.MetricMap;
import dev.trainlog.api.RunInfo;
import dev.trainlog.api.RunStatus;
import dev.trainlog.mongodb.SeriesBackfill;
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

/** Rollups rebuilt from the step documents equal the ones the backend wrote, over TCP to mongo-java-server. */
class SeriesBackfillTest {

  @TempDir Path dir;
  private TestServer server;
  private MongoClient client;
  private MongoCollection<Document> rollups;
  private SeriesBackfill backfill;
  private final RunInfo run = TestRecords.run("sd", "backfill");
  private final RunInfo other = TestRecords.run("sd", "other");

  @BeforeEach
  void start() {
    server = TestServer.memory();
    client = Fixtures.client(server.uri());
    rollups = client.getDatabase("ai_training_logs").getCollection(StoreSchema.seriesCollection("experiments"));
    backfill = SeriesBackfill.on(client.getDatabase("ai_training_logs"), "experiments");
  }

  @AfterEach
  void stop() {
    client.close();
    server.close();
  }

  /** Scalars (nested too, NaN and infinities among them), text, a vector, and two records at one step. */
  private static List<LogRecord> records(RunInfo run, long from, long to) {
    List<LogRecord> out = new ArrayList<>();
    for (long s = from; s < to; s++) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("loss", s == 150 ? Double.NaN : s == 42 ? -3.0 : s == 171 ? Double.NEGATIVE_INFINITY : 1.0 / (s + 1));
      m.put("grad", Map.of("norm", (double) s, "note", "text"));
      m.put("gpu_util", new double[] {1, 2});
      m.put("a.dotted key", 0.5 * s);
      out.add(new LogRecord(run, s, 2 * s, TestRecords.START_MILLIS + s * 1000, MetricMap.copyOf(m), false));
      if (s == 120) { // a second record at the same step, later in sequence: it is the bucket's last point there
        out.add(new LogRecord(run, s, 2 * s + 1, TestRecords.START_MILLIS + s * 1000 + 7,
            MetricMap.copyOf(Map.of("loss", 0.25)), false));
      }
    }
    return out;
  }

  private void write(RunInfo info, long from, long to, int batch) throws Exception {
    MongoBackend backend = (MongoBackend) Fixtures.backend(Fixtures.config(server.uri()), info, dir);
    backend.open();
    List<LogRecord> all = records(info, from, to);
    for (int i = 0; i < all.size(); i += batch) {
      backend.write(all.subList(i, Math.min(all.size(), i + batch)));
    }
    backend.close(RunStatus.FINISHED);
  }

  private List<Document> rollupsOf(RunInfo info) {
    return rollups.find(new Document(StoreSchema.RUN, info.runId())).into(new ArrayList<>()).stream()
        .sorted(java.util.Comparator.comparing(d -> d.get("_id", Document.class).toJson())).toList();
  }

  @Test
  void rebuiltRollupsEqualWhatTheBackendWroteAndARebuildAgainChangesNothing() throws Exception {
    write(run, 0, 350, 37);
    List<Document> written = rollupsOf(run);
    rollups.deleteMany(new Document(StoreSchema.RUN, run.runId())); // a store written before rollups

    SeriesBackfill.Rebuilt first = backfill.rebuild(run.runId());
    SeriesBackfill.Rebuilt again = backfill.rebuild(run.runId());

    assertThat(written).hasSize(12); // loss, grad.norm and the escaped dotted key, 4 buckets each; text and vector are no series
    assertThat(rollupsOf(run)).isEqualTo(written);
    assertThat(first).isEqualTo(new SeriesBackfill.Rebuilt(run.runId(), 351, 1051, 12, 0));
    assertThat(again).isEqualTo(first);
  }

  @Test
  void aRebuildRemovesBucketsNoStepSupportsAndLeavesOtherRunsAlone() throws Exception {
    write(run, 0, 120, 50);
    write(other, 0, 60, 50);
    List<Document> otherRollups = rollupsOf(other);
    Document stale = new Document(rollupsOf(run).get(0));
    stale.put("_id", new Document(stale.get("_id", Document.class)).append(StoreSchema.SERIES_ID_BUCKET, 99L));
    rollups.insertOne(stale);

    SeriesBackfill.Rebuilt rebuilt = backfill.rebuild(run.runId());

    assertThat(rebuilt.removed()).isEqualTo(1);
    assertThat(rollupsOf(run)).hasSize(rebuilt.buckets());
    assertThat(rollupsOf(other)).isEqualTo(otherRollups);
    assertThat(backfill.runsWithRollups()).containsExactlyInAnyOrder(run.runId(), other.runId());
  }
}
