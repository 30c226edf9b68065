package dev.trainlog.core.internal.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainlog.api.LogRecord;
import dev.trainlog.api.RunInfo;
import dev.trainlog.api.RunStatus;
import dev.trainlog.core.LogDispatcher;
import dev.trainlog.core.spec.ChannelSettings;
import dev.trainlog.core.spec.SampleSpec;
import dev.trainlog.spi.LogBackend;
import dev.trainlog.testkit.TestRecords;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * flush() is answered once what was logged before it is written, however much other threads log meanwhile.
 * The worker answered a flush only after a read that found nothing new: while something was logged during each
 * write (another thread logging, a loaded machine's slow writes), every read found a record, and flush() waited
 * out its timeout and said false of records written long before. Here each write logs the next record itself,
 * so a read never comes back empty while the test's flush waits.
 */
class FlushWhileLoggingTest {

  @TempDir Path dir;
  private final RunInfo run = TestRecords.run("exp", "flush-while-logging");

  @Test
  void aFlushIsAnsweredOnceWhatWasLoggedBeforeItIsWritten() throws Exception {
    FeedingBackend backend = new FeedingBackend();
    ChannelSettings settings = ChannelSettings.defaults().withFlushInterval(Duration.ofHours(1));
    LogDispatcher d = LogDispatcher.builder(run).backend("fed", backend, SampleSpec.always(), settings)
        .journalDir(dir.resolve("journal")).deadLetterDir(dir.resolve("dead")).shutdownHook(false).build();
    backend.dispatcher = d;
    d.log(0, Map.of("loss", 1.0));

    backend.feeding = true;
    boolean flushed = d.flush(Duration.ofSeconds(20));
    backend.feeding = false;

    assertThat(flushed).as("flush answered while records kept coming").isTrue();
    assertThat(backend.steps).contains(0L);
    assertThat(d.close(RunStatus.FINISHED, Duration.ofSeconds(20))).isTrue();
    assertThat(backend.steps).hasSize((int) backend.next.get());
  }

  /** Each write, while feeding, logs the next step through the dispatcher before it returns. */
  private static final class FeedingBackend implements LogBackend {
    final List<Long> steps = Collections.synchronizedList(new ArrayList<>());
    final AtomicLong next = new AtomicLong(1);
    volatile LogDispatcher dispatcher;
    volatile boolean feeding;

    @Override
    public void write(List<LogRecord> batch) {
      batch.forEach(r -> steps.add(r.step()));
      if (feeding) {
        dispatcher.log(next.getAndIncrement(), Map.of("loss", 0.5));
      }
    }
  }
}
