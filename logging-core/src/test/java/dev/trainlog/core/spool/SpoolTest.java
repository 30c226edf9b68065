package dev.trainlog.core.spool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trainlog.api.LogRecord;
import dev.trainlog.api.RunInfo;
import dev.trainlog.testkit.TestRecords;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpoolTest {

  @TempDir Path dir;
  private final RunInfo run = TestRecords.run("exp", "run");

  private static List<Long> steps(List<LogRecord> records) {
    return records.stream().map(LogRecord::step).collect(Collectors.toList());
  }

  private List<LogRecord> drain(Spool spool) throws IOException {
    List<LogRecord> all = new ArrayList<>();
    while (true) {
      List<LogRecord> batch = spool.peek(100);
      if (batch.isEmpty()) {
        return all;
      }
      all.addAll(batch);
      spool.ack();
    }
  }

  @Test
  void recordsComeBackInOrderAndBitForBit() throws Exception {
    try (Spool spool = Spool.open(dir)) {
      for (LogRecord r : TestRecords.scalarSteps(run, 0, 10_000)) {
        spool.append(r);
      }
      spool.append(TestRecords.everyKind(run, 10_000));
      assertThat(spool.pending()).isEqualTo(10_001);

      List<LogRecord> back = drain(spool);
      assertThat(back).containsExactlyElementsOf(concat(TestRecords.scalarSteps(run, 0, 10_000), TestRecords.everyKind(run, 10_000)));
      assertThat(spool.pending()).isZero();
    }
    assertThat(Files.list(dir).filter(p -> p.toString().endsWith(".spool"))).isEmpty();
  }

  private static List<LogRecord> concat(List<LogRecord> a, LogRecord b) {
    List<LogRecord> all = new ArrayList<>(a);
    all.add(b);
    return all;
  }

  @Test
  void prependedRecordsComeBeforeEverythingSpooledAndSurviveAReopen() throws Exception {
    try (Spool spool = Spool.open(dir)) {
      for (LogRecord r : TestRecords.scalarSteps(run, 10, 20)) {
        spool.append(r);
      }
      spool.prepend(TestRecords.scalarSteps(run, 0, 10));
    }
    try (Spool reopened = Spool.open(dir)) {
      assertThat(reopened.pending()).isEqualTo(20);
      assertThat(steps(drain(reopened))).containsExactlyElementsOf(steps(TestRecords.scalarSteps(run, 0, 20)));
    }
  }

  @Test
  void aPartlyDeliveredSegmentResumesAfterTheDeliveredRecords() throws Exception {
    try (Spool spool = Spool.open(dir)) {
      for (LogRecord r : TestRecords.scalarSteps(run, 0, 50)) {
        spool.append(r);
      }
      assertThat(steps(spool.peek(20))).hasSize(20);
      spool.ack();
      assertThat(steps(spool.peek(5))).containsExactly(20L, 21L, 22L, 23L, 24L); // read, not delivered
    }
    try (Spool reopened = Spool.open(dir)) {
      List<Long> rest = steps(drain(reopened));
      assertThat(rest).as("at least once: the undelivered records are all there, in order")
          .containsSubsequence(20L, 21L, 49L).endsWith(49L).contains(24L);
    }
  }

  @Test
  void aRecordCutShortByACrashEndsTheSegmentButKeepsWhatCameBefore() throws Exception {
    Path segment;
    try (Spool spool = Spool.open(dir)) {
      for (LogRecord r : TestRecords.scalarSteps(run, 0, 5)) {
        spool.append(r);
      }
      spool.flush();
      try (var files = Files.list(dir)) {
        segment = files.filter(p -> p.toString().endsWith(".spool")).findFirst().orElseThrow();
      }
    }
    byte[] bytes = Files.readAllBytes(segment);
    Files.write(segment, java.util.Arrays.copyOf(bytes, bytes.length - 7));

    try (Spool reopened = Spool.open(dir)) {
      assertThat(steps(drain(reopened))).containsExactly(0L, 1L, 2L, 3L);
    }
  }

  @Test
  void aSpoolHeldByAnotherDispatcherIsRefusedOrSkipped() throws Exception {
    try (Spool first = Spool.open(dir.resolve("a"))) {
      assertThat(first.directory()).isEqualTo(dir.resolve("a"));
      assertThatThrownBy(() -> Spool.open(dir.resolve("a")))
          .hasMessage("spool directory " + dir.resolve("a") + " is in use by another dispatcher");
      try (Spool second = Spool.openFirstFree(dir.resolve("a"))) {
        assertThat(second.directory()).isEqualTo(dir.resolve("a-2"));
      }
    }
  }

  @Test
  void aStrayFileNamedLikeASegmentIsLeftAloneAndASpoolThatCannotBeReadDoesNotStayLocked() throws Exception {
    Path spoolDir = dir.resolve("s");
    try (Spool spool = Spool.open(spoolDir)) {
      spool.append(TestRecords.record(run, 1, java.util.Map.of("loss", 0.5)));
    }
    Files.writeString(spoolDir.resolve("seg-copy.spool"), "not a segment");
    try (Spool spool = Spool.open(spoolDir)) {
      assertThat(steps(drain(spool))).containsExactly(1L);
    }
    assertThat(spoolDir.resolve("seg-copy.spool")).exists();

    Path unreadable = spoolDir.resolve(String.format("seg-%019d.spool", 5L));
    Files.createDirectory(unreadable); // named like a segment, cannot be read as one
    assertThatThrownBy(() -> Spool.open(spoolDir)).isInstanceOf(IOException.class)
        .hasMessageNotContaining("in use");
    Files.delete(unreadable);
    try (Spool spool = Spool.open(spoolDir)) { // the failed open let go of the directory
      assertThat(spool.pending()).isZero();
    }
  }

  @Test
  void segmentsAreCappedSoReplayMemoryStaysBounded() throws Exception {
    try (Spool spool = Spool.open(dir)) {
      for (LogRecord r : TestRecords.scalarSteps(run, 0, Spool.SEGMENT_RECORDS * 2 + 1)) {
        spool.append(r);
      }
      spool.flush();
    }
    try (var files = Files.list(dir)) {
      assertThat(files.filter(p -> p.toString().endsWith(".spool")).count()).isEqualTo(3);
    }
    assertThat(Spool.SEGMENT_RECORDS).isEqualTo(4096);
  }
}
