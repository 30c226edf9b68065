package dev.trainlog.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.trainlog.api.RunStatus;
import dev.trainlog.core.LogDispatcher;
import dev.trainlog.testkit.MutableClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import dev.trainlog.query.spec.LivePoint;
import dev.trainlog.query.spec.MetricSeries;
import dev.trainlog.query.spec.MetricStats;
import dev.trainlog.query.spec.Reached;
import dev.trainlog.query.spec.RunFilter;
import dev.trainlog.query.spec.RunRecord;
import dev.trainlog.query.spec.Subscription;

/** The read API against runs logged through a dispatcher into mongo-java-server over TCP. */
class TrainlogStoreTest extends RealServerTest {

  static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

  @Override
  boolean oplog() {
    return true; // live points come from a change stream
  }

  /** Logs {@code loss = 1 - step / crossing * 0.96} (below 0.05 from {@code crossing} on) for steps 1..last. */
  private void logRun(String id, String model, Instant start, long crossing, long last, long nanStep) {
    LogDispatcher d = log.dispatcher(StoreLog.run("sd", id, Map.of("model", model, "lr", 0.001), start),
        new MutableClock(start));
    for (long s = 1; s <= last; s++) {
      double loss = s >= crossing ? 0.04 : 1.0 - 0.9 * s / crossing;
      d.step(s).scalar("loss", s == nanStep ? Double.NaN : loss).log();
    }
    d.close(RunStatus.FINISHED);
  }

  @Test
  void theSeedsQuestionFindsTheRunsThatCrossedAtOrBeforeTheLimitWithTheirFirstStep() {
    Instant recent = NOW.minus(Duration.ofDays(10));
    logRun("before", "SDXL", recent, 80, 200, -1);
    logRun("at", "SDXL", recent.plusSeconds(1), 100, 200, -1);
    logRun("after", "SDXL", recent.plusSeconds(2), 101, 200, -1);
    logRun("nan", "SDXL", recent.plusSeconds(3), 1000, 200, 50); // a NaN at step 50 is not "below 0.05"
    logRun("old", "SDXL", NOW.minus(Duration.ofDays(120)), 10, 200, -1);
    logRun("other-model", "SD15", recent.plusSeconds(4), 20, 200, -1);

    List<Reached> reached = store.reachedWithin("loss", 0.05, 100,
        RunFilter.ALL.withSince(NOW.minus(Duration.ofDays(90))).withConfig("model", "SDXL"));

    assertThat(reached).extracting(r -> r.run().run(), Reached::step).containsExactly(
        org.assertj.core.groups.Tuple.tuple("before", 80L), org.assertj.core.groups.Tuple.tuple("at", 100L));
    assertThat(reached.get(0).value()).isEqualTo(0.04);
    assertThat(reached.get(0).time()).isEqualTo(recent);
    assertThat(store.reachedWithin("loss", 0.05, 100, RunFilter.ALL)).extracting(r -> r.run().run())
        .containsExactly("old", "before", "at", "other-model");
  }

  @Test
  void aLongSeriesIsDownsampledToTheBudgetKeepingEveryNonFinitePointAndAShortOneIsWhole() {
    LogDispatcher d = log.dispatcher(StoreLog.run("sd", "long", Map.of(), NOW), new MutableClock(NOW));
    for (long s = 0; s < 5000; s++) {
      d.step(s).scalar("loss", s % 1000 == 7 ? Double.POSITIVE_INFINITY : s == 4321 ? Double.NaN : 1.0 / (s + 1)).log();
    }
    d.close(RunStatus.FINISHED);
    RunRecord run = store.run("long").orElseThrow();

    MetricSeries small = store.series(run, "loss", 500);
    assertThat(small.size()).isEqualTo(500);
    assertThat(small.storedPoints()).isEqualTo(5000);
    long nonFinite = java.util.Arrays.stream(small.values()).filter(v -> !Double.isFinite(v)).count();
    assertThat(nonFinite).isEqualTo(6);
    assertThat(small.steps()[0]).isZero();
    assertThat(small.lastStep()).isEqualTo(4999);

    MetricSeries whole = store.series(run, "loss", 10_000);
    assertThat(whole.size()).isEqualTo(5000);
    assertThat(whole.downsampled()).isFalse();
  }

  @Test
  void aRunReadsBackWithConfigTagsBackendsSummaryAndStatus() {
    logRun("one", "SDXL", NOW, 5, 10, -1);
    RunRecord run = store.run("one").orElseThrow();
    assertThat(run.experiment()).isEqualTo("sd");
    assertThat(run.name()).isEqualTo("one-name");
    assertThat(run.config()).containsEntry("model", "SDXL");
    assertThat(run.tags()).containsEntry("team", "vision");
    assertThat(run.status(NOW)).isEqualTo("FINISHED");
    assertThat(run.lastStep()).isEqualTo(10L);
    assertThat(run.metric("loss")).get().extracting(MetricStats::count, MetricStats::last).containsExactly(10L, 0.04);
    assertThat(store.run("none")).isEmpty();
    assertThat(store.runs(RunFilter.ALL.withText("ON"))).extracting(RunRecord::run).containsExactly("one");
    assertThat(store.runs(RunFilter.ALL.withStatus("running"))).isEmpty();
  }

  @Test
  void theConfigDiffNamesOnlyTheKeysThatDiffer() {
    logRun("a", "SDXL", NOW, 5, 6, -1);
    logRun("b", "SD15", NOW.plusSeconds(1), 5, 6, -1);
    Map<String, List<Object>> diff = TrainlogStore.configDiff(List.of(store.run("a").orElseThrow(),
        store.run("b").orElseThrow()));
    assertThat(diff).containsOnlyKeys("model").containsEntry("model", List.of("SDXL", "SD15"));
  }

  @Test
  void aSubscriptionDeliversPointsLoggedByARunningDispatcher() {
    LogDispatcher d = log.dispatcher(StoreLog.run("sd", "live", Map.of(), NOW), Clock.systemUTC());
    d.step(1).scalar("loss", 0.5).log();
    d.flush(Duration.ofSeconds(5));
    RunRecord run = store.run("live").orElseThrow();
    List<LivePoint> seen = Collections.synchronizedList(new ArrayList<>());
    try (Subscription sub = store.subscribe(run, 1, Duration.ofMillis(50), seen::addAll)) {
      for (long s = 2; s <= 4; s++) {
        d.step(s).scalar("loss", 0.5 / s).scalar("eval/score", (double) s).log();
      }
      await().atMost(Duration.ofSeconds(5)).until(() -> seen.size() == 6);
      assertThat(seen).filteredOn(p -> p.metric().equals("loss")).extracting(LivePoint::step).containsExactly(2L, 3L, 4L);
      assertThat(seen).extracting(LivePoint::metric).contains("eval/score");
    } finally {
      d.close(RunStatus.FINISHED);
    }
  }
}
