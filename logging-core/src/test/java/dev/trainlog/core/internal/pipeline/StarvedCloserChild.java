package dev.trainlog.core.internal.pipeline;

import dev.trainlog.api.RunInfo;
import dev.trainlog.api.RunStatus;
import dev.trainlog.core.LogDispatcher;
import dev.trainlog.core.spec.ChannelSettings;
import dev.trainlog.core.spec.SampleSpec;
import dev.trainlog.testkit.TestRecords;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The process {@link StarvedCloserTest} runs under a debugger: ten steps to one backend, flushed, then a close
 * of 2 s whose answer it prints ({@link #CLOSED} answer, the status the backend was closed with, whether the
 * journal is still there). Argument: the directory for the journal and the dead letters.
 */
public final class StarvedCloserChild {

  static final String CLOSED = "CLOSED";

  private StarvedCloserChild() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    RunInfo run = TestRecords.run("exp", "starved-closer");
    RecordingBackend backend = new RecordingBackend();
    LogDispatcher d = LogDispatcher.builder(run)
        .backend("rec", backend, SampleSpec.always(), ChannelSettings.defaults().withFlushInterval(Duration.ofMillis(20)))
        .journalDir(dir.resolve("journal")).deadLetterDir(dir.resolve("dead")).shutdownHook(false).build();
    for (long s = 0; s < 10; s++) {
      d.log(s, Map.of("loss", 1.0 / (s + 1)));
    }
    boolean flushed = d.flush(Duration.ofSeconds(30));
    boolean answer = d.close(RunStatus.FINISHED, Duration.ofSeconds(2));
    System.out.println(CLOSED + " " + answer + " " + backend.closedWith + " " + backend.steps().size() + " flushed="
        + flushed + " journal kept=" + Files.exists(dir.resolve("journal").resolve(run.runId() + "-rank0")));
    System.out.flush();
  }
}
