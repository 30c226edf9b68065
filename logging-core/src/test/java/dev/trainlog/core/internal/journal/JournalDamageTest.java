package dev.trainlog.core.internal.journal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainlog.api.LogRecord;
import dev.trainlog.api.MetricMap;
import dev.trainlog.api.RunInfo;
import dev.trainlog.testkit.TestRecords;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalDamageTest {

  private static final int SEGMENT = 1 << 16;
  private static final int RECORDS = 5000;

  @TempDir Path root;
  private Path dir;
  private final RunInfo run = TestRecords.run("exp", "run");
  private List<Path> segmentFiles;

  @BeforeEach
  void writeJournal() throws IOException {
    dir = root.resolve("j");
    Journal j = Journal.tryOpen(dir, SEGMENT, Long.MAX_VALUE);
    for (long s = 0; s < RECORDS; s++) {
      j.append(run, s, -1, 1000 + s, false, MetricMap.builder(1).put("loss", 1.0 / (s + 1)).build());
    }
    j.close();
    try (Stream<Path> files = Files.list(dir)) {
      segmentFiles = files.filter(p -> Segment.indexOf(p) >= 0).sorted().toList();
    }
    assertThat(segmentFiles).hasSizeGreaterThan(3);
  }

  /** The frame offsets of a segment file, walked by their lengths. */
  private static List<Integer> frames(Path file) throws IOException {
    Segment seg = Segment.open(file);
    List<Integer> offsets = new ArrayList<>();
    for (int off = seg.dataStart(); seg.lengthAt(off) > 0; off += Segment.FRAME_HEADER + seg.lengthAt(off)) {
      offsets.add(off);
    }
    return offsets;
  }

  private static long stepAt(Path file, int frame) throws IOException {
    return Segment.open(file).longAt(frame + Segment.FRAME_HEADER);
  }

  private List<Long> readSteps() throws IOException {
    Journal j = Journal.tryOpen(dir, SEGMENT, Long.MAX_VALUE);
    try {
      JournalReader r = new JournalReader(j, j.start());
      List<Long> steps = new ArrayList<>();
      for (LogRecord rec = r.next(); rec != null; rec = r.next()) {
        steps.add(rec.step());
      }
      return steps;
    } finally {
      j.close();
    }
  }

  /** Reading the reopened journal gives {@code expected}, and the recovery or the reader said {@code warning}. */
  private void assertOnlyLostAndWarned(List<Long> expected, String warning) throws IOException {
    try (CapturedLog log = new CapturedLog()) {
      assertThat(readSteps()).containsExactlyElementsOf(expected);
      assertThat(log.text()).contains(warning);
    }
  }

  private static List<Long> allStepsBut(long... lost) {
    List<Long> gone = LongStream.of(lost).boxed().toList();
    return LongStream.range(0, RECORDS).boxed().filter(s -> !gone.contains(s)).collect(Collectors.toList());
  }

  private static void write(Path file, long at, byte[] bytes) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.seek(at);
      f.write(bytes);
    }
  }

  private static byte readByte(Path file, long at) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
      f.seek(at);
      return f.readByte();
    }
  }

  @Test
  void aFlippedByteLosesOnlyItsRecordAndSaysWhere() throws IOException {
    Path file = segmentFiles.get(1);
    int frame = frames(file).get(100);
    long step = stepAt(file, frame);
    int at = frame + Segment.FRAME_HEADER + 7; // the step's lowest byte
    write(file, at, new byte[] {(byte) (readByte(file, at) ^ 0x01)});

    assertOnlyLostAndWarned(allStepsBut(step), "Journal " + dir + ": 1 damaged record(s) at byte " + frame + " of segment "
          + file.getFileName() + " skipped (a CRC mismatch); the records after them are read on");
  }

  @Test
  void aZeroedLengthLosesOnlyItsRecordAndSaysWhere() throws IOException {
    Path file = segmentFiles.get(2);
    int frame = frames(file).get(5);
    long step = stepAt(file, frame);
    write(file, frame, new byte[4]);

    assertOnlyLostAndWarned(allStepsBut(step), "Journal " + dir + ": 1 damaged record(s) at byte " + frame + " of segment "
          + file.getFileName() + " skipped (a zeroed length)");
  }

  @Test
  void aSegmentCutShortLosesTheRecordsAfterTheCutAndCountsThem() throws IOException {
    Path file = segmentFiles.get(1);
    List<Integer> frames = frames(file);
    int cut = frames.get(200) + 3; // inside a frame's length
    long[] lost = LongStream.range(stepAt(file, frames.get(200)), stepAt(file, frames.get(frames.size() - 1)) + 1)
        .toArray();
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.setLength(cut);
    }

    assertOnlyLostAndWarned(allStepsBut(lost), "Journal " + dir + ": " + lost.length + " damaged record(s) at byte "
          + frames.get(200) + " of segment " + file.getFileName() + " skipped (the file is cut short)");
  }

  @Test
  void aByteFlippedUnderAnOpenJournalIsNotDeliveredAsAWrongStep() throws IOException {
    Journal j = Journal.tryOpen(dir, SEGMENT, Long.MAX_VALUE); // recovered intact
    Path file = segmentFiles.get(1);
    int frame = frames(file).get(10);
    long step = stepAt(file, frame);
    int at = frame + Segment.FRAME_HEADER + 7;
    write(file, at, new byte[] {(byte) (readByte(file, at) ^ 0x04)}); // seen through the shared mapping

    try (CapturedLog log = new CapturedLog()) {
      JournalReader r = new JournalReader(j, j.start());
      List<Long> steps = new ArrayList<>();
      for (LogRecord rec = r.next(); rec != null; rec = r.next()) {
        steps.add(rec.step());
      }
      assertThat(steps).containsExactlyElementsOf(allStepsBut(step));
      assertThat(r.damaged()).isEqualTo(1);
      assertThat(log.text()).contains("Journal " + dir + ": 1 damaged record(s) at byte " + frame + " of segment "
          + file.getFileName() + " (a CRC mismatch) skipped; reading goes on");
    } finally {
      j.close();
    }
  }

  @Test
  void aFrameThatDoesNotDecodeIsSkippedWithItsReason() throws IOException {
    Path file = segmentFiles.get(0);
    int frame = frames(file).get(3);
    long step = stepAt(file, frame);
    int length = Segment.open(file).lengthAt(frame);
    byte[] payload = new byte[length];
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.seek(frame + Segment.FRAME_HEADER);
      f.readFully(payload);
      payload[25] = 'X'; // the metrics are no map, and the CRC says the frame is as written
      CRC32C crc = new CRC32C();
      crc.update(payload);
      f.seek(frame + 4);
      f.write(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
      f.write(payload);
    }

    assertOnlyLostAndWarned(allStepsBut(step), "Journal " + dir + ": the record at byte " + frame + " of segment "
          + file.getFileName() + " cannot be decoded (corrupt journal record: its metrics are not a map); it is"
          + " skipped");
  }
}
