package dev.trainlog.core.internal.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.trainlog.api.RunInfo;
import dev.trainlog.api.RunStatus;
import dev.trainlog.core.LogDispatcher;
import dev.trainlog.core.spec.ChannelSettings;
import dev.trainlog.core.spec.SampleSpec;
import dev.trainlog.testkit.TestRecords;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker that found nothing to read, and is stopped before it looks again, must still read what was logged
 * before close: close means "read to the head". The worker is held, by the clock it asks right after a read that
 * found nothing, until records are logged and close has asked it to stop; before the fix it stopped without
 * reading them, and close reported them as not delivered (an import of a small file exited with 2 now and then
 * on a loaded machine).
 */
class CloseAfterEmptyReadTest {

  @TempDir Path dir;
  private final RunInfo run = TestRecords.run("exp", "close-after-empty-read");

  @Test
  void recordsLoggedWhileTheWorkerLooksAwayAreDeliveredAtClose() throws Exception {
    HoldingClock clock = new HoldingClock();
    RecordingBackend backend = new RecordingBackend();
    ChannelSettings settings = ChannelSettings.defaults().withFlushInterval(Duration.ofMillis(20));
    LogDispatcher d = LogDispatcher.builder(run).backend("rec", backend, SampleSpec.always(), settings)
        .journalDir(dir.resolve("journal")).deadLetterDir(dir.resolve("dead")).shutdownHook(false).clock(clock)
        .build();

    clock.armed.set(true);
    assertThat(clock.held.await(30, TimeUnit.SECONDS)).as("the worker came back from an empty read").isTrue();
    for (long s = 0; s < 8; s++) {
      d.log(s, Map.of("loss", 1.0 / (s + 1)));
    }
    boolean[] delivered = new boolean[1];
    Thread closer = new Thread(() -> delivered[0] = d.close(RunStatus.FINISHED, Duration.ofSeconds(20)));
    closer.start();
    // the backend's closing thread has asked the worker to stop and waits for it
    await().atMost(Duration.ofSeconds(30)).until(() -> Thread.getAllStackTraces().keySet().stream().anyMatch(t ->
        t.getName().startsWith("trainlog-close-") && t.getState() == Thread.State.TIMED_WAITING));
    clock.release.countDown();
    closer.join();

    assertThat(backend.steps()).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L);
    assertThat(delivered[0]).as("close delivered everything").isTrue();
  }

  /**
   * The system clock, but when armed, the backend's worker asking it in its reading loop (right after a read
   * that found nothing) waits there once until released.
   */
  private static final class HoldingClock extends Clock {
    final AtomicBoolean armed = new AtomicBoolean();
    final CountDownLatch held = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);

    @Override
    public long millis() {
      if (armed.get() && Thread.currentThread().getName().equals("trainlog-rec") && calledFromLoop()
          && armed.compareAndSet(true, false)) {
        held.countDown();
        try {
          release.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return System.currentTimeMillis();
    }

    private static boolean calledFromLoop() {
      return StackWalker.getInstance().walk(frames -> frames.skip(2).findFirst()
          .map(f -> f.getClassName().equals(BackendWorker.class.getName()) && f.getMethodName().equals("loop"))
          .orElse(false));
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis());
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }
}
