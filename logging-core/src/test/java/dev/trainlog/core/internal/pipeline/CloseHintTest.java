package dev.trainlog.core.internal.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.trainlog.api.RunInfo;
import dev.trainlog.api.RunStatus;
import dev.trainlog.core.LogDispatcher;
import dev.trainlog.core.internal.journal.CapturedLog;
import dev.trainlog.core.spec.ChannelSettings;
import dev.trainlog.core.spec.SampleSpec;
import dev.trainlog.testkit.TestRecords;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The warning at close names every backend with records kept in the journal, as its cursor says, and no other. */
class CloseHintTest {

  @TempDir Path dir;
  private static final ChannelSettings FAST = ChannelSettings.defaults().withFlushInterval(Duration.ofMillis(20))
      .withRetryBackoff(Duration.ofMillis(1), Duration.ofMillis(5));

  @Test
  void aBackendThatWentDownWithABatchReadIsNamedInTheResendCommands() throws Exception {
    RunInfo run = TestRecords.run("exp", "hint");
    RecordingBackend failing = new RecordingBackend();
    RecordingBackend fine = new RecordingBackend();
    LogDispatcher d = LogDispatcher.builder(run)
        .backend("failing", failing, SampleSpec.always(), FAST).backend("fine", fine, SampleSpec.always(), FAST)
        .journalDir(dir.resolve("journal")).deadLetterDir(dir.resolve("dead")).shutdownHook(false).build();
    for (long s = 0; s < 5; s++) {
      d.log(s, Map.of("loss", 1.0));
    }
    assertThat(d.flush(Duration.ofSeconds(20))).isTrue();
    failing.down = true; // as a disk that fills: the next batch is read, and its writes fail and are retried
    for (long s = 5; s < 15; s++) {
      d.log(s, Map.of("loss", 1.0));
    }
    await().atMost(Duration.ofSeconds(20)).until(() -> failing.failedWrites.get() > 0);

    try (CapturedLog log = new CapturedLog()) {
      assertThat(d.close(RunStatus.FINISHED, Duration.ofMillis(300))).isFalse();
      Path journal = dir.resolve("journal").resolve(run.runId() + "-rank0");
      assertThat(log.text()).contains("10 record(s) not delivered are kept in " + journal)
          .contains("or run: trainlog resend " + journal + " --config <yaml> --backend failing\n")
          .doesNotContain("--backend fine");
    }
  }
}
