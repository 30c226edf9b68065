package dev.trainlog.cli.importing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.trainlog.core.ConfigCheck;
import dev.trainlog.core.spec.BackendStats;
import dev.trainlog.core.spec.ChannelSettings;
import dev.trainlog.core.spec.DispatcherStats;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A backend that takes nothing is said once in one line, with why, then once a minute; its recovery once. */
class BackendHealthTest {

  private final StringWriter err = new StringWriter();

  private static DispatcherStats stats(long mongoWritten, long mongoPending, long linesWritten) {
    return new DispatcherStats(100, 0, 0, Map.of(
        "mongo", new BackendStats("mongo", 0, 0, mongoWritten, 0, 0, 0, 0, 0, mongoPending),
        "lines", new BackendStats("lines", 0, 0, linesWritten, 0, 0, 0, 0, 0, 0)));
  }

  private void checkUntilSaid(BackendHealth health, DispatcherStats stats, long now) {
    int before = err.toString().length();
    await().until(() -> {
      health.check(List.of(stats), now);
      return err.toString().length() > before;
    });
  }

  @Test
  void aBackendIsReportedAfterFifteenSecondsWithoutDeliveryThenEveryMinute() {
    assertThat(BackendHealth.STALL).isEqualTo(java.time.Duration.ofSeconds(15));
    assertThat(BackendHealth.REPEAT).isEqualTo(java.time.Duration.ofMinutes(1));
  }

  @Test
  void anUnreachableMongoDbIsSaidInOneLineWithWhyThenOnceAMinuteAndItsRecoveryOnce() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    ConfigCheck.Backend mongo = new ConfigCheck.Backend("mongo", "mongodb", "every step", ChannelSettings.defaults(),
        Map.of("uri", "mongodb://127.0.0.1:" + closedPort));
    try (BackendHealth health = new BackendHealth(new PrintWriter(err, true), List.of(mongo), ServerReach::problem)) {
      long t = 1_000_000;
      health.check(List.of(stats(0, 5, 1)), t);
      health.check(List.of(stats(0, 21, 2)), t + 14_999);
      assertThat(err.toString()).as("not yet: 15 s without delivery").isEmpty();

      checkUntilSaid(health, stats(0, 21, 2), t + 15_000); // asks why on its own thread, says it at a later look
      health.check(List.of(stats(0, 30, 3)), t + 60_000);
      String said = "trainlog: backend 'mongo' (mongodb) has delivered nothing for 15 s: 127.0.0.1:" + closedPort
          + " refuses connections (is the server running?); 21 records wait in the journal (said again every minute"
          + " while it lasts)\n";
      assertThat(err.toString()).isEqualTo(said);

      checkUntilSaid(health, stats(0, 30, 3), t + 75_000); // a minute after the first line
      assertThat(err.toString()).startsWith(said + "trainlog: backend 'mongo' (mongodb) has delivered nothing for 75 s: "
          + "127.0.0.1:" + closedPort + " refuses connections (is the server running?); 30 records wait in the journal\n");

      health.check(List.of(stats(30, 0, 3)), t + 80_000);
      assertThat(err.toString()).endsWith("30 records wait in the journal\ntrainlog: backend 'mongo' delivers again\n");
    }
  }
}
