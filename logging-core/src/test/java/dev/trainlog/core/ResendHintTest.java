package dev.trainlog.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainlog.api.RunInfo;
import dev.trainlog.api.RunStatus;
import dev.trainlog.core.internal.journal.CapturedLog;
import dev.trainlog.core.spec.ChannelSettings;
import dev.trainlog.core.spec.SampleSpec;
import dev.trainlog.spi.BackendContext;
import dev.trainlog.spi.BackendException;
import dev.trainlog.spi.BackendProvider;
import dev.trainlog.spi.LogBackend;
import dev.trainlog.spi.Spi;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The close warning about records a backend refused for good gives the resend command with the real values. */
class ResendHintTest {

  @TempDir Path dir;

  /** {@code type: refusing}: refuses every record for good, as a store refusing a document does. */
  public static final class RefusingProvider implements BackendProvider {
    @Override
    public String type() {
      return "refusing";
    }

    @Override
    public int spiVersion() {
      return Spi.VERSION;
    }

    @Override
    public LogBackend create(BackendContext context) {
      return refusing();
    }
  }

  private static LogBackend refusing() {
    return batch -> {
      throw new BackendException("document too large", null, false, batch);
    };
  }

  @Test
  void aDispatcherFromAYamlFileNamesTheDeadLetterDirectoryTheFileAndTheBackend() throws Exception {
    Path yaml = Files.writeString(dir.resolve("my config.yaml"), YamlHeader.of("e", dir)
        + "backends:\n  store: {type: refusing}\n");
    String text = closedWithRefusals(() -> {
      URL plugins = ResendHintTest.class.getResource("/refusing-plugins/");
      Thread thread = Thread.currentThread();
      ClassLoader before = thread.getContextClassLoader();
      try (URLClassLoader loader = new URLClassLoader(new URL[] {plugins}, ResendHintTest.class.getClassLoader())) {
        thread.setContextClassLoader(loader);
        return LogDispatcher.fromYaml(yaml);
      } finally {
        thread.setContextClassLoader(before);
      }
    });

    assertThat(text).contains("; once the cause is fixed, run: trainlog resend "
        + dir.resolve("dead").resolve("store-rank0") + " --config '" + yaml + "' --backend store\n");
  }

  @Test
  void aDispatcherBuiltInCodeHasNoConfigurationFileToName() throws Exception {
    String text = closedWithRefusals(() -> LogDispatcher.builder(RunInfo.builder().experiment("e").runName("r").build())
        .backend("store", refusing(), SampleSpec.always(), ChannelSettings.defaults())
        .journalDir(dir.resolve("journal")).deadLetterDir(dir.resolve("dead")).shutdownHook(false).build());

    assertThat(text).contains("; once the cause is fixed, run: trainlog resend "
        + dir.resolve("dead").resolve("store-rank0") + " --config <yaml> --backend store\n");
  }

  private interface Opening {
    LogDispatcher open() throws Exception;
  }

  private static String closedWithRefusals(Opening opening) throws Exception {
    try (CapturedLog log = new CapturedLog()) {
      LogDispatcher d = opening.open();
      for (long s = 0; s < 3; s++) {
        d.log(s, Map.of("loss", 1.0));
      }
      assertThat(d.close(RunStatus.FINISHED, Duration.ofSeconds(60))).isTrue();
      return log.text();
    }
  }
}
