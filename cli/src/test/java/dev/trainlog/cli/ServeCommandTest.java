package dev.trainlog.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import dev.trainlog.mongodb.internal.EmbeddedPortFile;
import dev.trainlog.testkit.MutableClock;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code serve} puts a closed embedded store on the wire for any driver, and other commands reach it too. */
class ServeCommandTest {

  @TempDir Path tmp;

  @Test
  void serveAnswersADriverAdvertisesItsPortAndStopsCleanly() throws Exception {
    Path dir = tmp.resolve("mongo");
    try (LoggedRuns closed = new LoggedRuns("embedded:" + dir, tmp)) {
      var d = closed.dispatcher(LoggedRuns.run("solo", "only", "solo-run", 8), new MutableClock(LoggedRuns.T0));
      d.step(1).scalar("loss", 1.0).log();
      d.step(2).scalar("loss", 0.5).log();
      d.close();
    }
    Cli serve = new Cli(Clock.systemUTC(), List.of("--store", "embedded:" + dir));
    CompletableFuture<Cli.Result> running = CompletableFuture.supplyAsync(() -> serve.run("serve", "--port", "0"));
    await().atMost(10, TimeUnit.SECONDS).until(() -> serve.outSoFar().contains("serving"));
    Matcher m = Pattern.compile("at (mongodb://127\\.0\\.0\\.1:(\\d+)/ai_training_logs)").matcher(serve.outSoFar());
    assertThat(m.find()).isTrue();
    assertThat(EmbeddedPortFile.read(dir)).contains(Integer.parseInt(m.group(2)));
    try (MongoClient client = MongoClients.create(m.group(1))) {
      assertThat(client.getDatabase("ai_training_logs").getCollection("experiments").countDocuments()).isEqualTo(2);
    }
    assertThat(new Cli(Clock.systemUTC(), List.of("--store", "embedded:" + dir)).run("show", "solo-run").out())
        .contains("experiment  solo");

    serve.stop.request();
    Cli.Result result = running.get(10, TimeUnit.SECONDS);
    assertThat(result.code()).isZero();
    assertThat(result.out()).endsWith("stopped serving " + dir + "\n");
    assertThat(EmbeddedPortFile.read(dir)).isEmpty();
  }

  @Test
  void serveRefusesAMongodbUri() {
    Cli.Result r = new Cli(Clock.systemUTC(), List.of()).runExactly("serve", "--store", "mongodb://u:pw@db:27017");
    assertThat(r.code()).isEqualTo(TrainlogCli.USAGE);
    assertThat(r.err()).isEqualTo("trainlog: serve needs an embedded store (--store embedded:<dir>); "
        + "mongodb://u:****@db:27017 is a MongoDB server already\n");
  }
}
