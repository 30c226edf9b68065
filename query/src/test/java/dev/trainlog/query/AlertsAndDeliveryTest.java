package dev.trainlog.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trainlog.api.RunStatus;
import dev.trainlog.core.LogDispatcher;
import dev.trainlog.query.spec.AlertCheck;
import dev.trainlog.query.spec.AlertFired;
import dev.trainlog.query.spec.RankDelivery;
import dev.trainlog.query.spec.RunRecord;
import dev.trainlog.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which alert rules fired over a run's stored points, and how far each rank reached the store. */
class AlertsAndDeliveryTest extends RealServerTest {

  static final Instant START = Instant.parse("2026-12-01T12:00:00Z");

  /** Steps 1..20 one second apart: loss 2.0 - step/10 (NaN at 7, +Infinity at 9), used = step, total = 16. */
  private RunRecord logged() {
    MutableClock clock = new MutableClock(START);
    LogDispatcher d = log.dispatcher(StoreLog.run("sd", "r1", Map.of("lr", 0.1), START), clock);
    for (long s = 1; s <= 20; s++) {
      clock.advance(Duration.ofSeconds(1));
      double loss = s == 7 ? Double.NaN : s == 9 ? Double.POSITIVE_INFINITY : 2.0 - s / 10.0;
      d.step(s).scalar("loss", loss).scalar("mem/used", s).scalar("mem/total", 16).log();
    }
    d.close(RunStatus.FINISHED);
    return store.run("r1").orElseThrow();
  }

  @Test
  void eachRuleSaysWhenItFirstFiredAndHowOftenOverTheStoredPoints() {
    RunRecord run = logged();
    List<AlertFired> fired = store.alerts(run, List.of(AlertCheck.parse("nan(loss)"), AlertCheck.parse("loss > 1.85"),
        AlertCheck.parse("loss < 0.15"), AlertCheck.parse("mem/used > 0.9*mem/total"), AlertCheck.parse("loss < -5")));

    assertThat(fired.get(0).count()).isEqualTo(2);
    assertThat(fired.get(0).firstStep()).isEqualTo(7L);
    assertThat(fired.get(0).lastStep()).isEqualTo(9L);
    assertThat(fired.get(0).firstValue()).isNaN();
    assertThat(fired.get(1).count()).as("+Infinity is above 1.85, NaN is not").isEqualTo(2);
    assertThat(fired.get(1).firstStep()).isEqualTo(1L);
    assertThat(fired.get(1).lastStep()).isEqualTo(9L);
    assertThat(fired.get(1).firstTime()).isEqualTo(START.plusSeconds(1));
    assertThat(fired.get(2).count()).isEqualTo(2); // steps 19 and 20: 0.1 and 0.0
    assertThat(fired.get(2).firstValue()).isEqualTo(0.1, org.assertj.core.data.Offset.offset(1e-12));
    assertThat(fired.get(3).count()).as("used above 14.4 of 16: steps 15..20").isEqualTo(6);
    assertThat(fired.get(3).firstStep()).isEqualTo(15L);
    assertThat(fired.get(4).fired()).isFalse();
    assertThat(fired.get(4).firstStep()).isNull();
  }

  @Test
  void aRuleInOtherWordsIsRefusedNamingTheGrammar() {
    assertThatThrownBy(() -> AlertCheck.parse("loss >> 2")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("alert 'loss >> 2' must read '<metric> > <number>', '<metric> < <number>', 'nan(<metric>)' or "
            + "'<metric> > <number>*<metric>', e.g. 'loss > 2'");
  }

  @Test
  void deliveryNamesTheNewestStoredStepAndWhatTheRankLastReported() {
    RunRecord run = logged();

    List<RankDelivery> delivery = store.delivery(run);

    assertThat(delivery).hasSize(1);
    RankDelivery rank0 = delivery.get(0);
    assertThat(rank0.rank()).isZero();
    assertThat(rank0.status()).isEqualTo("finished");
    assertThat(rank0.storedStep()).isEqualTo(20L);
    assertThat(rank0.storedAt()).isEqualTo(START.plusSeconds(20));
    assertThat(rank0.reportedStep()).isEqualTo(20L);
    assertThat(rank0.heartbeat()).isEqualTo(START.plusSeconds(20));
  }
}
