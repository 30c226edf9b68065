package dev.trainlog.examples.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import dev.trainlog.api.RunStatus;
import dev.trainlog.core.LogDispatcher;
import dev.trainlog.core.spec.BackendStats;
import dev.trainlog.examples.MongoOnAPort;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several threads log while the MongoDB server is stopped and restarted on the same port.
 * Per backend: stored + dropped + dead letters (+ what a next process delivers) == logged.
 */
class OutageAccountingTest {

  private static final int THREADS = 4;

  @TempDir Path dir;
  @RegisterExtension final MongoOnAPort mongo = new MongoOnAPort();

  private Path yaml(String onFull, String runId) throws Exception {
    Path yaml = dir.resolve("trainlog-" + runId + ".yaml");
    Files.writeString(yaml, String.join("\n",
        "run: {experiment: promise, name: " + runId + ", id: " + runId + "}",
        "dispatcher: {journal-dir: " + dir.resolve("journal") + ", dead-letter-dir: " + dir.resolve("dead")
            + ", close-timeout: 20s, journal: {segment-size: 64KiB, max-size: 256KiB, on-full: " + onFull + "}}",
        "defaults: {flush-interval: 50ms, batch-size: 200, retry-initial-backoff: 20ms, retry-max-backoff: 200ms}",
        "backends:",
        "  jsonl: {type: jsonl, path: " + dir.resolve(runId + ".jsonl") + "}",
        "  mongo: {type: mongodb, uri: '" + mongo.uri() + "', server-selection-timeout: 300ms}",
        ""));
    return yaml;
  }

  private Set<Long> mongoSteps(String runId, List<Long> dupCount) {
    try (MongoClient client = MongoClients.create(mongo.uri())) {
      Set<Long> steps = new HashSet<>();
      long docs = 0;
      for (Document d : client.getDatabase("ai_training_logs").getCollection("experiments")
          .find(new Document("run", runId))) {
        if (((Document) d.get("metrics")).containsKey("loss")) {
          steps.add(((Number) d.get("step")).longValue());
          docs++;
        }
      }
      dupCount.add(docs - steps.size());
      return steps;
    }
  }

  private long logFromThreads(LogDispatcher log, int perThread, Runnable midway) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    CountDownLatch start = new CountDownLatch(1);
    CountDownLatch half = new CountDownLatch(THREADS);
    CountDownLatch resume = new CountDownLatch(1);
    AtomicLong returned = new AtomicLong();
    List<Future<?>> done = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      long first = (long) t * perThread;
      done.add(pool.submit(() -> {
        start.await();
        for (long step = first; step < first + perThread; step++) {
          log.log(step, Map.of("loss", 1.0 / (step + 1), "pad", "x".repeat(40)));
          returned.incrementAndGet();
          if (step == first + perThread / 3) {
            half.countDown();
            resume.await();
          }
        }
        return null;
      }));
    }
    start.countDown();
    half.await();
    midway.run();
    resume.countDown();
    for (Future<?> f : done) {
      f.get();
    }
    pool.shutdown();
    return returned.get();
  }

  private void scenario(String onFull) throws Exception {
    mongo.start();
    String runId = "outage-" + onFull;
    Path yaml = yaml(onFull, runId);
    LogDispatcher log = LogDispatcher.fromYaml(yaml);
    int perThread = 6000;
    Thread restarter = new Thread(() -> {
      // back on the same port once the journal is full behind mongo
      await().atMost(Duration.ofSeconds(120)).until(() -> onFull.equals("block")
          ? log.stats().backends().get("mongo").behindBytes() > 150 * 1024
          : log.stats().backends().get("mongo").dropped() > 0);
      mongo.start();
    });
    long logged = logFromThreads(log, perThread, () -> {
      mongo.stop(); // graceful: H2 commits what it acknowledged
      restarter.start();
    });
    restarter.join();
    boolean all = log.close(RunStatus.FINISHED);
    Map<String, BackendStats> stats = log.stats().backends();
    BackendStats m = stats.get("mongo");
    long refused = log.stats().refused();
    List<Long> dups = new ArrayList<>();
    Set<Long> stored = mongoSteps(runId, dups);
    // a next process of the same run delivers what the journal kept
    LogDispatcher next = LogDispatcher.fromYaml(yaml);
    assertThat(next.flush(Duration.ofSeconds(30))).isTrue();
    next.close();
    Set<Long> storedAfter = mongoSteps(runId, dups);
    long deadLetters = m.failed();
    Set<Long> missing = new java.util.TreeSet<>();
    for (long s = 0; s < logged; s++) {
      if (!storedAfter.contains(s)) {
        missing.add(s);
      }
    }
    com.fasterxml.jackson.databind.ObjectMapper om = new com.fasterxml.jackson.databind.ObjectMapper();
    Set<Long> jsonlSteps = new HashSet<>();
    List<String> jsonlIds = new ArrayList<>();
    for (String line : Files.readAllLines(dir.resolve(runId + ".jsonl"))) {
      var n = om.readTree(line);
      if (n.has("metrics") && n.get("metrics").has("loss")) {
        jsonlSteps.add(n.get("step").asLong());
        jsonlIds.add(n.get("_id").asText());
      }
    }
    assertThat(logged).isEqualTo((long) THREADS * perThread);
    assertThat(storedAfter.size() + m.dropped() + deadLetters + refused)
        .as("stored %d + dropped %d + dead letters %d + refused %d == logged %d (duplicates %s, first missing %s)",
            storedAfter.size(), m.dropped(), deadLetters, refused, logged, dups, missing.stream().limit(10).toList())
        .isEqualTo(logged);
    BackendStats lines = stats.get("jsonl");
    assertThat(jsonlIds).as("each record once in the JSON lines").doesNotHaveDuplicates();
    assertThat(jsonlSteps.size() + lines.dropped() + lines.failed() + refused)
        .as("JSON lines: written %d + dropped %d + dead letters %d + refused %d == logged %d", jsonlSteps.size(),
            lines.dropped(), lines.failed(), refused, logged)
        .isEqualTo(logged);
  }

  @Test
  void dropOldest() throws Exception {
    scenario("drop-oldest");
  }

  @Test
  void block() throws Exception {
    scenario("block");
  }
}
