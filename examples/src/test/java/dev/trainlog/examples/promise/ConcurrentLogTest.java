package dev.trainlog.examples.promise;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainlog.api.RunStatus;
import dev.trainlog.core.LogDispatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Sixteen threads calling {@code log()} at once lose nothing: records are numbered under the
 * journal's lock, so journal order is sequence order and JSON lines' de-duplication by sequence
 * never takes a late record for one it already wrote.
 */
class ConcurrentLogTest extends PromiseFixture {

  private static final int THREADS = 16;

  @Test
  void sixteenThreadsOf50000RecordsEachGetEveryRecordIntoJsonLinesOnce() throws Exception {
    int perThread = 50_000;
    logFromSixteenThreads(yaml("concurrent-jsonl", ""), perThread);

    Map<Long, Integer> jsonl = jsonlSteps();
    assertThat(jsonl).hasSize(THREADS * perThread);
    assertThat(jsonl.values()).containsOnly(1);
  }

  /** Fewer records for MongoDB: the in-memory test server holds every document in this JVM's heap. */
  @Test
  void sixteenThreadsOf5000RecordsEachGetEveryRecordIntoJsonLinesAndMongoDbOnce() throws Exception {
    int perThread = 5_000;
    logFromSixteenThreads(yaml("concurrent-both", mongoBackend()), perThread);

    Map<Long, Integer> jsonl = jsonlSteps();
    assertThat(jsonl).hasSize(THREADS * perThread);
    assertThat(jsonl.values()).containsOnly(1);
    Map<Long, Integer> mongo = mongoSteps();
    assertThat(mongo).hasSize(THREADS * perThread);
    assertThat(mongo.values()).containsOnly(1);
  }

  private void logFromSixteenThreads(java.nio.file.Path yaml, int perThread) throws Exception {
    LogDispatcher log = LogDispatcher.fromYaml(yaml);
    
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> done = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      long first = (long) t * perThread;
      done.add(pool.submit(() -> {
        start.await();
        for (long step = first; step < first + perThread; step++) {
          log.log(step, Map.of("loss", 1.0 / (step + 1)));
        }
        return null;
      }));
    }
    start.countDown();
    for (Future<?> f : done) {
      f.get();
    }
    pool.shutdown();
    assertThat(log.close(RunStatus.FINISHED)).isTrue();
    assertThat(log.stats().refused()).isZero();
  }
}
