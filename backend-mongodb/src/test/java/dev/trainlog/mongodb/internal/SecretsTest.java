package dev.trainlog.mongodb.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchException;

import dev.trainlog.api.RunInfo;
import dev.trainlog.spi.LogBackend;
import dev.trainlog.testkit.TestRecords;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A password in the URI appears in no log line, exception or toString. */
class SecretsTest {

  private static final String PASSWORD = "hunter2-very-secret";

  @TempDir Path dir;

  @Test
  void aUriPasswordNeverShowsInLogsExceptionsOrToString() throws Exception {
    RunInfo run = TestRecords.run("exp", "r");
    int port;
    try (TestServer probe = TestServer.memory()) {
      port = Integer.parseInt(probe.uri().substring(probe.uri().lastIndexOf(':') + 1));
    }
    // nothing listens there any more: open fails after the selection timeout
    String uri = "mongodb://alice:" + PASSWORD + "@127.0.0.1:" + port + "/?authSource=admin";
    MongoBackendConfig config = new MongoBackendConfig(uri, null, null, null, null, null, null, null,
        Duration.ofMillis(300), null, null, null, null);
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream originalErr = System.err;
    Exception failure;
    LogBackend backend;
    // slf4j-simple writes to System.err
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      backend = Fixtures.backend(config, run, dir);
      failure = catchException(backend::open);
    } finally {
      System.setErr(originalErr);
    }

    assertThat(failure).isNotNull().hasMessageContaining("mongodb://alice:****@127.0.0.1:" + port);
    assertThat(backend.isRetryable(failure)).isTrue();
    for (Throwable t = failure; t != null; t = t.getCause()) {
      assertThat(String.valueOf(t.getMessage())).doesNotContain(PASSWORD);
    }
    assertThat(backend.toString()).contains("alice:****@").doesNotContain(PASSWORD);
    assertThat(config.toString()).contains("alice:****@").doesNotContain(PASSWORD);
    assertThat(captured.toString(StandardCharsets.UTF_8)).contains("mongodb://alice:****@127.0.0.1:" + port)
        .doesNotContain(PASSWORD);
  }
}
