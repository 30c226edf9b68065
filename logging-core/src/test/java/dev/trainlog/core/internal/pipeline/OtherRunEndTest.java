package dev.trainlog.core.internal.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainlog.api.LogRecord;
import dev.trainlog.api.RunInfo;
import dev.trainlog.api.RunStatus;
import dev.trainlog.core.LogDispatcher;
import dev.trainlog.core.spec.ChannelSettings;
import dev.trainlog.core.spec.SampleSpec;
import dev.trainlog.spi.LogBackend;
import dev.trainlog.testkit.MutableClock;
import dev.trainlog.testkit.TestRecords;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run closed while a backend was down leaves its records and how it ended in its journal; the process that
 * delivers them tells the backend that end, where it would otherwise take the run for killed.
 */
class OtherRunEndTest {

  @TempDir Path dir;
  private static final ChannelSettings FAST = ChannelSettings.defaults().withFlushInterval(Duration.ofMillis(20))
      .withRetryBackoff(Duration.ofMillis(1), Duration.ofMillis(5));

  /** Records the ends it is told of, and otherwise behaves as the recording backend it wraps. */
  static final class EndRecording implements LogBackend {
    final RecordingBackend inner = new RecordingBackend();
    final List<String> ends = new CopyOnWriteArrayList<>();

    @Override
    public void open() throws Exception {
      inner.open();
    }

    @Override
    public void write(List<LogRecord> batch) throws Exception {
      inner.write(batch);
    }

    @Override
    public void otherRunEnded(RunInfo run, RunStatus status, long endTimeMillis) {
      ends.add(run.runId() + "/" + run.rank() + " " + status + " " + endTimeMillis + " after " + inner.stored.size());
    }
  }

  private final MutableClock clock = new MutableClock(java.time.Instant.ofEpochMilli(1_796_600_000_000L));

  @Test
  void aRunClosedWhileItsBackendWasDownEndsThereWithItsOwnStatusOnceItsRecordsArrive() throws Exception {
    RunInfo first = TestRecords.run("exp", "first");
    Path left = closedWhileDown(first, 10);
    RunEndFile.End end = RunEndFile.read(left);
    assertThat(end.status()).isEqualTo(RunStatus.FINISHED);
    assertThat(end.endTimeMillis()).isEqualTo(1_796_600_005_000L);
    assertThat(end.run().runId()).isEqualTo(first.runId());
    assertThat(end.run().experiment()).isEqualTo("exp");

    EndRecording up = deliveredByAnotherRun();
    assertThat(up.inner.stored).hasSize(10);
    assertThat(up.ends).containsExactly(first.runId() + "/0 FINISHED 1796600005000 after 10");
    assertThat(left).doesNotExist();
  }

  @Test
  void aJournalWithoutAnEndWasLeftByAKillAndNoEndIsTold() throws Exception {
    RunInfo first = TestRecords.run("exp", "first");
    Path left = closedWhileDown(first, 1);
    RunEndFile.begin(left, first); // as a kill -9 leaves it: the process never closed

    EndRecording up = deliveredByAnotherRun();
    assertThat(up.inner.stored).hasSize(1);
    assertThat(up.ends).isEmpty();
  }

  @Test
  void aRunResumedWithItsIdGoesOnAndItsEarlierEndIsForgotten() throws Exception {
    RunInfo run = TestRecords.run("exp", "resumed");
    Path own = closedWhileDown(run, 1);
    assertThat(RunEndFile.read(own)).isNotNull();

    EndRecording up = new EndRecording();
    LogDispatcher again = dispatcher(run, up);
    assertThat(RunEndFile.read(own)).as("running again").isNull();
    again.log(1, Map.of("loss", 0.5));
    assertThat(again.close(RunStatus.FINISHED, Duration.ofSeconds(20))).isTrue();
    assertThat(up.inner.stored).hasSize(2);
    assertThat(up.ends).isEmpty();
  }

  /** Logs {@code steps} steps of {@code run} while its backend is down and closes it, 5 s later; its journal. */
  private Path closedWhileDown(RunInfo run, int steps) {
    EndRecording down = new EndRecording();
    down.inner.down = true;
    LogDispatcher d = dispatcher(run, down);
    for (long s = 0; s < steps; s++) {
      d.log(s, Map.of("loss", 1.0 / (s + 1)));
    }
    clock.advance(Duration.ofSeconds(5));
    assertThat(d.close(RunStatus.FINISHED, Duration.ofMillis(200))).isFalse();
    return dir.resolve("journal").resolve(run.runId() + "-rank0");
  }

  /** A dispatcher of another run whose backend is up: it delivers the journals left. */
  private EndRecording deliveredByAnotherRun() {
    EndRecording up = new EndRecording();
    try (LogDispatcher next = dispatcher(TestRecords.run("exp", "next"), up)) {
      assertThat(next.flush(Duration.ofSeconds(20))).isTrue();
    }
    return up;
  }

  private LogDispatcher dispatcher(RunInfo run, LogBackend backend) {
    return LogDispatcher.builder(run).backend("a", backend, SampleSpec.always(), FAST).clock(clock)
        .journalDir(dir.resolve("journal")).deadLetterDir(dir.resolve("dead")).shutdownHook(false).build();
  }
}
