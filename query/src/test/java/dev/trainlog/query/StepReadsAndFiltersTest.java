package dev.trainlog.query;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainlog.api.RunInfo;
import dev.trainlog.api.RunStatus;
import dev.trainlog.core.LogDispatcher;
import dev.trainlog.query.spec.MetricSeries;
import dev.trainlog.query.spec.RunFilter;
import dev.trainlog.query.spec.RunRecord;
import dev.trainlog.query.spec.StepFeed;
import dev.trainlog.query.spec.StepValues;
import dev.trainlog.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Several metrics in one read, whole steps for export, conditions on the runs document, and a multi-rank run's status. */
class StepReadsAndFiltersTest extends RealServerTest {

  static final Instant START = Instant.parse("2026-12-01T12:00:00Z");

  private LogDispatcher rank(String id, int rank, int world, double lr, MutableClock clock) {
    RunInfo run = RunInfo.builder().experiment("sd").runName(id + "-name").runId(id).rank(rank).worldSize(world)
        .node("node-" + rank).config(Map.of("lr", lr)).startTimeMillis(START.toEpochMilli()).build();
    return log.dispatcher(run, clock);
  }

  private void logSteps(LogDispatcher d, int rank) {
    for (long s = 1; s <= 3; s++) {
      d.step(s).scalar("loss", 1.0 / s + rank).vector("gpu_util", new double[] {0.5, s}).scalar("eval/acc", 0.1 * s)
          .log();
    }
  }

  @Test
  void severalMetricsComeFromOneReadAndAMetricWithoutPointsIsEmpty() {
    LogDispatcher d = rank("a", 0, 1, 0.1, new MutableClock(START));
    logSteps(d, 0);
    d.close(RunStatus.FINISHED);
    RunRecord run = store.run("a").orElseThrow();

    Map<String, MetricSeries> read = store.series(run, List.of("eval/acc", "loss", "nothing"));

    assertThat(read.keySet()).containsExactly("eval/acc", "loss", "nothing");
    assertThat(read.get("loss").values()).containsExactly(1.0, 0.5, 1.0 / 3);
    assertThat(read.get("eval/acc").steps()).containsExactly(1, 2, 3);
    assertThat(read.get("nothing").size()).isZero();
  }

  @Test
  void everyRanksStepsComeInRankAndStepOrderWithVectorsAsListsAndNestedMetricsAsMaps() {
    MutableClock clock = new MutableClock(START);
    LogDispatcher r1 = rank("b", 1, 2, 0.1, clock);
    LogDispatcher r0 = rank("b", 0, 2, 0.1, clock);
    logSteps(r1, 1);
    logSteps(r0, 0);
    r1.close(RunStatus.FINISHED);
    r0.close(RunStatus.FINISHED);
    RunRecord run = store.run("b").orElseThrow();

    List<StepValues> all = new ArrayList<>();
    store.forEachStep(run, List.of("loss", "gpu_util"), all::add);

    assertThat(all).extracting(v -> v.rank() + ":" + v.step()).containsExactly("0:1", "0:2", "0:3", "1:1", "1:2", "1:3");
    assertThat(all.get(4).metrics()).isEqualTo(Map.of("loss", 1.5, "gpu_util", List.of(0.5, 2.0)));
    List<StepValues> first = store.firstSteps(run, 2);
    assertThat(first).hasSize(2);
    assertThat(first.get(0).metrics()).containsEntry("eval/acc", 0.1).containsEntry("gpu_util", List.of(0.5, 1.0));
    assertThat(first.get(0).time()).isEqualTo(START);
  }

  @Test
  void aFollowerPullsOnlyTheStepsStoredAfterTheOnesItGaveAndAChangeStreamNeedsAServerWithOne() {
    LogDispatcher d = rank("f", 0, 1, 0.1, new MutableClock(START));
    logSteps(d, 0);
    d.flush(Duration.ofSeconds(10));
    RunRecord run = store.run("f").orElseThrow();

    try (StepFeed feed = store.follow(run, 1, false)) {
      assertThat(feed.mode()).as("this server runs without an oplog").isEqualTo("polling");
      assertThat(feed.next()).extracting(StepValues::step).containsExactly(2L, 3L);
      assertThat(feed.next()).isEmpty();
      d.step(4).scalar("loss", Double.NaN).log();
      d.flush(Duration.ofSeconds(10));
      List<StepValues> more = feed.next();
      assertThat(more).extracting(StepValues::step).containsExactly(4L);
      assertThat((Double) more.get(0).metrics().get("loss")).isNaN();
    }
    d.close(RunStatus.FINISHED);
  }

  @Test
  void conditionsOnTheRunsDocumentAreEvaluatedByTheServerAndANumberMatchesItsTextForm() {
    for (String id : List.of("lr1", "lr2", "lr3")) {
      LogDispatcher d = rank(id, 0, 1, id.equals("lr1") ? 0.1 : id.equals("lr2") ? 0.01 : 0.001,
          new MutableClock(START));
      d.step(1).scalar("loss", 1).log();
      d.close(RunStatus.FINISHED);
    }

    assertThat(store.runs(RunFilter.ALL.with(new RunFilter.Condition("config.lr", "<", 0.05))))
        .extracting(RunRecord::run).containsExactly("lr2", "lr3");
    assertThat(store.runs(RunFilter.ALL.with(new RunFilter.Condition("config.lr", "!=", 0.01))
        .with(new RunFilter.Condition("exp_name", "=", "sd")))).extracting(RunRecord::run).containsExactly("lr1", "lr3");
  }

  @Test
  void aRunWithOneRankFinishedAndOneSilentRunningRankIsStale() {
    LogDispatcher r1 = rank("c", 1, 2, 0.1, new MutableClock(START));
    LogDispatcher r0 = rank("c", 0, 2, 0.1, new MutableClock(START.plus(Duration.ofMinutes(10))));
    r1.step(1).scalar("loss", 1).log();
    r1.flush(Duration.ofSeconds(10));
    r0.step(1).scalar("loss", 1).log();
    r0.close(RunStatus.FINISHED); // rank 0's heartbeat is fresh, but rank 1 has been silent for ten minutes

    RunRecord run = store.run("c").orElseThrow();

    assertThat(run.status(START.plus(Duration.ofMinutes(10)))).isEqualTo("STALE");
    r1.close(RunStatus.FINISHED);
    assertThat(store.run("c").orElseThrow().status(START.plus(Duration.ofMinutes(10)))).isEqualTo("FINISHED");
  }
}
