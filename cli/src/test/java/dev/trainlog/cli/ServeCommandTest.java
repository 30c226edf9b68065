package dev.trainlog.cli;

import dev.trainlog.cli.common.ExitCodes;
import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import dev.trainlog.mongodb.EmbeddedMongo;
import dev.trainlog.mongodb.store.ServerFile;
import dev.trainlog.testkit.MutableClock;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code serve} makes sure the store service runs and prints its URI; {@code store status} and {@code stop} manage it. */
class ServeCommandTest {

  @TempDir Path tmp;

  @AfterEach
  void stopServices() {
    EmbeddedMongo.stop(tmp.resolve("mongo"), Duration.ofSeconds(30));
  }

  @Test
  void serveStartsTheServicePrintsItsUriAndStatusAndStopManageIt() throws Exception {
    Path dir = tmp.resolve("mongo");
    try (LoggedRuns closed = new LoggedRuns("embedded:" + dir, tmp)) {
      var d = closed.dispatcher(LoggedRuns.run("solo", "only", "solo-run", 8), new MutableClock(LoggedRuns.T0));
      d.step(1).scalar("loss", 1.0).log();
      d.step(2).scalar("loss", 0.5).log();
      d.close();
    }
    List<String> store = List.of("--store", "embedded:" + dir);
    Cli.Result served = new Cli(Clock.systemUTC(), store).run("serve");
    ServerFile service = ServerFile.read(dir).orElseThrow();
    assertThat(served.code()).as(served.err()).isZero();
    assertThat(served.out()).startsWith("the store service of " + dir + " serves " + service.uri()
        + "/ai_training_logs (pid " + service.pid() + ", TrainLog " + service.version() + ")\n");
    try (MongoClient client = MongoClients.create(service.uri())) {
      assertThat(client.getDatabase("ai_training_logs").getCollection("experiments").countDocuments()).isEqualTo(2);
      Cli.Result status = new Cli(Clock.systemUTC(), store).run("store", "status");
      assertThat(status.out()).contains("store     " + dir + "\n", "service   running, pid " + service.pid(),
          "uri       " + service.uri() + "\n", "clients   ");
      assertThat(status.out()).doesNotContain("clients   none");
    }
    assertThat(new Cli(Clock.systemUTC(), store).run("serve").out()).as("a second serve finds the same service")
        .contains("(pid " + service.pid() + ",");

    Cli.Result stopped = new Cli(Clock.systemUTC(), store).run("store", "stop");
    assertThat(stopped.out()).isEqualTo("stopped the store service of " + dir + " (pid " + service.pid() + ")\n");
    assertThat(ProcessHandle.of(service.pid()).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    assertThat(new Cli(Clock.systemUTC(), store).run("store", "status").out())
        .contains("service   not running; the next trainer or command that needs it starts it\n");
    Cli.Result again = new Cli(Clock.systemUTC(), store).run("store", "stop");
    assertThat(again.code()).isEqualTo(ExitCodes.NOTHING_MATCHED);
    assertThat(again.out()).isEqualTo("no store service runs for " + dir + "\n");
  }

  @Test
  void servePinsThePortItIsGivenAndATakenOneIsRefusedInOneLine() throws Exception {
    Path dir = tmp.resolve("mongo");
    int port;
    try (ServerSocket probe = new ServerSocket(0)) {
      port = probe.getLocalPort();
    }
    Cli.Result served = new Cli(Clock.systemUTC(), List.of("--store", "embedded:" + dir)).run("serve", "--port",
        Integer.toString(port));
    assertThat(served.out()).contains("serves mongodb://127.0.0.1:" + port + "/ai_training_logs");
    EmbeddedMongo.stop(dir, Duration.ofSeconds(30));

    try (ServerSocket taken = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
      Cli.Result refused = new Cli(Clock.systemUTC(), List.of("--store", "embedded:" + dir)).run("serve", "--port",
          Integer.toString(taken.getLocalPort()));
      assertThat(refused.code()).isEqualTo(ExitCodes.USAGE);
      assertThat(refused.err()).isEqualTo("trainlog: cannot serve " + dir + ": port 127.0.0.1:" + taken.getLocalPort()
          + " is taken; pass another --port, or stop what listens there\n");
    }
  }

  @Test
  void serveRefusesAMongodbUri() {
    Cli.Result r = new Cli(Clock.systemUTC(), List.of()).runExactly("serve", "--store", "mongodb://u:pw@db:27017");
    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).isEqualTo("trainlog: serve needs an embedded store (--store embedded:<dir>); "
        + "mongodb://u:****@db:27017 is a MongoDB server already\n");
  }
}
