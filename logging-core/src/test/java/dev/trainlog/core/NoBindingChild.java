package dev.trainlog.core;

import dev.trainlog.api.RunInfo;
import dev.trainlog.spi.BackendException;
import dev.trainlog.spi.LogBackend;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Run by {@link NoBindingTest} in a JVM without any SLF4J binding: one backend that refuses to open
 * for good and, unless the second argument is {@code refusing-only}, one that is down (retryable), so
 * that the close cannot deliver to it.
 */
public final class NoBindingChild {

  private NoBindingChild() {}

  public static void main(String[] args) {
    Path dir = Path.of(args[0]);
    LogBackend refusing = new LogBackend() {
      @Override
      public void open() throws BackendException {
        throw new BackendException("authentication failed for user 'trainer'", null, false, List.of());
      }

      @Override
      public void write(List<dev.trainlog.api.LogRecord> batch) {}
    };
    LogBackend down = new LogBackend() {
      @Override
      public void open() throws BackendException {
        throw new BackendException("connection refused", null, true, List.of());
      }

      @Override
      public void write(List<dev.trainlog.api.LogRecord> batch) {}
    };
    DispatcherBuilder builder = LogDispatcher.builder(RunInfo.builder().experiment("quiet").runName("no-binding").build())
        .backend("store", refusing, SampleSpec.always(), ChannelSettings.defaults())
        .journalDir(dir.resolve("journal")).deadLetterDir(dir.resolve("dead")).shutdownHook(false);
    if (!(args.length > 1 && args[1].equals("refusing-only"))) {
      builder.backend("server", down, SampleSpec.always(), ChannelSettings.defaults());
    }
    LogDispatcher log = builder.build();
    for (long step = 1; step <= 5; step++) {
      log.log(step, Map.of("loss", 1.0 / step));
    }
    log.close(dev.trainlog.api.RunStatus.FINISHED, Duration.ofMillis(500));
  }
}
