package dev.trainlog.core.internal.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.trainlog.api.RunInfo;
import dev.trainlog.api.RunStatus;
import dev.trainlog.core.LogDispatcher;
import dev.trainlog.core.internal.journal.CapturedLog;
import dev.trainlog.core.internal.journal.JournalReplay;
import dev.trainlog.core.spec.ChannelSettings;
import dev.trainlog.core.spec.OnFull;
import dev.trainlog.core.spec.SampleSpec;
import dev.trainlog.testkit.TestRecords;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DropOldestTest {

  @TempDir Path dir;
  private final RunInfo run = TestRecords.run("exp", "run");

  private static final ChannelSettings FAST = ChannelSettings.defaults()
      .withFlushInterval(Duration.ofMillis(20))
      .withRetryBackoff(Duration.ofMillis(1), Duration.ofMillis(5));

  @Test
  void aBackendThatNeverOpensHasEveryDroppedRecordCountedWarnedAndNamedAtClose() {
    RecordingBackend down = new RecordingBackend();
    down.down = true; // its open fails for the whole run: its worker never reads
    RecordingBackend up = new RecordingBackend();
    LogDispatcher d = LogDispatcher.builder(run)
        .backend("down", down, SampleSpec.always(), FAST)
        .backend("up", up, SampleSpec.always(), FAST.withOnFull(OnFull.BLOCK))
        .journalDir(dir.resolve("journal")).deadLetterDir(dir.resolve("dead"))
        .journalSegmentSize(8192).journalLimit(3 * 8192, OnFull.DROP_OLDEST)
        .shutdownHook(false).build();

    try (CapturedLog log = new CapturedLog()) {
      for (long s = 0; s < 3000; s++) {
        d.log(s, Map.of("loss", 1.0 / (s + 1)));
      }
      await().atMost(Duration.ofSeconds(20)).until(() -> up.stored.size() == 3000);
      long dropped = d.stats().backends().get("down").dropped();
      assertThat(dropped).as("about 20 segments of 8 KiB, 3 kept").isGreaterThan(2000);

      d.close(RunStatus.FINISHED, Duration.ofSeconds(2));

      assertThat(down.stored).isEmpty();
      assertThat(log.text())
          .contains("WARN dev.trainlog.core.internal.journal.Journal - Backend 'down' lagged past the journal's"
              + " max-size and gave up ")
          .contains(" (" + dropped + " in all; dispatcher.journal.on-full: drop-oldest)")
          .as("what was not dropped is kept for the next start: together, every record")
          .contains((3000 - dropped) + " record(s) not delivered are kept in " + dir.resolve("journal"))
          .contains("down never got " + dropped + " record(s) (given up past dispatcher.journal.max-size under"
              + " on-full: drop-oldest, or lost to damage; see the warnings)");
    }
  }

  @Test
  void aBatchHeldThroughDropsAndCloseIsNeitherLostNorCountedTwice() throws Exception {
    RecordingBackend failing = new RecordingBackend();
    failing.failNextWrites.set(Integer.MAX_VALUE); // opens, then every write fails: its worker holds one batch
    LogDispatcher d = smallDroppingJournal("flaky", failing);
    d.log(0, Map.of("loss", 1.0));
    await().atMost(Duration.ofSeconds(20)).until(() -> failing.failedWrites.get() > 0);
    for (long s = 1; s < 3000; s++) {
      d.log(s, Map.of("loss", 1.0 / (s + 1)));
    }
    long dropped = d.stats().backends().get("flaky").dropped();
    assertThat(dropped).as("the journal gave up the oldest segments under the worker's batch").isGreaterThan(2000);
    d.close(RunStatus.FAILED, Duration.ofMillis(500));
    long deadLettered = d.stats().backends().get("flaky").failed();

    RecordingBackend back = deliveredByTheNextProcess("flaky");
    assertThat(dropped + deadLettered + back.stored.size())
        .as("dropped %d, dead letters %d, delivered by the next process %d", dropped, deadLettered, back.stored.size())
        .isEqualTo(3000);
  }

  @Test
  void aReduceWindowHeldWhenTheJournalGaveItUpIsKeptAsADeadLetterAtAnAbort() throws Exception {
    RecordingBackend failing = new RecordingBackend();
    failing.openGate = new java.util.concurrent.CountDownLatch(1);
    failing.failNextWrites.set(Integer.MAX_VALUE); // opens, then every write fails: its worker holds one batch
    LogDispatcher d = LogDispatcher.builder(run)
        .backend("reduced", failing, SampleSpec.every(10).reduce(dev.trainlog.core.spec.Reduce.MEAN), FAST)
        .journalDir(dir.resolve("journal")).deadLetterDir(dir.resolve("dead"))
        .journalSegmentSize(8192).journalLimit(3 * 8192, OnFull.DROP_OLDEST)
        .shutdownHook(false).build();
    for (long s = 0; s < 6; s++) { // read in one go once the backend opens: step 0 kept, 1 to 5 folded
      d.log(s, Map.of("loss", 1.0 / (s + 1)));
    }
    failing.openGate.countDown();
    await().atMost(Duration.ofSeconds(20)).until(() -> failing.failedWrites.get() > 0);
    for (long s = 6; s < 3000; s++) {
      d.log(s, Map.of("loss", 1.0 / (s + 1)));
    }
    assertThat(d.stats().backends().get("reduced").dropped())
        .as("the journal gave up the oldest segments under the worker's batch and window").isGreaterThan(2000);

    try (CapturedLog log = new CapturedLog()) {
      assertThat(d.close(RunStatus.FAILED, Duration.ofMillis(500))).isFalse();
      assertThat(log.text()).contains("Backend 'reduced': 2 record(s) its worker held for a write that never"
          + " succeeded, whose place the journal gave up past max-size, are kept as dead letters in "
          + dir.resolve("dead").resolve("reduced-rank0"));
    }
    assertThat(d.stats().backends().get("reduced").failed()).isEqualTo(2);
    RecordingBackend resent = new RecordingBackend();
    assertThat(JournalReplay.resend(dir.resolve("dead").resolve("reduced-rank0"), resent)).isEqualTo(2);
    assertThat(resent.steps()).containsExactly(0L, 5L);
    assertThat(resent.stored.get(1).metrics())
        .as("the mean of steps 1 to 5, as a close would have written it")
        .containsEntry("loss", (1.0 / 2 + 1.0 / 3 + 1.0 / 4 + 1.0 / 5 + 1.0 / 6) / 5);
  }

  @Test
  void whatAPartlySuccessfulWriteTookIsNotKeptAgainWhenTheRestIsGivenUp() throws Exception {
    java.util.List<Long> written = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    java.util.concurrent.CountDownLatch tried = new java.util.concurrent.CountDownLatch(1);
    dev.trainlog.spi.LogBackend partly = batch -> {
      tried.countDown();
      // writes all but the last record of its first batch, which the server keeps refusing for now
      for (int k = 0; k < batch.size() - 1; k++) {
        written.add(batch.get(k).step());
      }
      throw new dev.trainlog.spi.BackendException("one document too large for now", null, true,
          java.util.List.of(batch.get(batch.size() - 1)));
    };
    LogDispatcher d = smallDroppingJournal("partly", partly);
    for (long s = 0; s < 10; s++) { // within the 20 ms flush interval: one batch of ten
      d.log(s, Map.of("loss", 1.0 / (s + 1)));
    }
    tried.await();
    for (long s = 10; s < 3000; s++) {
      d.log(s, Map.of("loss", 1.0 / (s + 1)));
    }
    long dropped = d.stats().backends().get("partly").dropped();
    d.close(RunStatus.FAILED, Duration.ofMillis(500));
    long deadLettered = d.stats().backends().get("partly").failed();

    RecordingBackend back = deliveredByTheNextProcess("partly");
    assertThat(deadLettered).as("the one record the server refused, not the %d it took", written.size()).isEqualTo(1);
    assertThat(dropped + deadLettered + written.size() + back.stored.size())
        .as("dropped %d, dead letters %d, written %d, delivered by the next process %d", dropped, deadLettered,
            written.size(), back.stored.size())
        .isEqualTo(3000);
  }

  @Test
  void aBatchHeldWhenTheJournalGaveItUpAndTheProcessWasKilledIsCountedByTheNextProcess() throws Exception {
    Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), DropOldestKillChild.class.getName(), dir.toString())
        .redirectErrorStream(true).start();
    java.util.List<String> output = new java.util.ArrayList<>();
    String line;
    try (java.io.BufferedReader lines = new java.io.BufferedReader(
        new java.io.InputStreamReader(child.getInputStream(), java.nio.charset.StandardCharsets.UTF_8))) {
      while ((line = lines.readLine()) != null && !line.startsWith(DropOldestKillChild.LOGGED)) {
        output.add(line);
      }
      assertThat(line).as("the child's output: %s", output).startsWith(DropOldestKillChild.LOGGED);
      child.destroyForcibly(); // SIGKILL while its worker holds step 0, whose segment the journal gave up
      assertThat(child.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    } finally {
      child.destroyForcibly();
    }
    long droppedByTheChild = Long.parseLong(line.substring(line.indexOf('=') + 1));
    assertThat(droppedByTheChild).as("the journal gave up the oldest segments").isGreaterThan(2000);

    RecordingBackend back = new RecordingBackend();
    long droppedByTheNext;
    try (CapturedLog log = new CapturedLog()) {
      try (LogDispatcher next = smallDroppingJournal("hung", back)) {
        assertThat(next.flush(Duration.ofSeconds(20))).isTrue();
        droppedByTheNext = next.stats().backends().get("hung").dropped();
      }
      assertThat(log.text()).contains("Backend 'hung' lost 1 record(s) its worker held unwritten when the journal"
          + " gave up their segments (dispatcher.journal.on-full: drop-oldest) and the process ended before they were"
          + " written");
    }
    assertThat(back.stored).as("step 0 went with the killed process").noneMatch(r -> r.step() == 0);
    assertThat(droppedByTheChild + droppedByTheNext + back.stored.size())
        .as("dropped by the child %d, counted by the next process %d, delivered by it %d", droppedByTheChild,
            droppedByTheNext, back.stored.size())
        .isEqualTo(3000);
    try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(dir.resolve("journal"))) {
      assertThat(files.flatMap(this::filesIn).map(p -> p.getFileName().toString()))
          .as("the note is read once").noneMatch(n -> n.endsWith(".given-up"));
    }
  }

  private java.util.stream.Stream<Path> filesIn(Path p) {
    try {
      return java.nio.file.Files.isDirectory(p) ? java.nio.file.Files.list(p).toList().stream() : java.util.stream.Stream.of(p);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** A dispatcher with {@code backend} alone on a journal of three 8 KiB segments that drops the oldest. */
  private LogDispatcher smallDroppingJournal(String name, dev.trainlog.spi.LogBackend backend) {
    return LogDispatcher.builder(run)
        .backend(name, backend, SampleSpec.always(), FAST)
        .journalDir(dir.resolve("journal")).deadLetterDir(dir.resolve("dead"))
        .journalSegmentSize(8192).journalLimit(3 * 8192, OnFull.DROP_OLDEST)
        .shutdownHook(false).build();
  }

  /** What a next process on the same journal delivers to backend {@code name}, up again. */
  private RecordingBackend deliveredByTheNextProcess(String name) {
    RecordingBackend back = new RecordingBackend();
    try (LogDispatcher next = smallDroppingJournal(name, back)) {
      assertThat(next.flush(Duration.ofSeconds(20))).isTrue();
    }
    return back;
  }
}
