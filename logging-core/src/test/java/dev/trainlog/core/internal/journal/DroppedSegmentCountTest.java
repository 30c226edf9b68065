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

  @Test
  void recordsAReaderHeldWhenTheirSegmentsWentAreNotedUntilWrittenAndCountedByTheNextProcessIfNot() throws IOException {
    Path dir = root.resolve("j");
    Journal first = Journal.tryOpen(dir, SEGMENT, 3L * SEGMENT);
    Cursor cursor = first.cursor("slow", first.head());
    first.subscribe(cursor, false);
    JournalTailer tailer = JournalTailer.at(first, cursor, true);
    for (long s = 0; s < 5; s++) {
      first.append(run, s, -1, s, false, MetricMap.builder(1).put("loss", s).build());
    }
    for (int k = 0; k < 5; k++) {
      assertThat(tailer.next()).isNotNull(); // a batch of five, read and not yet written
    }
    tailer.markSafe();
    for (long s = 5; s < RECORDS; s++) {
      first.append(run, s, -1, s, false, MetricMap.builder(1).put("loss", s).build());
    }
    long dropped = first.droppedBy(cursor);
    assertThat(dropped).as("the journal gave up what the reader had not read").isEqualTo(
        RECORDS - 5 - first.recordsFrom(cursor.position()));
    Path note = dir.resolve("slow" + Cursor.GIVEN_UP);
    assertThat(note).as("the five held are noted, not counted").exists();

    tailer.persist(); // the batch is written after all
    assertThat(note).doesNotExist();
    // the next batch is held in its turn, and the process ends with it unwritten
    for (int k = 0; k < 3; k++) {
      assertThat(tailer.next()).isNotNull();
    }
    long rest = first.recordsFrom(cursor.position());
    for (long s = RECORDS; s < 2 * RECORDS; s++) {
      first.append(run, s, -1, s, false, MetricMap.builder(1).put("loss", s).build());
    }
    assertThat(note).exists();
    long droppedBefore = first.droppedBy(cursor);
    first.close();

    try (CapturedLog log = new CapturedLog()) {
      Journal second = Journal.tryOpen(dir, SEGMENT, 3L * SEGMENT);
      Cursor again = second.cursor("slow", second.head());
      second.subscribe(again, false);
      assertThat(second.droppedBy(again)).as("the three held when the process ended").isEqualTo(3);
      assertThat(droppedBefore - dropped + 3).as("of the %d after the first batch, all counted", rest)
          .isEqualTo(rest + RECORDS - second.recordsFrom(again.position()));
      assertThat(log.text()).contains("Backend 'slow' lost 3 record(s) its worker held unwritten");
      assertThat(note).as("counted once").doesNotExist();
      second.close();
    }
  }
}
