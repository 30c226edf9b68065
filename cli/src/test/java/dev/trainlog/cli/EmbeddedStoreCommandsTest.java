package dev.trainlog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainlog.mongodb.internal.EmbeddedPortFile;
import dev.trainlog.testkit.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The commands on an embedded store, held by a "training process" (this JVM's embedded server, kept
 * open by the crashed run's dispatcher): the CLI reaches it through the advertised port.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EmbeddedStoreCommandsTest extends CommandsContract {

  private Path storeDir;
  private LoggedRuns logged;

  @BeforeAll
  void logRuns() throws Exception {
    Path root = Files.createTempDirectory("trainlog-cli-embedded");
    storeDir = root.resolve("mongo");
    logged = new LoggedRuns("embedded:" + storeDir, root).logAll();
  }

  @AfterAll
  void stop() {
    logged.close();
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
  void theLiveStoreIsReachedThroughThePortItsProcessAdvertises() {
    assertThat(EmbeddedPortFile.read(storeDir)).isPresent();
    assertThat(cli().run("runs").code()).isZero();
  }

  @Test
  void aStoreNoProcessHoldsIsOpenedFromItsFileAndAnEmptyOneSaysSo() throws Exception {
    Path other = tmp.resolve("closed");
    try (LoggedRuns closed = new LoggedRuns("embedded:" + other, tmp)) {
      var d = closed.dispatcher(LoggedRuns.run("solo", "only", "solo-run", 8), new MutableClock(LoggedRuns.T0));
      d.step(1).scalar("loss", 1.0).log();
      d.close();
    }
    assertThat(EmbeddedPortFile.read(other)).isEmpty();
    Cli.Result listed = new Cli(LATER, List.of("--store", "embedded:" + other)).run("runs");
    assertThat(listed.code()).as(listed.err()).isZero();
    assertThat(listed.out()).contains("solo-run");

    Path empty = tmp.resolve("never-used");
    Cli.Result none = new Cli(LATER, List.of("--store", "embedded:" + empty)).run("runs");
    assertThat(none.code()).isEqualTo(TrainlogCli.NOTHING_MATCHED);
    assertThat(none.err()).isEqualTo("trainlog: the store embedded:" + empty + " is empty: nothing was logged to "
        + empty + " yet (run a training job with a mongodb backend first, or pass --store)\n");
    assertThat(empty).doesNotExist();
  }
}
