package dev.trainlog.cli;

import dev.trainlog.cli.common.ExitCodes;
import static org.assertj.core.api.Assertions.assertThat;

import dev.trainlog.testkit.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The commands against mongo-java-server over TCP, without an oplog: watch falls back to polling. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TcpServerCommandsTest extends CommandsContract {

  private TestMongo server;
  private String uri;
  private LoggedRuns logged;

  @BeforeAll
  void logRuns() throws Exception {
    server = new TestMongo();
    uri = server.uri;
    logged = new LoggedRuns(uri, Files.createTempDirectory("trainlog-cli-tcp")).logAll();
  }

  @AfterAll
  void stop() {
    logged.close();
    server.close();
  }

  @Override
  List<String> storeArgs() {
    return List.of("--store", uri);
  }

  @Override
  LoggedRuns logged() {
    return logged;
  }

  @Test
  void theStoreCanComeFromTheFirstMongodbBackendOfAYamlConfig() throws Exception {
    Path yaml = tmp.resolve("train.yaml");
    Files.writeString(yaml, "run: {experiment: x}\nbackends:\n  tb: {type: tensorboard, log-dir: runs}\n"
        + "  mongo:\n    type: mongodb\n    uri: ${TRAINLOG_TEST_UNSET_VARIABLE:-" + uri + "}\n"
        + "    database: ai_training_logs\n");
    Cli.Result r = new Cli(LATER, List.of()).runExactly("runs", "--config", yaml.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out().lines()).hasSize(4);
  }

  @Test
  void theRanksOfOneRunAreOneLineAndCompareDrawsTheLowestRank() throws Exception {
    for (int rank = 0; rank < 2; rank++) {
      var run = LoggedRuns.run("dist", "two-ranks", "dist-run", 64).toBuilder().rank(rank).worldSize(2).build();
      var d = logged.dispatcher(run, new MutableClock(LoggedRuns.T0), "dist_db");
      for (long s = 1; s <= 10 + rank * 5; s++) {
        d.step(s).scalar("loss", 1.0 / s + rank).log();
      }
      d.close();
    }
    Cli cli = new Cli(LATER, List.of("--store", uri, "--database", "dist_db"));
    Cli.Result runs = cli.run("runs");
    assertThat(runs.out().lines().skip(1).toList()).singleElement().asString()
        .matches("dist +two-ranks +dist-run +2/2 +FINISHED .* 15 +0.1000");
    Path html = tmp.resolve("dist.html");
    assertThat(cli.run("compare", "dist-run", "--out", html.toString()).code()).isZero();
    var series = CommandsContract.embeddedData(Files.readString(html)).get("series");
    assertThat(series).hasSize(1);
    assertThat(series.get(0).get("steps")).hasSize(10);
    assertThat(new Cli(LATER, List.of("--store", uri, "--database", "dist_db")).run("export", "dist-run").out().lines())
        .hasSize(1 + 10 + 15);
  }

  @Test
  void aStoreWithoutRunsSaysSo() {
    Cli.Result r = new Cli(LATER, List.of()).runExactly("runs", "--store", uri, "--database", "nothing_here");
    assertThat(r.code()).isEqualTo(ExitCodes.NOTHING_MATCHED);
    assertThat(r.err()).isEqualTo("trainlog: the store " + uri + " has no runs yet (nothing_here.runs is empty)\n");
  }
}
