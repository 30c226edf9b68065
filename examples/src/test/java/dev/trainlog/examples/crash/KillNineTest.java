package dev.trainlog.examples.crash;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import dev.trainlog.examples.Kills;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A training process killed with SIGKILL three times in a row, each restart going on with the step
 * sequence under the same run id, then a process that only closes: every step whose {@code log()}
 * had returned before each kill reaches JSON lines and MongoDB (over TCP) exactly once.
 */
class KillNineTest {

  @TempDir Path dir;
  private MongoServer server;
  private final ObjectMapper json = new ObjectMapper();

  @AfterEach
  void stop() {
    if (server != null) {
      server.shutdownNow();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private Path yaml(int port) throws IOException {
    Path yaml = dir.resolve("trainlog.yaml");
    Files.writeString(yaml, String.join("\n",
        "run: {experiment: crash, name: crash-run, id: crash-run-id}",
        "dispatcher: {journal-dir: " + dir.resolve("journal") + ", dead-letter-dir: " + dir.resolve("dead")
            + ", close-timeout: 60s}",
        "defaults: {flush-interval: 100ms, retry-initial-backoff: 20ms, retry-max-backoff: 200ms}",
        "backends:",
        "  jsonl: {type: jsonl, path: " + dir.resolve("steps.jsonl") + "}",
        "  mongo: {type: mongodb, uri: 'mongodb://127.0.0.1:" + port + "', server-selection-timeout: 300ms}",
        ""));
    return yaml;
  }

  private Process child(Path yaml, long from, long count) throws IOException {
    return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
        "-cp", System.getProperty("java.class.path"), CrashChild.class.getName(), yaml.toString(),
        Long.toString(from), Long.toString(count))
        .redirectError(dir.resolve("child-stderr.log").toFile()).start();
  }

  /** Lets a child log until it reported {@code atLeast} more steps, kills it, returns the last step it reported. */
  private long killAfter(Path yaml, long from, long atLeast) throws Exception {
    return Kills.after(child(yaml, from, 10_000_000), from, atLeast);
  }

  private void drain(Path yaml) throws Exception {
    Process p = child(yaml, 0, -1);
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(90, TimeUnit.SECONDS)).isTrue();
    assertThat(out).contains("closed true");
  }

  /** Kills three children, each going on after the last step the one before reported; returns the steps reported. */
  private Set<Long> threeKills(Path yaml) throws Exception {
    Set<Long> returned = new HashSet<>();
    long from = 0;
    long[] amounts = {3000, 1500, 4000};
    for (long amount : amounts) {
      long last = killAfter(yaml, from, amount);
      for (long s = from; s <= last; s++) {
        returned.add(s);
      }
      from = last + 1;
    }
    return returned;
  }

  private void assertExactlyOnce(Set<Long> returned, int port) throws IOException {
    List<String> ids = new ArrayList<>();
    Set<Long> jsonlSteps = new HashSet<>();
    for (String line : Files.readAllLines(dir.resolve("steps.jsonl"))) {
      JsonNode n = json.readTree(line);
      ids.add(n.get("_id").asText());
      jsonlSteps.add(n.get("step").asLong());
    }
    assertThat(ids).as("no record written twice to JSON lines").doesNotHaveDuplicates();
    assertThat(jsonlSteps).containsAll(returned);
    try (MongoClient client = MongoClients.create("mongodb://127.0.0.1:" + port)) {
      List<Document> docs = client.getDatabase("ai_training_logs").getCollection("experiments").find()
          .into(new ArrayList<>());
      Set<Long> mongoSteps = new HashSet<>();
      docs.forEach(d -> mongoSteps.add(((Number) d.get("step")).longValue()));
      assertThat(mongoSteps).containsAll(returned);
      assertThat(docs).as("MongoDB holds what JSON lines holds, once").hasSize(ids.size());
    }
  }

  @Test
  void everyStepLoggedBeforeEachKillArrivesExactlyOnce() throws Exception {
    server = new MongoServer(new MemoryBackend());
    int port = freePort();
    server.bind("127.0.0.1", port);
    Path yaml = yaml(port);

    Set<Long> returned = threeKills(yaml);
    drain(yaml);

    assertExactlyOnce(returned, port);
  }

  @Test
  void withMongoDbUnreachableWhileTheKilledProcessesRanNothingIsLostEither() throws Exception {
    int port = freePort();
    Path yaml = yaml(port);

    Set<Long> returned = threeKills(yaml);
    server = new MongoServer(new MemoryBackend());
    server.bind("127.0.0.1", port);
    drain(yaml);

    assertExactlyOnce(returned, port);
  }
}
