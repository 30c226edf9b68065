package dev.trainlog.examples.promise;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** A JSON-lines file and a MongoDB wire-protocol server over TCP, and the checks that every record is in both once. */
abstract class PromiseFixture {

  @TempDir Path dir;
  MongoServer server;
  String mongoUri;
  private final ObjectMapper json = new ObjectMapper();

  @BeforeEach
  void startServer() {
    server = new MongoServer(new MemoryBackend());
    mongoUri = "mongodb://127.0.0.1:" + server.bind().getPort();
  }

  @AfterEach
  void stopServer() {
    server.shutdownNow();
  }

  static String javaBin() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  Path yaml(String runId) throws IOException {
    return yaml(runId, mongoBackend());
  }

  String mongoBackend() {
    return "  mongo: {type: mongodb, uri: '" + mongoUri + "', server-selection-timeout: 2s}\n";
  }

  /** A configuration of run {@code runId} with a JSON-lines backend and {@code more} backend lines. */
  Path yaml(String runId, String more) throws IOException {
    Path yaml = dir.resolve("trainlog.yaml");
    Files.writeString(yaml, String.join("\n",
        "run: {experiment: promise, name: " + runId + ", id: " + runId + "}",
        "dispatcher: {journal-dir: " + dir.resolve("journal") + ", dead-letter-dir: " + dir.resolve("dead")
            + ", close-timeout: 120s}",
        "defaults: {flush-interval: 100ms, batch-size: 2000}",
        "backends:",
        "  jsonl: {type: jsonl, path: " + dir.resolve("steps.jsonl") + "}",
        more));
    return yaml;
  }

  /** How many times each step is in the JSON lines, checking that no record (by id) is there twice. */
  Map<Long, Integer> jsonlSteps() throws IOException {
    List<String> ids = new ArrayList<>();
    Map<Long, Integer> steps = new TreeMap<>();
    for (String line : Files.readAllLines(dir.resolve("steps.jsonl"))) {
      JsonNode n = json.readTree(line);
      if (n.has("metrics") && n.get("metrics").has("loss")) {
        ids.add(n.get("_id").asText());
        steps.merge(n.get("step").asLong(), 1, Integer::sum);
      }
    }
    assertThat(ids).as("no record twice in JSON lines").doesNotHaveDuplicates();
    return steps;
  }

  Map<Long, Integer> mongoSteps() {
    try (MongoClient client = MongoClients.create(mongoUri)) {
      Map<Long, Integer> steps = new TreeMap<>();
      for (Document d : client.getDatabase("ai_training_logs").getCollection("experiments").find()) {
        if (((Document) d.get("metrics")).containsKey("loss")) {
          steps.merge(((Number) d.get("step")).longValue(), 1, Integer::sum);
        }
      }
      return steps;
    }
  }

  /** Each list is the steps one process logged: every one of them is in both stores, as often as it was logged. */
  @SafeVarargs
  final void assertEveryRecordOnce(int total, List<Long>... processes) throws IOException {
    Map<Long, Integer> expected = new TreeMap<>();
    for (List<Long> steps : processes) {
      steps.forEach(s -> expected.merge(s, 1, Integer::sum));
    }
    assertThat(expected.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(total);
    assertThat(jsonlSteps()).as("JSON lines").isEqualTo(expected);
    assertThat(mongoSteps()).as("MongoDB").isEqualTo(expected);
  }
}
