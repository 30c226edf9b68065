package dev.trainlog.mongodb.internal.service;

import dev.trainlog.mongodb.store.ServerFile;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Training processes (child JVMs, two ranks each) sharing one {@code embedded:} directory at once, as
 * two terminals running the same job do: every record of every run and rank is stored exactly once,
 * also when the store service is killed with SIGKILL in the middle and a trainer starts it again.
 */
class SharedStoreTest {

  private static final long STEPS = 1500;

  @TempDir Path tmp;
  private final Services services = new Services();
  private final List<Process> children = new ArrayList<>();

  @AfterEach
  void stop() {
    children.forEach(Process::destroyForcibly);
    services.stopAll();
  }

  @Test
  void fourTrainersOfTwoRanksLogIntoOneStoreAtOnceAndEveryRecordIsThereOnce() throws Exception {
    Path store = services.dir(tmp.resolve("mongo"));
    for (int t = 0; t < 4; t++) {
      children.add(trainer(store, "trainer-" + t, 0, null));
    }
    for (Process p : children) {
      assertThat(outputOf(p)).endsWith("closed true\n");
    }
    assertEveryRecordOnce(store, 4);
  }

  @Test
  void aServiceKilledWithSigkillMidRunIsStartedAgainAndEveryRecordIsThereOnce() throws Exception {
    Path store = services.dir(tmp.resolve("mongo"));
    // served before the trainers start (as by `trainlog serve`), so their points arrive while they log
    ServiceLauncher.ensureRunning(store);
    Path gate = tmp.resolve("go-on");
    for (int t = 0; t < 2; t++) {
      children.add(trainer(store, "trainer-" + t, 1000, gate));
    }
    List<BufferedReader> outs = new ArrayList<>();
    for (Process p : children) {
      outs.add(new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)));
    }
    // both ranks of both trainers wait half-way; what they logged so far reaches the store meanwhile
    await().atMost(60, TimeUnit.SECONDS).until(() -> stored(store) >= 4 * (STEPS / 2));
    ServerFile killed = ServerFile.read(store).orElseThrow();
    ProcessHandle service = ProcessHandle.of(killed.pid()).orElseThrow();
    service.destroyForcibly();
    assertThat(service.onExit().get(30, TimeUnit.SECONDS).isAlive()).isFalse();
    Files.writeString(gate, "go");

    for (BufferedReader out : outs) {
      awaitLine(out, "closed true");
    }
    assertThat(ServerFile.read(store).orElseThrow().pid()).as("a trainer started a new service").isNotEqualTo(killed.pid());
    assertEveryRecordOnce(store, 2);
  }

  private static long stored(Path store) {
    return ServiceLauncher.running(store).map(f -> {
      try (MongoClient client = MongoClients.create(f.uri())) {
        return client.getDatabase("ai_training_logs").getCollection("experiments").countDocuments();
      }
    }).orElse(0L);
  }

  private void assertEveryRecordOnce(Path store, int trainers) {
    try (MongoClient client = MongoClients.create(ServiceLauncher.ensureRunning(store).uri())) {
      MongoDatabase db = client.getDatabase("ai_training_logs");
      for (int t = 0; t < trainers; t++) {
        for (int rank = 0; rank < 2; rank++) {
          Document filter = new Document("run", "trainer-" + t).append("rank", rank);
          List<Long> steps = new ArrayList<>();
          db.getCollection("experiments").find(filter).forEach(d -> steps.add(d.getLong("step")));
          assertThat(steps).as("trainer-%d rank %d", t, rank).hasSize((int) STEPS).doesNotHaveDuplicates();
          assertThat(steps.stream().mapToLong(Long::longValue).max().orElse(-1)).isEqualTo(STEPS - 1);
        }
      }
      assertThat(db.getCollection("runs").countDocuments(new Document("status", "finished"))).isEqualTo(trainers * 2L);
    }
  }

  private Process trainer(Path store, String runId, long stepMicros, Path gate) throws IOException {
    Path dir = Files.createDirectories(tmp.resolve(runId));
    Path yaml = Files.writeString(dir.resolve("trainlog.yaml"), String.join("\n",
        "run: {experiment: shared, name: " + runId + ", id: " + runId + "}",
        "dispatcher: {journal-dir: " + dir.resolve("journal") + ", dead-letter-dir: " + dir.resolve("dead")
            + ", close-timeout: 120s}",
        "defaults: {flush-interval: 100ms, retry-initial-backoff: 50ms, retry-max-backoff: 500ms}",
        "backends:",
        "  mongo: {type: mongodb, uri: 'embedded:" + store + "', server-selection-timeout: 1s}",
        ""));
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx192m", "-XX:+UseSerialGC", "-D" + ServiceLauncher.IDLE_PROPERTY + "=20s", "-cp",
        System.getProperty("java.class.path"), TrainerChild.class.getName(), yaml.toString(), Long.toString(STEPS),
        Long.toString(stepMicros)));
    if (gate != null) {
      cmd.add(gate.toString());
    }
    return new ProcessBuilder(cmd).redirectError(dir.resolve("stderr.log").toFile()).start();
  }

  private static String outputOf(Process p) throws Exception {
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    return out;
  }

  private static void awaitLine(BufferedReader out, String wanted) throws IOException {
    for (String line = out.readLine(); line != null; line = out.readLine()) {
      if (line.equals(wanted)) {
        return;
      }
    }
    throw new AssertionError("the trainer ended without printing '" + wanted + "'");
  }
}
