package dev.trainlog.core.internal.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainlog.api.RunInfo;
import dev.trainlog.api.RunStatus;
import dev.trainlog.core.LogDispatcher;
import dev.trainlog.core.internal.journal.CapturedLog;
import dev.trainlog.core.spec.ChannelSettings;
import dev.trainlog.core.spec.SampleSpec;
import dev.trainlog.testkit.TestRecords;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A journal left with records for two backends, resent to one of them: the journal stays for the other (its
 * records were deleted with the first resend), and goes once the other has them too; the warning at close gives
 * the command for each backend behind.
 */
class JournalResendTest {

  @TempDir Path dir;
  private final RunInfo run = TestRecords.run("exp", "left");
  private static final ChannelSettings FAST = ChannelSettings.defaults().withFlushInterval(Duration.ofMillis(20))
      .withRetryBackoff(Duration.ofMillis(1), Duration.ofMillis(5));

  @Test
  void aJournalResentToOneBackendStaysForTheOtherAndGoesOnceBothHaveIt() throws Exception {
    resentOneBackendAtATime("other-journal");
  }

  @Test
  void aJournalResentWithTheConfigurationThatLeftItIsDeliveredFromItsOwnJournalDir() throws Exception {
    // the command the warning gives, with the same YAML: the resend's dispatcher adopts the journal as one left
    // behind in its journal-dir (it used to fail: the journal was "in use" by the resend's own process)
    resentOneBackendAtATime("journal");
  }

  @Test
  void aJournalInTheOwnJournalDirWithNothingForTheBackendIsRefusedWithTheReason() throws Exception {
    Path left = leftWithTwentySteps();
    RecordingBackend other = new RecordingBackend();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> LogDispatcher.builder(TestRecords.run("exp", "resender"))
        .backend("c", other, SampleSpec.always(), FAST)
        .journalDir(dir.resolve("journal")).deadLetterDir(dir.resolve("dead")).shutdownHook(false)
        .resend(left, "c").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(left + " is in this configuration's journal-dir but holds nothing for backend 'c' (it has no"
            + " cursor there, or the journal is in use): a dispatcher started with that journal-dir delivers it to"
            + " the backends it was written for");
    assertThat(onlyJournal()).as("the refused resend left no journal of its own").isEqualTo(left);
  }

  @Test
  void aJournalAlreadyDeliveredAndGoneIsSaidToBeMissing() throws Exception {
    Path gone = dir.resolve("journal").resolve("gone-rank0");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> LogDispatcher.builder(TestRecords.run("exp", "resender"))
        .backend("a", new RecordingBackend(), SampleSpec.always(), FAST)
        .journalDir(dir.resolve("journal")).deadLetterDir(dir.resolve("dead")).shutdownHook(false)
        .resend(gone, "a").build())
        .hasMessageContaining("no TrainLog journal or dead-letter directory at " + gone);
  }

  private void resentOneBackendAtATime(String resendJournalDir) throws Exception {
    Path left = leftWithTwentySteps();
    RecordingBackend toA = resend(left, "a", resendJournalDir);
    assertThat(toA.steps()).containsExactlyElementsOf(LongStream.range(0, 20).boxed().toList());
    assertThat(left).as("b has not read it").isDirectory();

    RecordingBackend toB = resend(left, "b", resendJournalDir);
    assertThat(toB.steps()).containsExactlyElementsOf(LongStream.range(0, 20).boxed().toList());
    assertThat(left).as("every backend has it now").doesNotExist();
  }

  private Path leftWithTwentySteps() throws Exception {
    RecordingBackend a = new RecordingBackend();
    RecordingBackend b = new RecordingBackend();
    a.down = true;
    b.down = true;
    LogDispatcher d = LogDispatcher.builder(run)
        .backend("a", a, SampleSpec.always(), FAST).backend("b", b, SampleSpec.always(), FAST)
        .journalDir(dir.resolve("journal")).deadLetterDir(dir.resolve("dead")).shutdownHook(false).build();
    for (long s = 0; s < 20; s++) {
      d.log(s, Map.of("loss", 1.0 / (s + 1)));
    }
    Path left;
    try (CapturedLog log = new CapturedLog()) {
      d.close(RunStatus.KILLED, Duration.ofMillis(200));
      left = onlyJournal();
      assertThat(log.text()).contains("or run: trainlog resend " + left + " --config <yaml> --backend a and trainlog"
          + " resend " + left + " --config <yaml> --backend b");
    }
    return left;
  }

  private RecordingBackend resend(Path journal, String name, String journalDir) {
    RecordingBackend backend = new RecordingBackend();
    try (LogDispatcher d = LogDispatcher.builder(TestRecords.run("exp", "resender"))
        .backend(name, backend, SampleSpec.always(), FAST)
        .journalDir(dir.resolve(journalDir)).deadLetterDir(dir.resolve("dead")).shutdownHook(false)
        .resend(journal, name).build()) {
      assertThat(d.flush(Duration.ofSeconds(20))).isTrue();
    }
    return backend;
  }

  private Path onlyJournal() throws Exception {
    try (Stream<Path> dirs = Files.list(dir.resolve("journal"))) {
      List<Path> all = dirs.filter(p -> p.getFileName().toString().endsWith("-rank0")).toList();
      assertThat(all).hasSize(1);
      return all.get(0);
    }
  }
}
