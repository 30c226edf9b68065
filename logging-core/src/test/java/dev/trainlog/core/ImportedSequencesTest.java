package dev.trainlog.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainlog.api.LogRecord;
import dev.trainlog.api.RunInfo;
import dev.trainlog.core.spec.ChannelSettings;
import dev.trainlog.core.spec.Reduce;
import dev.trainlog.core.spec.SampleSpec;
import dev.trainlog.spi.LogBackend;
import dev.trainlog.testkit.TestRecords;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dispatcher keeps imported sequences in order itself: an importer passes where each step came from. */
class ImportedSequencesTest {

  @TempDir Path dir;
  private final RunInfo run = TestRecords.run("exp", "imported");
  private final List<LogRecord> stored = Collections.synchronizedList(new ArrayList<>());
  private final LogBackend backend = batch -> stored.addAll(batch);

  private LogDispatcher dispatcher() {
    return LogDispatcher.builder(run)
        .backend("mem", backend, SampleSpec.every(2).reduce(Reduce.MEAN),
            ChannelSettings.defaults().withFlushInterval(Duration.ofMillis(10)))
        .journalDir(dir.resolve("journal")).deadLetterDir(dir.resolve("dead")).shutdownHook(false).build();
  }

  private List<Long> sequences() {
    return stored.stream().map(LogRecord::sequence).toList();
  }

  @Test
  void aSequenceAlreadyTakenIsRaisedToTheNextFreeOneAndTheLeftoverOfCloseComesAfterTheHighest() {
    LogDispatcher d = dispatcher();
    d.logImported(0, 1_000, 100, Map.of("loss", 1.0));
    d.logImported(1, 1_001, 40, Map.of("loss", 2.0)); // an add_hparams file read after a later one
    d.logImported(2, 1_002, 300, Map.of("loss", 3.0));
    d.logImported(3, 1_003, 200, Map.of("loss", 4.0));
    d.close();

    // steps 0 and 2 kept (every 2, steps 1 and 2 folded into 2); step 3 is left folded until close
    assertThat(sequences()).containsExactly(100L, 300L, 302L);
    assertThat(d.lastImportedSequence()).isEqualTo(302);
  }

  @Test
  void aDispatcherContinuingARunImportsAfterWhatTheClosedOneNumbered() {
    LogDispatcher first = dispatcher();
    first.logImported(0, 1_000, 10, Map.of("loss", 1.0));
    first.logImported(1, 1_001, 11, Map.of("loss", 2.0));
    first.close();
    long last = first.lastImportedSequence();
    LogDispatcher second = dispatcher();
    second.continueImportAfter(last);
    second.logImported(2, 1_002, 5, Map.of("loss", 3.0));
    second.close();

    assertThat(last).isEqualTo(12);
    assertThat(sequences()).containsExactly(10L, 12L, 13L);
    assertThat(stored.stream().map(LogRecord::id).distinct()).hasSize(3);
  }

  @Test
  void importingTheSameStepsAgainGivesTheSameSequences() {
    for (int i = 0; i < 2; i++) {
      LogDispatcher d = dispatcher();
      d.logImported(0, 1_000, 7, Map.of("loss", 1.0));
      d.logImported(1, 1_001, 9, Map.of("loss", 2.0));
      d.close();
    }
    assertThat(sequences()).containsExactly(7L, 10L, 7L, 10L);
  }
}
