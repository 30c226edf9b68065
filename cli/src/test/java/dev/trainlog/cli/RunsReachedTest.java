package dev.trainlog.cli;

import dev.trainlog.cli.common.ExitCodes;
import static org.assertj.core.api.Assertions.assertThat;

import dev.trainlog.api.RunInfo;
import dev.trainlog.api.RunStatus;
import dev.trainlog.core.LogDispatcher;
import dev.trainlog.testkit.MutableClock;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code runs --reached 'loss<0.05' --within 100 --since 90d}: runs crossing before, at and after the
 * limit, one whose only low value is a NaN, one started 120 days ago and one of another model.
 */
class RunsReachedTest {

  static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
  static final Instant RECENT = NOW.minus(Duration.ofDays(10));

  @TempDir Path tmp;
  private TestMongo server;
  private Cli cli;

  @BeforeEach
  void start() {
    server = new TestMongo();
    String uri = server.uri;
    LoggedRuns logged = new LoggedRuns(uri, tmp);
    log(logged, "before", "SDXL", RECENT, 80, -1);
    log(logged, "at", "SDXL", RECENT.plusSeconds(1), 100, -1);
    log(logged, "after", "SDXL", RECENT.plusSeconds(2), 101, -1);
    log(logged, "nan", "SDXL", RECENT.plusSeconds(3), 1000, 50);
    log(logged, "old", "SDXL", NOW.minus(Duration.ofDays(120)), 10, -1);
    log(logged, "sd15", "SD15", RECENT.plusSeconds(4), 20, -1);
    cli = new Cli(Clock.fixed(NOW, ZoneOffset.UTC), List.of("--store", uri));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  /** loss falls from 1 and stays at 0.04 (below 0.05) from step {@code crossing} on; a NaN at {@code nanStep}. */
  private static void log(LoggedRuns logged, String id, String model, Instant start, long crossing, long nanStep) {
    RunInfo run = RunInfo.builder().experiment("sd").runName(id).runId(id).node("node-0")
        .config(Map.of("model", model)).startTimeMillis(start.toEpochMilli()).build();
    MutableClock clock = new MutableClock(start);
    LogDispatcher d = logged.dispatcher(run, clock);
    for (long s = 1; s <= 150; s++) {
      clock.advance(Duration.ofSeconds(1));
      d.step(s).scalar("loss", s == nanStep ? Double.NaN : s >= crossing ? 0.04 : 1.0 - 0.9 * s / crossing).log();
    }
    d.close(RunStatus.FINISHED);
  }

  @Test
  void theSeedsQuestionListsTheRunsThatCrossedAtOrBeforeTheLimitWithTheFirstStepAndItsTime() {
    Cli.Result r = cli.run("runs", "--reached", "loss<0.05", "--within", "100", "--since", "90d");
    assertThat(r.code()).as(r.err()).isZero();
    List<String> lines = r.out().lines().toList();
    assertThat(lines.get(0)).matches("EXPERIMENT +NAME +RUN +FIRST STEP +REACHED AT +LOSS");
    assertThat(lines).hasSize(4);
    assertThat(lines.get(1)).matches("sd +before +before +80 +2026-11-21 12:01 +0\\.04000");
    assertThat(lines.get(2)).matches("sd +at +at +100 +2026-11-21 12:01 +0\\.04000");
    assertThat(lines.get(3)).matches("sd +sd15 +sd15 +20 +2026-11-21 12:00 +0\\.04000");
  }

  @Test
  void aConditionOnTheConfigCombinesWithIt() {
    Cli.Result r = cli.run("runs", "--reached", "loss<0.05", "--within", "100", "--since", "90d", "--where",
        "config.model=SDXL", "--json");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("\"run\" : \"before\"", "\"run\" : \"at\"").doesNotContain("sd15", "\"nan\"",
        "\"old\"", "\"after\"");
  }

  @Test
  void noRunReachingItExitsOneSayingSo() {
    Cli.Result r = cli.run("runs", "--reached", "loss<0.01", "--within", "100");
    assertThat(r.code()).isEqualTo(ExitCodes.NOTHING_MATCHED);
    assertThat(r.err().trim()).isEqualTo("no run reached loss<0.01 within 100 steps (of 6 run(s) asked)");
  }

  @Test
  void aMalformedConditionIsAUsageError() {
    Cli.Result r = cli.run("runs", "--reached", "loss>0.05", "--within", "100");
    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("--reached was 'loss>0.05' but it must read METRIC<NUMBER, e.g. loss<0.05");
  }
}
