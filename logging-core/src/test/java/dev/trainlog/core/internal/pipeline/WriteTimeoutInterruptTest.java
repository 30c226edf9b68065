package dev.trainlog.core.internal.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.trainlog.api.LogRecord;
import dev.trainlog.api.RunInfo;
import dev.trainlog.api.RunStatus;
import dev.trainlog.core.LogDispatcher;
import dev.trainlog.core.spec.ChannelSettings;
import dev.trainlog.core.spec.SampleSpec;
import dev.trainlog.spi.LogBackend;
import dev.trainlog.testkit.MutableClock;
import dev.trainlog.testkit.TestRecords;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The watchdog's interrupt lands in the write it found overdue, never in the next one: it looked at when the
 * write began, then interrupted the worker later, by which time that write could have ended and the next begun
 * (or the worker be anywhere else, its interrupt flag set). The watchdog is held between the two by its own
 * warning (slf4j-simple prints to whatever {@code System.err} is); meanwhile the overdue write is let go and
 * the next one begins. Before the fix the next write, begun a moment before, was interrupted and retried.
 */
class WriteTimeoutInterruptTest {

  @TempDir Path dir;
  private final RunInfo run = TestRecords.run("exp", "write-timeout-interrupt");

  @Test
  void theInterruptEndsOnlyTheWriteFoundOverdue() throws Exception {
    MutableClock clock = new MutableClock();
    HeldBackend backend = new HeldBackend();
    ChannelSettings settings = ChannelSettings.defaults().withBatchSize(1).withWriteTimeout(Duration.ofSeconds(5))
        .withRetryBackoff(Duration.ofNanos(1), Duration.ofNanos(1)); // a retry at once, whatever the clock says
    LogDispatcher d = LogDispatcher.builder(run).backend("held", backend, SampleSpec.always(), settings)
        .journalDir(dir.resolve("journal")).deadLetterDir(dir.resolve("dead")).shutdownHook(false).clock(clock)
        .build();
    d.log(0, Map.of("loss", 1.0));
    await().atMost(Duration.ofSeconds(30)).until(() -> backend.writes.get() == 1
        && backend.writer.getState() == Thread.State.WAITING);
    d.log(1, Map.of("loss", 0.5)); // the worker's next write, as soon as the first ends

    PrintStream err = System.err;
    HoldingErr holding = new HoldingErr(err);
    System.setErr(holding);
    try {
      clock.advance(Duration.ofSeconds(5));
      assertThat(holding.held.await(30, TimeUnit.SECONDS)).as("the watchdog found the write overdue").isTrue();
      backend.permits.release(); // the first write ends (unless interrupted already)
      // the next write has begun, or the first was interrupted
      await().atMost(Duration.ofSeconds(30)).until(() -> backend.writes.get() >= 2 || !backend.interrupted.isEmpty());
    } finally {
      holding.release.countDown();
      System.setErr(err);
    }
    backend.permits.release(100);
    boolean delivered = d.close(RunStatus.FINISHED, Duration.ofSeconds(20));

    assertThat(delivered).isTrue();
    assertThat(backend.steps).containsExactly(0L, 1L);
    assertThat(backend.interrupted).as("writes interrupted: only the first ran past the write timeout")
        .isSubsetOf(1);
  }

  /** Each write waits for a permit; says which writes (numbered from 1) were interrupted. */
  private static final class HeldBackend implements LogBackend {
    final Semaphore permits = new Semaphore(0);
    final AtomicInteger writes = new AtomicInteger();
    final List<Integer> interrupted = Collections.synchronizedList(new ArrayList<>());
    final List<Long> steps = Collections.synchronizedList(new ArrayList<>());
    volatile Thread writer;

    @Override
    public void write(List<LogRecord> batch) throws Exception {
      writer = Thread.currentThread();
      int n = writes.incrementAndGet();
      try {
        permits.acquire();
      } catch (InterruptedException e) {
        interrupted.add(n);
        throw e;
      }
      batch.forEach(r -> steps.add(r.step()));
    }
  }

  /** Standard error that holds the watchdog in its write-timeout warning until released. */
  private static final class HoldingErr extends PrintStream {
    final CountDownLatch held = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    private final PrintStream to;

    HoldingErr(PrintStream to) {
      super(OutputStream.nullOutputStream());
      this.to = to;
    }

    @Override
    public void println(String line) {
      if (Thread.currentThread().getName().equals("trainlog-watchdog") && line.contains("Backend 'held'")
          && line.contains("longer than write-timeout")) {
        held.countDown();
        try {
          release.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      to.println(line);
    }
  }
}
