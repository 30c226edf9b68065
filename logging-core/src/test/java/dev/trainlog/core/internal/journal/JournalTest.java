package dev.trainlog.core.internal.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trainlog.api.LogRecord;
import dev.trainlog.api.MetricMap;
import dev.trainlog.api.RunInfo;
import dev.trainlog.testkit.TestRecords;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalTest {

  @TempDir Path dir;
  private final RunInfo run = TestRecords.run("exp", "run");

  private static MetricMap metrics(long step) {
    return MetricMap.builder(2).put("loss", 1.0 / (step + 1)).put("gpu_util", new double[] {step, Double.NaN}).build();
  }

  private Path writeRecords(Path journalDir, int count) throws IOException {
    Journal j = Journal.tryOpen(journalDir, 1 << 16, Long.MAX_VALUE);
    for (long s = 0; s < count; s++) {
      assertThat(j.append(run, s, s, 1000 + s, false, metrics(s))).isEqualTo(s);
    }
    j.close();
    try (Stream<Path> files = Files.list(journalDir)) {
      return files.filter(p -> Segment.indexOf(p) >= 0).findFirst().orElseThrow();
    }
  }

  private static List<LogRecord> readAll(Journal j) throws IOException {
    JournalReader r = new JournalReader(j, j.start());
    List<LogRecord> out = new ArrayList<>();
    for (LogRecord rec = r.next(); rec != null; rec = r.next()) {
      out.add(rec);
    }
    return out;
  }

  @Test
  void recordsReadBackBitForBitWithTheirRun() throws IOException {
    writeRecords(dir.resolve("j"), 100);

    Journal j = Journal.tryOpen(dir.resolve("j"), 1 << 16, Long.MAX_VALUE);
    List<LogRecord> all = readAll(j);
    assertThat(all).hasSize(100);
    assertThat(all.get(7)).isEqualTo(new LogRecord(run, 7, 7, 1007, metrics(7), false));
    assertThat(j.lastSequence()).isEqualTo(99);
    j.close();
  }

  @Test
  void aSegmentTornAtEveryByteOfItsLastRecordKeepsEveryWholeRecord() throws IOException {
    Path segment = writeRecords(dir.resolve("whole"), 3);
    Journal whole = Journal.tryOpen(dir.resolve("whole"), 1 << 16, Long.MAX_VALUE);
    long end = Positions.offset(whole.head());
    whole.close();
    byte[] bytes = Files.readAllBytes(segment);
    int lastLength = ((bytes[(int) lastFrameStart(bytes, end)] & 0xff) << 24) | ((bytes[(int) lastFrameStart(bytes, end) + 1] & 0xff) << 16)
        | ((bytes[(int) lastFrameStart(bytes, end) + 2] & 0xff) << 8) | (bytes[(int) lastFrameStart(bytes, end) + 3] & 0xff);
    long start = lastFrameStart(bytes, end);
    assertThat(start + 8 + lastLength).isEqualTo(end);

    for (long cut = start; cut < end; cut++) {
      for (boolean truncate : new boolean[] {true, false}) {
        Path copy = dir.resolve("cut-" + cut + "-" + truncate);
        Files.createDirectories(copy);
        Path torn = copy.resolve(segment.getFileName());
        Files.write(torn, bytes);
        try (RandomAccessFile f = new RandomAccessFile(torn.toFile(), "rw")) {
          if (truncate) {
            f.setLength(cut); // the file itself cut short
          } else {
            f.seek(cut); // the bytes after the cut never written: zeros, as a killed append leaves them
            f.write(new byte[(int) (end - cut)]);
          }
        }
        boolean unchanged = !truncate && allZero(bytes, cut, end); // zeroing bytes that were zero tears nothing
        Journal j = Journal.tryOpen(copy, 1 << 16, Long.MAX_VALUE);
        assertThat(readAll(j)).as("cut at %d (%s)", cut, truncate ? "truncated" : "zeroed")
            .extracting(LogRecord::step).containsExactlyElementsOf(unchanged ? List.of(0L, 1L, 2L) : List.of(0L, 1L));
        assertThat(j.lastSequence()).isEqualTo(unchanged ? 2 : 1);
        j.close();
      }
    }
  }

  private static boolean allZero(byte[] bytes, long from, long to) {
    for (long i = from; i < to; i++) {
      if (bytes[(int) i] != 0) {
        return false;
      }
    }
    return true;
  }

  /** The start of the frame that ends at {@code end}: walk the frames from the first one. */
  private static long lastFrameStart(byte[] bytes, long end) {
    int runLength = ((bytes[8] & 0xff) << 24) | ((bytes[9] & 0xff) << 16) | ((bytes[10] & 0xff) << 8) | (bytes[11] & 0xff);
    long at = 12 + runLength;
    while (true) {
      int len = ((bytes[(int) at] & 0xff) << 24) | ((bytes[(int) at + 1] & 0xff) << 16) | ((bytes[(int) at + 2] & 0xff) << 8)
          | (bytes[(int) at + 3] & 0xff);
      if (at + 8 + len >= end) {
        return at;
      }
      at += 8 + len;
    }
  }

  @Test
  void aNewProcessAppendsAfterWhatTheLastOneLeftAndContinuesItsSequence() throws IOException {
    writeRecords(dir.resolve("j"), 10);
    Journal j = Journal.tryOpen(dir.resolve("j"), 1 << 16, Long.MAX_VALUE);
    long next = j.lastSequence() + 1;
    j.append(run, 10, next, 2000, true, metrics(10));

    List<LogRecord> all = readAll(j);
    assertThat(all).extracting(LogRecord::sequence).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
    assertThat(all.get(10).forced()).isTrue();
    j.close();
  }

  @Test
  void aMaxSizeBelowTwoSegmentsIsRefusedNamingBothSettings() {
    assertThatThrownBy(() -> Journal.tryOpen(dir.resolve("j"), 1 << 16, 100_000))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the journal's max-size (100000 bytes) must be at least twice its segment-size (65536 bytes):"
            + " raise dispatcher.journal.max-size or lower dispatcher.journal.segment-size");
  }

  @Test
  void aJournalHeldByALiveDispatcherIsNotOpenedAgain() throws IOException {
    Journal held = Journal.tryOpen(dir.resolve("j"), 1 << 16, Long.MAX_VALUE);

    assertThat(Journal.tryOpen(dir.resolve("j"), 1 << 16, Long.MAX_VALUE)).isNull();
    assertThat(Journal.holderOf(dir.resolve("j"))).isEqualTo(Long.toString(ProcessHandle.current().pid()));
    held.close();
    Journal again = Journal.tryOpen(dir.resolve("j"), 1 << 16, Long.MAX_VALUE);
    assertThat(again).isNotNull();
    again.close();
  }
}
