package dev.trainlog.core.internal.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainlog.api.RunInfo;
import dev.trainlog.api.RunStatus;
import dev.trainlog.core.LogDispatcher;
import dev.trainlog.core.internal.journal.CapturedLog;
import dev.trainlog.core.internal.journal.JournalReplay;
import dev.trainlog.core.spec.ChannelSettings;
import dev.trainlog.core.spec.SampleSpec;
import dev.trainlog.testkit.TestRecords;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ten dead letters, one byte of one of them flipped on disk, then resent each documented way: the nine others
 * are resent, the damaged one is counted (a warning, the backend's dropped records) and its bytes are kept beside
 * the deleted directory; nothing is resent twice. (The damaged record used to be deleted with the directory,
 * counted nowhere.)
 */
class DeadLetterDamageTest {

  @TempDir Path dir;
  private final RunInfo run = TestRecords.run("exp", "run");
  private static final ChannelSettings FAST = ChannelSettings.defaults().withFlushInterval(Duration.ofMillis(20))
      .withRetryBackoff(Duration.ofMillis(1), Duration.ofMillis(5));

  /** Steps 0..29 logged, 10..19 refused for good: ten dead letters in dead/rec-rank0. */
  private Path tenDeadLetters() {
    RecordingBackend backend = new RecordingBackend();
    for (long s = 10; s < 20; s++) {
      backend.refusedSteps.add(s);
    }
    LogDispatcher d = LogDispatcher.builder(run).backend("rec", backend, SampleSpec.always(), FAST)
        .journalDir(dir.resolve("journal")).deadLetterDir(dir.resolve("dead")).shutdownHook(false).build();
    for (long s = 0; s < 30; s++) {
      d.log(s, Map.of("loss", 1.0 / (s + 1), "tag", "marker-" + s));
    }
    assertThat(d.close(RunStatus.FINISHED, Duration.ofSeconds(10))).isTrue();
    assertThat(d.stats().backends().get("rec").failed()).isEqualTo(10);
    return dir.resolve("dead").resolve("rec-rank0");
  }

  /** Flips one byte inside the record tagged {@code marker-15}. */
  private static void flipByteOfStep15(Path deadDir) throws Exception {
    flipByteOf(deadDir, "marker-15");
  }

  /** Flips one byte inside the record tagged {@code tag}: its third letter. */
  private static void flipByteOf(Path deadDir, String tag) throws Exception {
    List<Path> segments;
    try (Stream<Path> files = Files.list(deadDir)) {
      segments = files.filter(p -> p.getFileName().toString().endsWith(".seg")).toList();
    }
    byte[] marker = tag.getBytes(StandardCharsets.US_ASCII);
    for (Path seg : segments) {
      byte[] bytes = Files.readAllBytes(seg);
      for (int i = 0; i + marker.length <= bytes.length; i++) {
        if (java.util.Arrays.equals(bytes, i, i + marker.length, marker, 0, marker.length)) {
          bytes[i + 2] ^= 0x01;
          Files.write(seg, bytes);
          return;
        }
      }
    }
    throw new AssertionError(tag + " not found in " + segments);
  }

  @Test
  void aResendWithJournalReplayWritesTheIntactOnesAndKeepsTheDamagedBytes() throws Exception {
    Path dead = tenDeadLetters();
    flipByteOfStep15(dead);
    RecordingBackend fixed = new RecordingBackend();
    long count;
    try (CapturedLog log = new CapturedLog()) {
      count = JournalReplay.resend(dead, fixed);
      assertThat(log.text()).contains("damaged record(s) at byte ").contains("are kept in " + damagedOf(dead));
    }
    assertThat(count).isEqualTo(9);
    assertThat(fixed.steps()).as("the nine intact dead letters").containsExactly(10L, 11L, 12L, 13L, 14L, 16L, 17L,
        18L, 19L);
    assertThat(dead).doesNotExist();
    assertDamagedBytesKept(dead);
  }

  private static Path damagedOf(Path dir) {
    return dir.resolveSibling(dir.getFileName() + ".damaged");
  }

  /** The damaged record's bytes, its flipped byte with them, are in one file beside the deleted directory. */
  private static void assertDamagedBytesKept(Path dead) throws Exception {
    try (Stream<Path> files = Files.list(damagedOf(dead))) {
      List<Path> kept = files.toList();
      assertThat(kept).hasSize(1);
      assertThat(new String(Files.readAllBytes(kept.get(0)), StandardCharsets.ISO_8859_1)).contains("masker-15");
    }
  }

  @Test
  void aResendThroughADispatcherCountsTheDamagedOneAsDroppedAndKeepsItsBytes() throws Exception {
    Path dead = tenDeadLetters();
    flipByteOfStep15(dead);
    RecordingBackend fixed = new RecordingBackend();
    LogDispatcher d = LogDispatcher.builder(run).backend("rec", fixed, SampleSpec.always(), FAST)
        .journalDir(dir.resolve("journal2")).deadLetterDir(dir.resolve("dead2")).shutdownHook(false)
        .resend(dead, "rec").build();
    assertThat(d.resentRecords()).as("the intact ones it holds").isEqualTo(9);
    assertThat(d.flush(Duration.ofSeconds(10))).isTrue();
    assertThat(d.stats().backends().get("rec").dropped()).as("the damaged one, never given to the backend").isEqualTo(1);
    d.close(RunStatus.FINISHED, Duration.ofSeconds(10));
    assertThat(fixed.steps()).containsExactly(10L, 11L, 12L, 13L, 14L, 16L, 17L, 18L, 19L);
    assertThat(dead).doesNotExist();
    assertDamagedBytesKept(dead);
  }

  @Test
  void aDamagedLastRecordIsCountedToo() throws Exception {
    Path dead = tenDeadLetters();
    flipByteOf(dead, "marker-19");
    RecordingBackend fixed = new RecordingBackend();
    LogDispatcher d = LogDispatcher.builder(run).backend("rec", fixed, SampleSpec.always(), FAST)
        .journalDir(dir.resolve("journal2")).deadLetterDir(dir.resolve("dead2")).shutdownHook(false)
        .resend(dead, "rec").build();
    assertThat(d.flush(Duration.ofSeconds(10))).isTrue();
    assertThat(d.stats().backends().get("rec").dropped()).as("no record after it, still one lost").isEqualTo(1);
    d.close(RunStatus.FINISHED, Duration.ofSeconds(10));
    assertThat(fixed.steps()).containsExactly(10L, 11L, 12L, 13L, 14L, 15L, 16L, 17L, 18L);
  }

  @Test
  void aResendInterruptedByAFailureResendsNothingTwiceByItsCount() throws Exception {
    Path dead = tenDeadLetters();
    RecordingBackend flaky = new RecordingBackend();
    flaky.failNextWrites.set(1);
    Exception thrown = null;
    try {
      JournalReplay.resend(dead, flaky);
    } catch (Exception e) {
      thrown = e;
    }
    RecordingBackend again = new RecordingBackend();
    long count = JournalReplay.resend(dead, again);
    assertThat(thrown).as("the failed write stops the resend").isNotNull();
    assertThat(count).isEqualTo(10);
    assertThat(again.steps()).containsExactly(10L, 11L, 12L, 13L, 14L, 15L, 16L, 17L, 18L, 19L);
    assertThat(dead).doesNotExist();
  }
}
