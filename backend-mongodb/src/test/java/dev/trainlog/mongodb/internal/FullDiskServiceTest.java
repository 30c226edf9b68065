package dev.trainlog.mongodb.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.trainlog.testkit.SmallTmpfs;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import dev.trainlog.api.LogRecord;
import dev.trainlog.api.RunInfo;
import dev.trainlog.api.RunStatus;
import dev.trainlog.mongodb.internal.service.ServiceLauncher;
import dev.trainlog.mongodb.internal.service.Services;
import dev.trainlog.spi.BackendException;
import dev.trainlog.spi.LogBackend;
import dev.trainlog.testkit.TestRecords;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The disk under an {@code embedded:} store fills while the service writes: the trainer's backend gets one
 * line naming the directory and what to do, as a retryable failure (its records stay in its journal), and
 * once there is room again a new service stores every record once.
 */
class FullDiskServiceTest {

  @TempDir Path tmp;
  private SmallTmpfs mounted;
  private final Services services = new Services();
  private final List<LogBackend> backends = new ArrayList<>();

  @BeforeEach
  void mount() throws IOException {
    mounted = SmallTmpfs.mountOrSkip(tmp.resolve("tmpfs"), 16, "FullDiskServiceTest");
  }

  @AfterEach
  void unmount() throws Exception {
    for (LogBackend b : backends) {
      b.close(RunStatus.FINISHED);
    }
    services.stopAll();
    if (mounted != null) {
      mounted.close();
    }
  }

  @Test
  void aDiskThatFillsIsOneLineNamingTheDirectoryAndTheRecordsArriveOnceThereIsRoom() throws Exception {
    Path store = services.dir(mounted.dir().resolve("mongo"));
    RunInfo run = TestRecords.run("full-disk", "r");
    LogBackend backend = Fixtures.backend(Fixtures.config("embedded:" + store), run, tmp);
    backends.add(backend);
    backend.open();
    backend.write(TestRecords.scalarSteps(run, 0, 10));

    Path filler = mounted.dir().resolve("filler");
    fill(filler);
    List<LogRecord> waiting = TestRecords.scalarSteps(run, 10, 510);
    BackendException refused = writeFailure(backend, waiting);
    assertThat(backend.isRetryable(refused)).as("the records stay in the journal").isTrue();
    assertThat(refused.getMessage()).contains("the store service of " + store + " cannot write trainlog.mv: the disk"
        + " is full; free space on it, and the records waiting in the trainers' journals are stored when a new"
        + " service starts").doesNotContain("\n");

    Files.delete(filler);
    // the dispatcher retries the same batch until it is stored; the service that lost its file is replaced
    await().atMost(90, TimeUnit.SECONDS).pollInterval(200, TimeUnit.MILLISECONDS)
        .until(() -> writes(backend, waiting));
    backend.write(TestRecords.scalarSteps(run, 510, 520));

    try (MongoClient client = MongoClients.create(ServiceLauncher.ensureRunning(store).uri())) {
      List<Long> steps = new ArrayList<>();
      client.getDatabase("ai_training_logs").getCollection("experiments").find(new Document("run", "full-disk-r-id"))
          .forEach(d -> steps.add(d.getLong("step")));
      assertThat(steps).hasSize(520).doesNotHaveDuplicates();
    }
  }

  /** Writes until the device refuses: the filler takes whatever room the service's file has not. */
  private static void fill(Path filler) throws IOException {
    byte[] block = new byte[64 * 1024];
    try (OutputStream out = Files.newOutputStream(filler)) {
      while (true) {
        out.write(block);
      }
    } catch (IOException e) {
      assertThat(e.getMessage()).contains("No space left on device");
    }
  }

  private static BackendException writeFailure(LogBackend backend, List<LogRecord> batch) {
    try {
      backend.write(batch);
    } catch (BackendException e) {
      return e;
    } catch (Exception e) {
      throw new AssertionError("expected a BackendException", e);
    }
    throw new AssertionError("the write to a full disk succeeded");
  }

  private static boolean writes(LogBackend backend, List<LogRecord> batch) {
    try {
      backend.write(batch);
      return true;
    } catch (Exception e) {
      assertThat(backend.isRetryable(e)).as("%s", e).isTrue();
      return false;
    }
  }
}
