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
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.io.TempDir;

/**
 * close() from one thread while four others keep logging: every log() call is delivered or refused, and counted
 * as logged or as refused, never both (a record refused by the closing journal was counted as logged too).
 */
class CloseRaceTest {

  @TempDir Path dir;
  private final RunInfo run = TestRecords.run("exp", "close-race");

  @RepeatedTest(3)
  void closeRacingWithLogLosesNothingSilently() throws Exception {
    RecordingBackend backend = new RecordingBackend();
    ChannelSettings fast = ChannelSettings.defaults().withFlushInterval(Duration.ofMillis(5))
        .withRetryBackoff(Duration.ofMillis(1), Duration.ofMillis(5));
    LogDispatcher d = LogDispatcher.builder(run).backend("rec", backend, SampleSpec.always(), fast)
        .journalDir(dir.resolve("journal")).deadLetterDir(dir.resolve("dead")).shutdownHook(false).build();
    AtomicLong calls = new AtomicLong();
    List<Thread> loggers = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      long first = t * 1_000_000L;
      Thread th = new Thread(() -> {
        for (long s = first; s < first + 1_000_000L; s++) {
          d.log(s, Map.of("loss", 1.0));
          calls.incrementAndGet();
          if (d.stats().refused() > 100) {
            return;
          }
        }
      });
      loggers.add(th);
      th.start();
    }
    await().until(() -> calls.get() > 20_000);
    boolean all = d.close(RunStatus.FINISHED, Duration.ofSeconds(20));
    for (Thread th : loggers) {
      th.join();
    }
    long delivered = new HashSet<>(backend.steps()).size();
    assertThat(all).isTrue();
    assertThat(delivered + d.stats().refused()).isEqualTo(calls.get());
    assertThat(d.stats().logged()).as("logged: what was delivered").isEqualTo(delivered);
  }
}
