package dev.trainlog.core;

import dev.trainlog.api.LogRecord;
import dev.trainlog.api.RunInfo;
import dev.trainlog.core.spec.ChannelSettings;
import dev.trainlog.core.spec.SampleSpec;
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
    LogBackend refusing = failingToOpen("authentication failed for user 'trainer'", false);
    LogBackend down = failingToOpen("connection refused", true);
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
    // with only a refusing backend the close ends once its records are dead letters: a long bound costs
    // nothing then and holds on a loaded machine; with a backend that is down the close waits it out
    boolean refusingOnly = args.length > 1 && args[1].equals("refusing-only");
    log.close(dev.trainlog.api.RunStatus.FINISHED, Duration.ofMillis(refusingOnly ? 60_000 : 500));
  }

  /** A backend whose {@code open} always fails with {@code message}, for good or retryably. */
  private static LogBackend failingToOpen(String message, boolean retryable) {
    return new LogBackend() {
      @Override
      public void open() throws BackendException {
        throw new BackendException(message, null, retryable, List.of());
      }

      @Override
      public void write(List<LogRecord> batch) {}
    };
  }
}
