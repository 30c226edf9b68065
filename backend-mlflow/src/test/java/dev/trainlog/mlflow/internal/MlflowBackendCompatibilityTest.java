package dev.trainlog.mlflow.internal;

import dev.trainlog.api.RunInfo;
import dev.trainlog.spi.LogBackend;
import dev.trainlog.testkit.BackendCompatibilityKit;
import dev.trainlog.testkit.StoredRecord;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;

/** The SPI contract, against a server that enforces MLflow's rules; the store is read back over REST. */
class MlflowBackendCompatibilityTest extends BackendCompatibilityKit {

  private MlflowRulesServer server;
  private MlflowBackend backend;

  private static MlflowRulesServer previous;

  @BeforeEach
  void startServer() throws Exception {
    // the kit closes its backends after this class's own @AfterEach, so a server lives until the next test
    stopPrevious();
    server = MlflowRulesServer.start();
    previous = server;
  }

  @AfterAll
  static void stopPrevious() {
    if (previous != null) {
      previous.close();
      previous = null;
    }
  }

  @Override
  protected LogBackend newBackend(RunInfo run) {
    backend = Fixtures.backend(Fixtures.config(server.uri()), run);
    return backend;
  }

  @Override
  protected List<StoredRecord> readBack(RunInfo run) throws Exception {
    return new MlflowReader(server.uri()).records(backend.runId());
  }

  @Override
  protected void breakStore() {
    server.failNext(503, Integer.MAX_VALUE, null);
  }

  @Override
  protected void repairStore() {
    server.clearFailures();
  }

  @Override
  protected boolean preservesInfinity() {
    return false;
  }

  @Override
  protected boolean deduplicatesRetries() {
    return true;
  }
}
