package dev.trainlog.core.internal.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.trainlog.api.LogRecord;
import dev.trainlog.api.RunStatus;
import dev.trainlog.core.LogDispatcher;
import dev.trainlog.core.spec.ChannelSettings;
import dev.trainlog.core.spec.SampleSpec;
import dev.trainlog.spi.BackendException;
import dev.trainlog.spi.LogBackend;
import dev.trainlog.testkit.MutableClock;
import dev.trainlog.testkit.TestRecords;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reader's timers read the injected clock: the test moves time instead of waiting for it. */
class PipelineTimingTest {

  @TempDir Path dir;
  private final MutableClock clock = new MutableClock();

  private LogDispatcher dispatcher(LogBackend backend, ChannelSettings settings) {
    return LogDispatcher.builder(TestRecords.run("exp", "timing"))
        .backend("b", backend, SampleSpec.always(), settings)
        .journalDir(dir.resolve("journal")).deadLetterDir(dir.resolve("dead"))
        .clock(clock).shutdownHook(false).build();
  }

  /** Hangs in its first write until interrupted, then stores every batch. */
  private static final class HangsOnce implements LogBackend {
    final List<Long> stored = new CopyOnWriteArrayList<>();
    final CountDownLatch hanging = new CountDownLatch(1);
    final AtomicInteger interrupted = new AtomicInteger();

    @Override
    public void write(List<LogRecord> batch) throws Exception {
      if (hanging.getCount() > 0) {
        hanging.countDown();
        try {
          new CountDownLatch(1).await(); // forever, unless interrupted
        } catch (InterruptedException e) {
          interrupted.incrementAndGet();
          throw e;
        }
      }
      batch.forEach(r -> stored.add(r.step()));
    }
  }

  @Test
  void aWriteThatHangsIsInterruptedAtTheWriteTimeoutAndTheBatchIsRetried() throws Exception {
    HangsOnce backend = new HangsOnce();
    LogDispatcher d = dispatcher(backend, ChannelSettings.defaults().withWriteTimeout(Duration.ofSeconds(30))
        .withRetryBackoff(Duration.ofMillis(1), Duration.ofMillis(1)));
    d.log(1, Map.of("loss", 1.0));
    d.log(2, Map.of("loss", 0.5));
    await().atMost(Duration.ofSeconds(10)).until(() -> { // past the flush interval: the batch is written, and hangs
      clock.advance(Duration.ofMillis(500));
      return backend.hanging.getCount() == 0;
    });
    clock.advance(Duration.ofSeconds(28));
    assertThat(backend.interrupted.get()).as("not before the timeout").isZero();

    clock.advance(Duration.ofSeconds(3));
    await().atMost(Duration.ofSeconds(10)).until(() -> backend.interrupted.get() == 1);
    await().atMost(Duration.ofSeconds(10)).until(() -> {
      clock.advance(Duration.ofMillis(10)); // the retry's backoff
      return backend.stored.size() == 2;
    });
    assertThat(backend.stored).containsExactly(1L, 2L);
    assertThat(d.stats().backends().get("b").retried()).isEqualTo(1);
    assertThat(d.close(RunStatus.FINISHED, Duration.ofSeconds(10))).isTrue();
  }

  @Test
  void aHungBackendDoesNotKeepCloseFromReturningByItsDeadline() {
    HangsOnce backend = new HangsOnce();
    LogDispatcher d = dispatcher(backend, ChannelSettings.defaults());
    d.log(1, Map.of("loss", 1.0));

    await().atMost(Duration.ofSeconds(10)).until(() -> {
      clock.advance(Duration.ofMillis(500));
      return backend.hanging.getCount() == 0;
    });

    assertThat(d.close(RunStatus.FINISHED, Duration.ofMillis(300))).as("returns, saying not all arrived").isFalse();
  }

  @Test
  void aRetryAfterHintIsWaitedOutBeforeTheNextAttempt() {
    AtomicInteger attempts = new AtomicInteger();
    List<Long> stored = new CopyOnWriteArrayList<>();
    LogBackend throttled = batch -> {
      if (attempts.incrementAndGet() == 1) {
        throw new BackendException("429 Too Many Requests", null, true, List.of(), Duration.ofMinutes(5));
      }
      batch.forEach(r -> stored.add(r.step()));
    };
    LogDispatcher d = dispatcher(throttled, ChannelSettings.defaults()
        .withRetryBackoff(Duration.ofMillis(1), Duration.ofMillis(1)));
    d.log(7, Map.of("loss", 1.0));
    await().atMost(Duration.ofSeconds(10)).until(() -> {
      if (attempts.get() == 0) {
        clock.advance(Duration.ofMillis(500));
      }
      return attempts.get() == 1;
    });

    clock.advance(Duration.ofMinutes(4));
    await().pollDelay(Duration.ofMillis(200)).atMost(Duration.ofSeconds(5)).until(() -> true);
    assertThat(attempts.get()).as("the store asked for 5 minutes").isEqualTo(1);

    clock.advance(Duration.ofMinutes(1));
    await().atMost(Duration.ofSeconds(10)).until(() -> stored.size() == 1);
    assertThat(d.close(RunStatus.FINISHED, Duration.ofSeconds(10))).isTrue();
  }
}
