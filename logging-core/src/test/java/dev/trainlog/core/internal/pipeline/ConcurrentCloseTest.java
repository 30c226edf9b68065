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
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A close asked while another thread's close is still delivering answers what that close delivers, once it has:
 * the flag "closing began" is not "closed". Before the fix the second close returned at once, false (nothing
 * delivered yet) although the first delivered everything; the shutdown hook, finding a close under way, returned
 * at once too, and the JVM exited in the middle of it (backends not closed, the run never ended). The backend's
 * writes are held until the second close has returned or waits.
 */
class ConcurrentCloseTest {

  @TempDir Path dir;
  private final RunInfo run = TestRecords.run("exp", "concurrent-close");

  @Test
  void aSecondCloseWaitsForTheOneUnderWayAndAnswersWhatItDelivered() throws Exception {
    RecordingBackend backend = new RecordingBackend();
    backend.writeGate = new CountDownLatch(1);
    LogDispatcher d = LogDispatcher.builder(run).backend("rec", backend, SampleSpec.always(), ChannelSettings.defaults())
        .journalDir(dir.resolve("journal")).deadLetterDir(dir.resolve("dead")).shutdownHook(false).build();
    for (long s = 0; s < 8; s++) {
      d.log(s, Map.of("loss", 1.0 / (s + 1)));
    }
    boolean[] first = new boolean[1];
    Thread firstCloser = new Thread(() -> first[0] = d.close(RunStatus.FINISHED, Duration.ofSeconds(30)));
    firstCloser.start();
    // the first close has asked the backend's worker to stop, and the worker is held in its write
    await().atMost(Duration.ofSeconds(30)).until(() -> backend.writer != null && Thread.getAllStackTraces().keySet()
        .stream().anyMatch(t -> t.getName().startsWith("trainlog-close-")));

    boolean[] second = new boolean[1];
    AtomicInteger closesSeenBySecond = new AtomicInteger(-1);
    Thread secondCloser = new Thread(() -> {
      second[0] = d.close(RunStatus.FINISHED, Duration.ofSeconds(30));
      closesSeenBySecond.set(backend.closes.get());
    });
    secondCloser.start();
    await().atMost(Duration.ofSeconds(30)).until(() -> !secondCloser.isAlive()
        || secondCloser.getState() == Thread.State.WAITING || secondCloser.getState() == Thread.State.TIMED_WAITING);
    backend.writeGate.countDown();
    firstCloser.join();
    secondCloser.join();

    assertThat(backend.steps()).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L);
    assertThat(first[0]).as("the first close delivered everything").isTrue();
    assertThat(second[0]).as("the second close answers as the first").isTrue();
    assertThat(closesSeenBySecond.get()).as("the second close returned once the backend was closed").isEqualTo(1);
  }
}
