package dev.trainlog.mongodb.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Sorts;
import dev.trainlog.api.RunInfo;
import dev.trainlog.api.RunStatus;
import dev.trainlog.mongodb.EmbeddedMongo;
import dev.trainlog.mongodb.internal.service.Services;
import dev.trainlog.spi.BackendException;
import dev.trainlog.spi.LogBackend;
import dev.trainlog.testkit.TestRecords;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code embedded:<dir>}: a local store service persisted to a file, shared per directory by every backend. */
class EmbeddedMongoTest {

  @TempDir Path dir;
  private final Services services = new Services();

  @AfterEach
  void stopServices() {
    services.stopAll();
  }

  @Test
  void dataWrittenToAnEmbeddedStoreIsThereWhenReopenedWithANewClient() throws Exception {
    Path store = services.dir(dir.resolve("mongo"));
    RunInfo run = TestRecords.run("embedded-exp", "r");
    LogBackend backend = Fixtures.backend(MongoBackendConfig.forUri("embedded:" + store), run, dir);
    backend.open();
    backend.write(TestRecords.scalarSteps(run, 0, 10));
    backend.flush();
    assertThat(EmbeddedMongo.uriFor(store)).hasValueSatisfying(u -> assertThat(u).startsWith("mongodb://127.0.0.1:"));
    backend.close(RunStatus.FINISHED);
    assertThat(EmbeddedMongo.stop(store, Duration.ofSeconds(30))).as("the service ran until stopped").isTrue();
    assertThat(EmbeddedMongo.uriFor(store)).isEmpty();
    assertThat(store.resolve(EmbeddedMongo.FILE_NAME)).isRegularFile();

    List<Long> steps = new ArrayList<>();
    try (EmbeddedMongo.EmbeddedClient reopened = EmbeddedMongo.openClient(store)) {
      MongoDatabase db = reopened.client().getDatabase("ai_training_logs");
      db.getCollection("experiments").find().sort(Sorts.ascending("step")).forEach(d -> steps.add(d.getLong("step")));
      assertThat(db.getCollection("runs").find().first().getString("status")).isEqualTo("finished");
    }
    assertThat(steps).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
  }

  @Test
  void aStoreThatCannotBeServedIsARetryableOpenFailureSoTheRecordsWaitInTheJournal() throws Exception {
    Path file = java.nio.file.Files.writeString(dir.resolve("a-file"), "x");
    Path store = file.resolve("mongo");
    RunInfo run = TestRecords.run("embedded-exp", "r");
    MongoBackend backend = new MongoBackend("mongo", run, MongoBackendConfig.forUri("embedded:" + store),
        Fixtures.CLOCK, name -> null);

    assertThatThrownBy(backend::open).isInstanceOfSatisfying(BackendException.class, e -> {
      assertThat(e.retryable()).isTrue();
      assertThat(e).hasMessageStartingWith("cannot start the store service of " + store + ": the directory is not writable");
    });
  }

  @Test
  void ranksSharingADirectoryShareOneServiceThatOutlivesThem() throws Exception {
    Path store = services.dir(dir.resolve("shared"));
    MongoBackendConfig config = MongoBackendConfig.forUri("embedded:" + store);
    RunInfo rank0 = TestRecords.run("dist", "r", 0, 2, "node-a");
    RunInfo rank1 = TestRecords.run("dist", "r", 1, 2, "node-a");
    LogBackend first = Fixtures.backend(config, rank0, dir);
    LogBackend second = Fixtures.backend(config, rank1, dir);
    first.open();
    second.open();
    String uri = EmbeddedMongo.uriFor(store).orElseThrow();

    first.write(TestRecords.scalarSteps(rank0, 0, 3));
    first.close(RunStatus.FINISHED);
    assertThat(EmbeddedMongo.uriFor(store)).hasValue(uri);
    second.write(TestRecords.scalarSteps(rank1, 0, 3));
    second.close(RunStatus.FINISHED);
    assertThat(EmbeddedMongo.uriFor(store)).as("it stops when idle, not with its last client").hasValue(uri);

    try (EmbeddedMongo.EmbeddedClient reopened = EmbeddedMongo.openClient(store)) {
      assertThat(reopened.client().getDatabase("ai_training_logs").getCollection("experiments")
          .countDocuments(new Document("exp_name", "dist"))).isEqualTo(6);
    }
  }
}
