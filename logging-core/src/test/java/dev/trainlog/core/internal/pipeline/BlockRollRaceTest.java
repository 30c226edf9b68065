package dev.trainlog.core.internal.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.trainlog.api.LogRecord;
import dev.trainlog.api.RunInfo;
import dev.trainlog.api.RunStatus;
import dev.trainlog.core.LogDispatcher;
import dev.trainlog.core.spec.ChannelSettings;
import dev.trainlog.core.spec.OnFull;
import dev.trainlog.core.spec.SampleSpec;
import dev.trainlog.testkit.TestRecords;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several threads log under {@code on-full: block} while the only backend is held, so they all wait in the same
 * segment roll, five times over: once the backend goes on, every record logged arrives, each once. (Each waiting
 * append used to let the lock go with its record encoded in the writer's shared buffer: another thread's record
 * was written in its place, twice, under one sequence number.)
 */
class BlockRollRaceTest {

  @TempDir Path dir;
  private final RunInfo run = TestRecords.run("exp", "block-race");

  @Test
  void threadsWaitingInTheSameRollEachKeepTheirOwnRecord() throws Exception {
    RecordingBackend backend = new RecordingBackend();
    ChannelSettings fast = ChannelSettings.defaults().withFlushInterval(Duration.ofMillis(20))
        .withRetryBackoff(Duration.ofMillis(1), Duration.ofMillis(5)).withOnFull(OnFull.BLOCK);
    LogDispatcher d = LogDispatcher.builder(run)
        .backend("held", backend, SampleSpec.always(), fast)
        .journalDir(dir.resolve("journal")).deadLetterDir(dir.resolve("dead"))
        .journalSegmentSize(8192).journalLimit(3 * 8192, OnFull.BLOCK)
        .shutdownHook(false).build();

    int threads = 4;
    int perThread = 3000;
    int episodes = 5;
    CountDownLatch gate = new CountDownLatch(1);
    backend.writeGate = gate;
    List<Thread> loggers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      long first = (long) t * perThread;
      Thread th = new Thread(() -> {
        for (long s = first; s < first + perThread; s++) {
          d.log(s, Map.of("loss", 1.0 / (s + 1)));
        }
      }, "logger-" + t);
      loggers.add(th);
      th.start();
    }
    for (int e = 0; e < episodes; e++) {
      // every logger waits for room in the journal (or has finished)
      await().atMost(Duration.ofSeconds(30)).until(() -> loggers.stream().allMatch(
          th -> th.getState() == Thread.State.TIMED_WAITING || th.getState() == Thread.State.TERMINATED));
      CountDownLatch previous = backend.writeGate;
      backend.writeGate = e == episodes - 1 ? new CountDownLatch(0) : new CountDownLatch(1);
      previous.countDown();
    }
    for (Thread th : loggers) {
      th.join();
    }
    assertThat(d.close(RunStatus.FINISHED, Duration.ofSeconds(20))).isTrue();

    long logged = d.stats().logged();
    List<Long> steps = backend.steps();
    Set<Long> distinct = new HashSet<>(steps);
    Set<Long> missing = new TreeSet<>();
    for (long s = 0; s < (long) threads * perThread; s++) {
      if (!distinct.contains(s)) {
        missing.add(s);
      }
    }
    Set<String> ids = new HashSet<>();
    List<String> twice = new ArrayList<>();
    synchronized (backend.stored) {
      for (LogRecord r : backend.stored) {
        if (!ids.add(r.id())) {
          twice.add(r.id() + "@step" + r.step());
        }
      }
    }
    assertThat(missing).as("steps whose log() returned but never arrived (logged %d, delivered %d)", logged, steps.size()).isEmpty();
    assertThat(twice).as("records delivered twice").isEmpty();
  }
}
