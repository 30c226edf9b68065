package dev.trainlog.mongodb.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.mongodb.MongoSecurityException;
import dev.trainlog.api.RunInfo;
import dev.trainlog.api.RunStatus;
import dev.trainlog.spi.BackendException;
import dev.trainlog.spi.LogBackend;
import dev.trainlog.testkit.TestRecords;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Credentials a server refuses are a permanent failure, not an outage. The test server has no authentication
 * (FACTS: {@code saslStart} is an unknown command), so any credential makes the driver's handshake fail with
 * {@link MongoSecurityException}, as a wrong password does on MongoDB.
 */
class AuthRefusalTest {

  @TempDir Path dir;

  @Test
  void refusedCredentialsFromTheDispatchersVarsArePermanentAndNamedWithoutThePassword() throws Exception {
    try (TestServer server = TestServer.memory()) {
      RunInfo run = TestRecords.run("auth", "r");
      LogBackend backend = Fixtures.fromSettings(Map.of("uri", server.uri(), "server-selection-timeout", "1s"),
          Map.of("MONGO_USERNAME", "trainer", "MONGO_PASSWORD", "hunter2-s3cret"), run, dir);

      BackendException e = catchThrowableOfType(BackendException.class, backend::open);
      backend.close(RunStatus.FAILED);

      assertThat(e.retryable()).isFalse();
      assertThat(backend.isRetryable(e)).isFalse();
      assertThat(e).hasCauseInstanceOf(MongoSecurityException.class);
      assertThat(e.getMessage()).startsWith("MongoDB open failed for backend 'mongo' (" + server.uri() + "): "
          + "Exception authenticating MongoCredential{mechanism=SCRAM-SHA-1, userName='trainer', source='admin'")
          .doesNotContain("hunter2-s3cret");
    }
  }
}
