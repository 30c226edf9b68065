package dev.trainlog.core.internal.journal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainlog.api.LogRecord;
import dev.trainlog.api.MetricMap;
import dev.trainlog.api.RunInfo;
import dev.trainlog.testkit.TestRecords;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CursorRecoveryTest {

  private static final int SEGMENT = 1 << 16;
  private static final int RECORDS = 3000;
  private static final int DELIVERED = 1000;

  @TempDir Path root;
  private final RunInfo run = TestRecords.run("exp", "run");

  /** A journal of {@value #RECORDS} records that backend "mongo" read {@value #DELIVERED} of. */
  private Path journalWithCursor() throws IOException {
    Path dir = root.resolve("j");
    Journal j = Journal.tryOpen(dir, SEGMENT, Long.MAX_VALUE);
    Cursor mongo = j.cursor("mongo", j.head());
    for (long s = 0; s < RECORDS; s++) {
      j.append(run, s, -1, 1000 + s, false, MetricMap.builder(1).put("loss", s).build());
    }
    JournalReader r = new JournalReader(j, mongo.position());
    for (int i = 0; i < DELIVERED; i++) {
      r.next();
    }
    mongo.store(r.position());
    j.close();
    return dir;
  }

  private static List<Long> stepsOf(Journal j, Cursor c) throws IOException {
    JournalReader r = new JournalReader(j, c.position());
    List<Long> steps = new ArrayList<>();
    for (LogRecord rec = r.next(); rec != null; rec = r.next()) {
      steps.add(rec.step());
    }
    return steps;
  }

  private static List<Long> range(long from, long to) {
    return LongStream.range(from, to).boxed().toList();
  }

  @Test
  void aCursorThatKeepsItsPlaceReadsOnFromThere() throws IOException {
    Path dir = journalWithCursor();
    Journal j = Journal.tryOpen(dir, SEGMENT, Long.MAX_VALUE);
    assertThat(stepsOf(j, j.cursor("mongo", j.head()))).containsExactlyElementsOf(range(DELIVERED, RECORDS));
    j.close();
  }

  @Test
  void aDeletedCursorIsReportedByNameAndItsBackendReadsFromTheOldestRecord() throws IOException {
    Path dir = journalWithCursor();
    Files.delete(dir.resolve("mongo.cursor"));

    try (CapturedLog log = new CapturedLog()) {
      Journal j = Journal.tryOpen(dir, SEGMENT, Long.MAX_VALUE);
      assertThat(stepsOf(j, j.cursor("mongo", j.head()))).containsExactlyElementsOf(range(0, RECORDS));
      j.close();
      assertThat(log.text()).contains("Journal " + dir + ": the cursor of backend 'mongo' (mongo.cursor) is missing;"
          + " 'mongo' reads again from the oldest record still in the journal, and the stores skip what they already"
          + " hold");
    }
  }

  @Test
  void aGarbageCursorIsReportedByNameAndItsBackendReadsFromTheOldestRecord() throws IOException {
    Path dir = journalWithCursor();
    Files.write(dir.resolve("mongo.cursor"), new byte[] {0, 0, 0, 1, 0, 0, 0x12, 0x34});

    try (CapturedLog log = new CapturedLog()) {
      Journal j = Journal.tryOpen(dir, SEGMENT, Long.MAX_VALUE);
      assertThat(stepsOf(j, j.cursor("mongo", j.head()))).containsExactlyElementsOf(range(0, RECORDS));
      j.close();
      assertThat(log.text()).contains("Journal " + dir + ": the cursor of backend 'mongo' (mongo.cursor) does not"
          + " point at a record (segment 1, byte 4660); 'mongo' reads again from the oldest record");
    }
  }

  @Test
  void aTruncatedCursorFileIsReportedByName() throws IOException {
    Path dir = journalWithCursor();
    Files.write(dir.resolve("mongo.cursor"), new byte[] {7, 7, 7});

    try (CapturedLog log = new CapturedLog()) {
      Journal j = Journal.tryOpen(dir, SEGMENT, Long.MAX_VALUE);
      assertThat(stepsOf(j, j.cursor("mongo", j.head()))).containsExactlyElementsOf(range(0, RECORDS));
      j.close();
      assertThat(log.text()).contains("the cursor of backend 'mongo' (mongo.cursor) is not 8 bytes long");
    }
  }

  @Test
  void aCursorLeftPastTheHeadByAnInterruptedDeletionReadsTheNewRecords() throws IOException {
    Path dir = journalWithCursor();
    // a kill inside close's deletion of an older version: the segments gone, the cursor left behind
    try (Stream<Path> files = Files.list(dir)) {
      for (Path p : files.filter(p -> Segment.indexOf(p) >= 0).toList()) {
        Files.delete(p);
      }
    }

    try (CapturedLog log = new CapturedLog()) {
      Journal j = Journal.tryOpen(dir, SEGMENT, Long.MAX_VALUE);
      Cursor mongo = j.cursor("mongo", j.head());
      for (long s = 5000; s < 5010; s++) {
        j.append(run, s, -1, 1000 + s, false, MetricMap.builder(1).put("loss", s).build());
      }
      assertThat(stepsOf(j, mongo)).containsExactlyElementsOf(range(5000, 5010));
      j.close();
      assertThat(log.text()).contains("the cursor of backend 'mongo' (mongo.cursor) points past the journal's head");
    }
  }

  @Test
  void aBackendNewToAJournalStartsAtItsHeadWithoutAWarning() throws IOException {
    Path dir = journalWithCursor();

    try (CapturedLog log = new CapturedLog()) {
      Journal j = Journal.tryOpen(dir, SEGMENT, Long.MAX_VALUE);
      assertThat(stepsOf(j, j.cursor("tensorboard", j.head()))).isEmpty();
      j.close();
      assertThat(log.text()).doesNotContain("tensorboard");
    }
    assertThat(Files.readAllLines(dir.resolve(BackendRegistry.FILE))).containsExactly("mongo", "tensorboard");
  }

  @Test
  void everySingleFlippedBitOfACursorIsFoundOrHarmless() throws IOException {
    Path dir = root.resolve("j");
    Journal j = Journal.tryOpen(dir, SEGMENT, Long.MAX_VALUE);
    Cursor mongo = j.cursor("mongo", j.head());
    int records = 5000; // equal in size, over several segments: a cursor one segment further points at a record too
    for (long s = 0; s < records; s++) {
      j.append(run, s, -1, 1000 + s, false, MetricMap.builder(1).put("loss", s).build());
    }
    JournalReader r = new JournalReader(j, mongo.position());
    for (int i = 0; i < DELIVERED; i++) {
      r.next();
    }
    mongo.store(r.position());
    assertThat(j.segments()).as("several segments").hasSizeGreaterThan(1);
    j.close();
    Path file = dir.resolve("mongo.cursor");
    byte[] good = Files.readAllBytes(file);

    for (int bit = 0; bit < 64; bit++) {
      byte[] flipped = good.clone();
      flipped[bit / 8] ^= (byte) (1 << (bit % 8));
      Files.write(file, flipped);
      try (CapturedLog log = new CapturedLog()) {
        Journal again = Journal.tryOpen(dir, SEGMENT, Long.MAX_VALUE);
        List<Long> steps = stepsOf(again, again.cursor("mongo", again.head()));
        again.close();
        if (!steps.equals(range(DELIVERED, records))) {
          assertThat(steps).as("bit %d: read again from the oldest", bit).containsExactlyElementsOf(range(0, records));
          assertThat(log.text()).as("bit %d", bit).contains("the cursor of backend 'mongo' (mongo.cursor) ");
        }
      }
      Files.write(file, good);
    }
  }

  @Test
  void aCursorWrittenBeforePositionsWereSealedIsReadAsItIs() throws IOException {
    Path dir = journalWithCursor();
    Path file = dir.resolve("mongo.cursor");
    long position = Cursor.unseal(java.nio.ByteBuffer.wrap(Files.readAllBytes(file)).getLong());
    Files.write(file, java.nio.ByteBuffer.allocate(8).putLong(position).array()); // an earlier version's cursor

    try (CapturedLog log = new CapturedLog()) {
      Journal j = Journal.tryOpen(dir, SEGMENT, Long.MAX_VALUE);
      assertThat(stepsOf(j, j.cursor("mongo", j.head()))).containsExactlyElementsOf(range(DELIVERED, RECORDS));
      j.close();
      assertThat(log.text()).doesNotContain("mongo.cursor");
    }
  }

  @Test
  void aJournalReopenedTwiceAfterItsProcessesEndedReadsWholeWithNoDamage() throws IOException {
    Path dir = root.resolve("again");
    for (int process = 0; process < 3; process++) { // each ends without a roll: as a kill -9 leaves it
      Journal j = Journal.tryOpen(dir, SEGMENT, Long.MAX_VALUE);
      for (long s = process * 100L; s < process * 100L + 100; s++) {
        j.append(run, s, -1, 1000 + s, false, MetricMap.builder(1).put("loss", s).build());
      }
      j.close();
    }
    try (CapturedLog log = new CapturedLog()) {
      Journal j = Journal.tryOpen(dir, SEGMENT, Long.MAX_VALUE);
      JournalReader r = new JournalReader(j, j.start());
      List<Long> steps = new ArrayList<>();
      for (LogRecord rec = r.next(); rec != null; rec = r.next()) {
        steps.add(rec.step());
      }
      r.endOfJournal();
      assertThat(steps).containsExactlyElementsOf(range(0, 300));
      assertThat(r.damaged()).isZero();
      assertThat(j.recordsFrom(j.start())).isEqualTo(300);
      j.close();
      assertThat(log.text()).as("the segments an earlier process left end in the mark a roll gives")
          .doesNotContain("damaged");
    }
  }
}
