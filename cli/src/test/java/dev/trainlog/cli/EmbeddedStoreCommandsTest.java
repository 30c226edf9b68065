package dev.trainlog.cli;

import dev.trainlog.cli.common.ExitCodes;
import static org.assertj.core.api.Assertions.assertThat;

import dev.trainlog.mongodb.EmbeddedMongo;
import dev.trainlog.mongodb.internal.service.ServiceLauncher;
import dev.trainlog.testkit.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The commands on an embedded store whose service a "training process" (the crashed run's dispatcher,
 * kept open) started: the CLI reaches the same service through {@code server.json}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EmbeddedStoreCommandsTest extends CommandsContract {

  private Path storeDir;
  private LoggedRuns logged;

  @BeforeAll
  void logRuns() throws Exception {
    System.setProperty(ServiceLauncher.IDLE_PROPERTY, "5s");
    Path root = Files.createTempDirectory("trainlog-cli-embedded");
    storeDir = root.resolve("mongo");
    logged = new LoggedRuns("embedded:" + storeDir, root).logAll();
  }

  @AfterAll
  void stop() {
    logged.close();
    EmbeddedMongo.stop(storeDir, java.time.Duration.ofSeconds(30));
    System.clearProperty(ServiceLauncher.IDLE_PROPERTY);
  }

  @Override
  List<String> storeArgs() {
    return List.of("--store", "embedded:" + storeDir);
  }

  @Override
  LoggedRuns logged() {
    return logged;
  }

  @Test
  void theLiveStoreIsReachedThroughTheServiceTheTrainerStarted() {
    String uri = EmbeddedMongo.uriFor(storeDir).orElseThrow();
    assertThat(cli().run("runs").code()).isZero();
    assertThat(EmbeddedMongo.uriFor(storeDir)).hasValue(uri);
  }

  @Test
  void aStoppedStoreIsServedAgainForTheCommandAndAnEmptyOneSaysSo() throws Exception {
    Path other = tmp.resolve("closed");
    try (LoggedRuns closed = new LoggedRuns("embedded:" + other, tmp)) {
      var d = closed.dispatcher(LoggedRuns.run("solo", "only", "solo-run", 8), new MutableClock(LoggedRuns.T0));
      d.step(1).scalar("loss", 1.0).log();
      d.close();
    }
    assertThat(EmbeddedMongo.stop(other, java.time.Duration.ofSeconds(30))).isTrue();
    Cli.Result listed = new Cli(LATER, List.of("--store", "embedded:" + other)).run("runs");
    assertThat(listed.code()).as(listed.err()).isZero();
    assertThat(listed.out()).contains("solo-run");
    EmbeddedMongo.stop(other, java.time.Duration.ofSeconds(30));

    Path empty = tmp.resolve("never-used");
    Cli.Result none = new Cli(LATER, List.of("--store", "embedded:" + empty)).run("runs");
    assertThat(none.code()).isEqualTo(ExitCodes.NOTHING_MATCHED);
    assertThat(none.err()).isEqualTo("trainlog: the store embedded:" + empty + " is empty: nothing was logged to "
        + empty + " yet (run a training job with a mongodb backend first, or pass --store)\n");
    assertThat(empty).doesNotExist();
  }
}
