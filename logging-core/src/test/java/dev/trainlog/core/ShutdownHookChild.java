package dev.trainlog.core;

import dev.trainlog.api.LogRecord;
import dev.trainlog.api.RunStatus;
import dev.trainlog.core.internal.pipeline.Gate;
import dev.trainlog.core.spec.ChannelSettings;
import dev.trainlog.spi.LogBackend;
import dev.trainlog.testkit.TestRecords;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The process {@link ShutdownHookTest} terminates: logs steps to a backend that appends them to a
 * file, with a flush interval so long that they are all still queued, says so on stdout, then waits
 * to be killed. Arguments: the output file, the number of steps, the spool and dead-letter directory.
 */
public final class ShutdownHookChild {

  /** The line printed once every step is logged. */
  static final String LOGGED = "all steps logged";

  private ShutdownHookChild() {}

  public static void main(String[] args) throws Exception {
    Path out = Path.of(args[0]);
    int steps = Integer.parseInt(args[1]);
    Path work = Path.of(args[2]);
    LogDispatcher dispatcher = LogDispatcher.builder(TestRecords.run("exp", "hook"))
        .backend("file", new AppendingBackend(out), Gate.ALWAYS,
            ChannelSettings.defaults().withFlushInterval(Duration.ofHours(1)).withBatchSize(100_000))
        .journalDir(work.resolve("journal"))
        .deadLetterDir(work.resolve("dead"))
        .shutdownHook(true)
        .build();
    for (int step = 0; step < steps; step++) {
      dispatcher.log(step, Map.of("loss", 1.0 / (step + 1)));
    }
    System.out.println(LOGGED);
    System.out.flush();
    new CountDownLatch(1).await(); // until SIGTERM
  }

  /** One line per record, then one with the status it was closed with. */
  private static final class AppendingBackend implements LogBackend {
    private final Path file;

    AppendingBackend(Path file) {
      this.file = file;
    }

    @Override
    public void write(List<LogRecord> batch) throws IOException {
      StringBuilder lines = new StringBuilder();
      for (LogRecord r : batch) {
        lines.append("step ").append(r.step()).append('\n');
      }
      append(lines.toString());
    }

    @Override
    public void close(RunStatus status) throws IOException {
      append("closed " + status + "\n");
    }

    private void append(String text) throws IOException {
      Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
  }
}
