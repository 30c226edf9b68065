package dev.trainlog.core.internal.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.trainlog.api.RunInfo;
import dev.trainlog.core.LogDispatcher;
import dev.trainlog.core.spec.ChannelSettings;
import dev.trainlog.core.spec.SampleSpec;
import dev.trainlog.spi.LogBackend;
import dev.trainlog.testkit.TestRecords;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkerPriorityTest {

  @TempDir Path dir;
  private final RunInfo run = TestRecords.run("exp", "nice");

  @AfterEach
  void clearProperty() {
    System.clearProperty(WorkerPriority.PROPERTY);
  }

  /** The nice value of the calling thread, as Linux reports it (field 19 of its stat line). */
  private static int niceOfThisThread() {
    try {
      String stat = Files.readString(Path.of("/proc/thread-self/stat"));
      return Integer.parseInt(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[16]);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The nice value of the thread that runs the backend's first write. */
  private int niceOfTheWorker() throws Exception {
    CompletableFuture<Integer> seen = new CompletableFuture<>();
    LogBackend backend = batch -> seen.complete(niceOfThisThread());
    try (LogDispatcher d = LogDispatcher.builder(run)
        .backend("probe", backend, SampleSpec.always(), ChannelSettings.defaults().withFlushInterval(Duration.ofMillis(5)))
        .journalDir(dir.resolve("journal")).deadLetterDir(dir.resolve("dead")).shutdownHook(false).build()) {
      d.log(1, Map.of("loss", 0.5));
      return seen.get(30, TimeUnit.SECONDS);
    }
  }

  private static void assumeLinux() {
    assumeTrue(Files.isReadable(Path.of("/proc/thread-self/stat")),
        "thread priorities are lowered on Linux only, read back from /proc/thread-self/stat");
  }

  @Test
  void aBackendWorkerRunsAtNiceTenBelowTheTrainingThread() throws Exception {
    assumeLinux();
    int training = niceOfThisThread();
    assertThat(niceOfTheWorker()).isEqualTo(Math.min(19, Math.max(training, WorkerPriority.DEFAULT_NICE)));
    assertThat(niceOfThisThread()).as("the training thread's own priority").isEqualTo(training);
  }

  @Test
  void thePropertyAtZeroLeavesTheWorkersAtTheTrainingThreadsPriority() throws Exception {
    assumeLinux();
    System.setProperty(WorkerPriority.PROPERTY, "0");
    assertThat(niceOfTheWorker()).isEqualTo(niceOfThisThread());
  }

  @Test
  void thePropertyIsANiceValueFromZeroTo19() {
    assumeTrue(System.getenv(WorkerPriority.ENV) == null, "the environment sets " + WorkerPriority.ENV);
    assertThat(WorkerPriority.configuredNice()).isEqualTo(10);
    System.setProperty(WorkerPriority.PROPERTY, "5");
    assertThat(WorkerPriority.configuredNice()).isEqualTo(5);
    System.setProperty(WorkerPriority.PROPERTY, "25");
    assertThat(WorkerPriority.configuredNice()).isEqualTo(19);
    System.setProperty(WorkerPriority.PROPERTY, "-3");
    assertThat(WorkerPriority.configuredNice()).isZero();
    System.setProperty(WorkerPriority.PROPERTY, "high");
    assertThat(WorkerPriority.configuredNice()).isEqualTo(10);
    assertThat(WorkerPriority.niceOf(null)).as("neither the property nor the environment").isEqualTo(10);
    assertThat(WorkerPriority.niceOf(" 7 ")).isEqualTo(7);
  }
}
