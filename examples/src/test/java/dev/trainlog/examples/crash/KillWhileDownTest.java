package dev.trainlog.examples.crash;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import dev.trainlog.examples.MongoOnAPort;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * MongoDB goes down mid-run while its worker holds a batch, the trainer goes on past the
 * journal's max-size and is killed with SIGKILL; MongoDB comes back and the run is resumed with its id.
 * Every step logged is stored, or counted as dropped by the killed process, or kept as a dead letter.
 */
class KillWhileDownTest {

  @TempDir Path dir;
  @RegisterExtension final MongoOnAPort mongo = new MongoOnAPort();

  private Path yaml(String onFull, String runId) throws Exception {
    Path yaml = dir.resolve("trainlog.yaml");
    Files.writeString(yaml, String.join("\n",
        "run: {experiment: promise, name: " + runId + ", id: " + runId + "}",
        "dispatcher: {journal-dir: " + dir.resolve("journal") + ", dead-letter-dir: " + dir.resolve("dead")
            + ", close-timeout: 30s, journal: {segment-size: 64KiB, max-size: 256KiB, on-full: " + onFull + "}}",
        "defaults: {flush-interval: 50ms, batch-size: 300, retry-initial-backoff: 20ms, retry-max-backoff: 200ms}",
        "backends:",
        "  mongo: {type: mongodb, uri: '" + mongo.uri() + "', server-selection-timeout: 300ms}",
        ""));
    return yaml;
  }

  private Process child(Path yaml, long from, long first, long rest, String tag) throws Exception {
    return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
        "-cp", System.getProperty("java.class.path"), OutageChild.class.getName(), yaml.toString(),
        Long.toString(from), Long.toString(first), Long.toString(rest))
        .redirectError(dir.resolve("child-" + tag + ".err").toFile()).start();
  }

  private Set<Long> stored(String runId) {
    try (MongoClient client = MongoClients.create(mongo.uri())) {
      Set<Long> steps = new TreeSet<>();
      for (Document d : client.getDatabase("ai_training_logs").getCollection("experiments")
          .find(new Document("run", runId))) {
        if (((Document) d.get("metrics")).containsKey("loss")) {
          steps.add(((Number) d.get("step")).longValue());
        }
      }
      return steps;
    }
  }

  private static Map<String, Long> numbers(String line) {
    Map<String, Long> m = new HashMap<>();
    for (String part : line.split(" ")) {
      int eq = part.indexOf('=');
      if (eq > 0) {
        try {
          m.put(part.substring(0, eq), Long.parseLong(part.substring(eq + 1)));
        } catch (NumberFormatException e) {
          // not a number
        }
      }
    }
    return m;
  }

  private void scenario(String onFull, long rest) throws Exception {
    mongo.start();
    String runId = "kill-down-" + onFull;
    Path yaml = yaml(onFull, runId);
    Process p = child(yaml, 0, 1000, rest, "killed");
    Map<String, Long> stats = null;
    String statsLine = null;
    try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        Writer in = new OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8)) {
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        if (line.startsWith("phase1")) {
          assertThat(line).contains("flushed=true");
          mongo.stop();
          in.write("down\n");
          in.flush();
        } else if (line.startsWith("stats")) {
          statsLine = line;
          stats = numbers(line);
        } else if (line.equals("done")) {
          break;
        }
      }
      p.destroyForcibly(); // SIGKILL
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(stats).as("the child printed its stats").isNotNull();
    mongo.start();
    Process drain = child(yaml, 0, -1, 0, "drain");
    String drained = new String(drain.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertThat(drain.waitFor(90, TimeUnit.SECONDS)).isTrue();
    Map<String, Long> d = numbers(drained);
    long logged = stats.get("logged");
    Set<Long> stored = stored(runId);
    Set<Long> missing = new TreeSet<>();
    for (long s = 0; s < logged; s++) {
      if (!stored.contains(s)) {
        missing.add(s);
      }
    }
    long deadLettered = stats.get("failed") + d.get("failed");
    long dropped = stats.get("dropped") + d.get("dropped");
    assertThat(stored.size() + dropped + deadLettered)
        .as("stored %d + dropped %d + dead letters %d == logged %d (killed: %s; drain: %s; first missing %s)",
            stored.size(), dropped, deadLettered, logged, statsLine, drained, missing.stream().limit(5).toList())
        .isEqualTo(logged);
  }

  @Test
  void dropOldest() throws Exception {
    scenario("drop-oldest", 12_000);
  }

  @Test
  void block() throws Exception {
    scenario("block", 1500); // within max-size: block would wait for MongoDB
  }
}
