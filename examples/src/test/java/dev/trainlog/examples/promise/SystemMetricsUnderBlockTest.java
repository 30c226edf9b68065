package dev.trainlog.examples.promise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.trainlog.api.LogRecord;
import dev.trainlog.api.RunInfo;
import dev.trainlog.core.LogDispatcher;
import dev.trainlog.core.spec.ChannelSettings;
import dev.trainlog.core.spec.OnFull;
import dev.trainlog.core.spec.SampleSpec;
import dev.trainlog.spi.LogBackend;
import dev.trainlog.testkit.TestRecords;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * system metrics every 100 ms beside the training thread, on-full: block, the backend held by a latch
 * until the journal is full and both appenders wait; after release every training step and every system reading
 * arrives once (sequences contiguous), none with another record's contents.
 */
class SystemMetricsUnderBlockTest {

  @TempDir Path dir;

  @Test
  void everyStepAndEveryReadingOnce() throws Exception {
    RunInfo run = TestRecords.run("exp", "system-block");
    CountDownLatch release = new CountDownLatch(1);
    List<LogRecord> got = Collections.synchronizedList(new ArrayList<>());
    LogBackend held = new LogBackend() {
      @Override
      public void write(List<LogRecord> batch) throws dev.trainlog.spi.BackendException {
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new dev.trainlog.spi.BackendException("interrupted", e, true);
        }
        got.addAll(batch);
      }
    };
    AtomicLong stepsReturned = new AtomicLong();
    LogDispatcher d = LogDispatcher.builder(run)
        .backend("held", held, SampleSpec.always(), ChannelSettings.defaults().withFlushInterval(Duration.ofMillis(20))
            .withBatchSize(50).withWriteTimeout(Duration.ofSeconds(120)))
        .journalDir(dir.resolve("journal")).deadLetterDir(dir.resolve("dead")).shutdownHook(false)
        .journalSegmentSize(16 * 1024).journalLimit(64 * 1024, OnFull.BLOCK).systemMetrics(Duration.ofMillis(100))
        .closeTimeout(Duration.ofSeconds(60)).build();
    final long steps = 3000;
    Thread trainer = new Thread(() -> {
      for (long s = 0; s < steps; s++) {
        d.log(s, Map.of("loss", (double) s, "tag", "step-" + s + "-" + "p".repeat(60)));
        stepsReturned.incrementAndGet();
      }
    });
    trainer.start();
    // the journal full: the trainer waits in log()
    long[] seen = {-1};
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).until(() -> {
      long now = stepsReturned.get();
      boolean stuck = now == seen[0] && now > 0;
      seen[0] = now;
      return stuck;
    });
    // let the system thread try to append a few readings while full
    long blockedAt = stepsReturned.get();
    await().pollDelay(Duration.ofMillis(800)).until(() -> true);
    release.countDown();
    trainer.join(120_000);
    assertThat(d.flush(Duration.ofSeconds(60))).isTrue();
    d.close();
    Map<Long, Integer> trainingSteps = new HashMap<>();
    List<Long> seqs = new ArrayList<>();
    int system = 0;
    List<String> wrong = new ArrayList<>();
    for (LogRecord r : got) {
      seqs.add(r.sequence());
      boolean sys = r.metrics().keySet().stream().anyMatch(k -> k.startsWith("system/"));
      boolean train = r.metrics().containsKey("loss");
      if (sys && train) {
        wrong.add("mixed " + r.id());
      }
      if (train) {
        long s = ((Number) r.metrics().get("loss")).longValue();
        if (s != r.step() || !String.valueOf(r.metrics().get("tag")).startsWith("step-" + s + "-")) {
          wrong.add("contents " + r.id() + " " + r.metrics().get("loss"));
        }
        trainingSteps.merge(r.step(), 1, Integer::sum);
      } else if (sys) {
        system++;
      } else {
        wrong.add("neither " + r.id() + " " + r.metrics().keySet());
      }
    }
    TreeSet<Long> sorted = new TreeSet<>(seqs);
    List<Long> gaps = new ArrayList<>();
    long prev = sorted.isEmpty() ? -1 : sorted.first() - 1;
    for (long q : sorted) {
      if (q != prev + 1) {
        gaps.add(prev + 1);
      }
      prev = q;
    }
    assertThat(wrong).isEmpty();
    assertThat(seqs).as("each record once").doesNotHaveDuplicates();
    assertThat(trainingSteps).hasSize((int) steps);
    assertThat(trainingSteps.values()).allMatch(n -> n == 1);
    assertThat(system).as("readings arrived").isPositive();
    assertThat(gaps).as("no sequence missing: every reading journaled arrived").isEmpty();
  }
}
