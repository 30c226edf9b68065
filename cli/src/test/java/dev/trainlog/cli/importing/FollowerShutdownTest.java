package dev.trainlog.cli.importing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM to {@code trainlog follow} (a child JVM running the real command line) while its MongoDB
 * cannot be reached: it stops within 10 s, says per run and per backend what waits in the journal, and
 * what each backend was actually sent, with no driver dump.
 */
class FollowerShutdownTest {

  @TempDir Path tmp;

  @Test
  void sigtermStopsTheFollowerWithinTenSecondsAndSaysWhatWaitsForWhichBackend() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort(); // nothing listens here once closed: connection refused
    }
    Path logs = Fixtures.copy("hparams-logs", tmp.resolve("runs"));
    Path yaml = Fixtures.yaml(tmp, ""
        + "  mongo: {type: mongodb, sample: {every: 10, reduce: mean}, uri: 'mongodb://127.0.0.1:" + closedPort + "'}\n"
        + "  lines: {type: jsonl, sample: {every: 100}, path: '" + tmp + "/jsonl/${TRAINLOG_RUN_NAME}.jsonl'}\n");
    Path stdout = tmp.resolve("out.txt");
    Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), "dev.trainlog.cli.TrainlogCli",
        "follow", "tensorboard", logs.toString(), "--config", yaml.toString(), "--poll", "100ms")
        .redirectOutput(stdout.toFile())
        .redirectError(tmp.resolve("err.txt").toFile())
        .start();
    try {
      await().atMost(Duration.ofSeconds(60)).until(() -> Files.readAllLines(stdout).stream()
          .filter(l -> l.startsWith("opened ")).count() == 2);

      child.destroy(); // SIGTERM
      assertThat(child.waitFor(10, TimeUnit.SECONDS)).as("the follower stops within 10 s").isTrue();
    } finally {
      child.destroyForcibly();
    }
    List<String> out = Files.readAllLines(stdout);

    assertThat(TbFollower.STOP_TIMEOUT).as("the backends' share of the 10 s").isEqualTo(Duration.ofSeconds(3));
    assertThat(out).contains(
        "closed sdxl-lora/rank64: 21 steps, killed; waiting in the journal: 21 for mongo",
        "closed sdxl-lora/rank32: 21 steps, killed; waiting in the journal: 21 for mongo",
        "stopped: read 52 events, 42 steps, 42 scalars; sent: mongo 0 records (42 waiting in the journal), lines 2"
            + " records; the journal in " + tmp.resolve("journal") + " keeps what waits, and the next run sent with"
            + " it (any run: it adopts what others left) delivers that first");
    assertThat(Fixtures.jsonLines(tmp.resolve("jsonl/rank64.jsonl"))).hasSize(1);
    String err = Files.readString(tmp.resolve("err.txt"));
    assertThat(err).as("no driver dump").doesNotContain("WritableServerSelector").doesNotContain("\tat ");
  }
}
