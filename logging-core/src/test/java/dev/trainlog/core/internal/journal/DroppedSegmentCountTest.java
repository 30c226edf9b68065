package dev.trainlog.core.internal.journal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainlog.api.LogRecord;
import dev.trainlog.api.MetricMap;
import dev.trainlog.api.RunInfo;
import dev.trainlog.testkit.TestRecords;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DroppedSegmentCountTest {

  private static final int SEGMENT = 8192;
  private static final int RECORDS = 3000;

  @TempDir Path root;
  private final RunInfo run = TestRecords.run("exp", "run");

  @Test
  void aDroppingCursorWhoseReaderNeverRunsHasEveryGivenUpRecordCounted() throws IOException {
    Journal j = Journal.tryOpen(root.resolve("j"), SEGMENT, 3L * SEGMENT);
    Cursor idle = j.cursor("idle", j.head());
    j.subscribe(idle, false);
    for (long s = 0; s < RECORDS; s++) {
      j.append(run, s, -1, s, false, MetricMap.builder(1).put("loss", s).build());
    }

    long left = j.recordsFrom(idle.position());
    assertThat(j.droppedBy(idle)).isGreaterThan(RECORDS / 2).isEqualTo(RECORDS - left);
    j.close();
  }

  @Test
  void aLaterProcessCountsTheRecordsOfSegmentsAnEarlierOneDeleted() throws IOException {
    Path dir = root.resolve("j");
    Journal first = Journal.tryOpen(dir, SEGMENT, 3L * SEGMENT);
    Cursor late = first.cursor("late", first.head()); // not configured in this process: not subscribed
    Cursor other = first.cursor("other", first.head());
    first.subscribe(other, false);
    for (long s = 0; s < RECORDS; s++) {
      first.append(run, s, -1, s, false, MetricMap.builder(1).put("loss", s).build());
    }
    assertThat(late.position()).isZero();
    first.close();

    try (CapturedLog log = new CapturedLog()) {
      Journal second = Journal.tryOpen(dir, SEGMENT, 3L * SEGMENT);
      Cursor again = second.cursor("late", second.head());
      second.subscribe(again, false);
      long read = 0;
      JournalReader r = new JournalReader(second, again, again.position());
      for (LogRecord rec = r.next(); rec != null; rec = r.next()) {
        read++;
      }
      long dropped = second.droppedBy(again);
      assertThat(dropped).isGreaterThan(RECORDS / 2);
      assertThat(dropped + read).as("every record read or counted").isEqualTo(RECORDS);
      assertThat(log.text()).contains("Journal " + dir + ": backend 'late' lost " + dropped + " record(s) of segments"
          + " an earlier process gave up while it lagged (dispatcher.journal.on-full: drop-oldest)");
      second.close();
    }
  }
}
