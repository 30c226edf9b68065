package dev.trainlog.core.internal.sampling;

import static dev.trainlog.core.internal.sampling.Fixtures.keptSteps;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trainlog.core.spec.SampleSpec;
import dev.trainlog.testkit.TestRecords;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BuiltInSamplersTest {

  private static final long T0 = TestRecords.START_MILLIS;

  @Test
  void everyTenKeepsMultiplesOfTen() {
    assertThat(keptSteps(new EveryNSteps(10), 0, 35)).containsExactly(0L, 10L, 20L, 30L);
  }

  @Test
  void everyOneKeepsEveryStep() {
    assertThat(keptSteps(new EveryNSteps(1), 0, 5)).containsExactly(0L, 1L, 2L, 3L, 4L, 5L);
  }

  @Test
  void aNonPositiveNIsRefusedWhereTheSpecIsMadeNotAgainBySampler() {
    // the sampler trusts the spec, which is checked once where it is made
    assertThatThrownBy(() -> SampleSpec.every(0)).hasMessage("`sample.every` was '0' but it must be a positive integer");
  }

  @Test
  void logSpacedKeepsOneTwoAndFiveTimesEachPowerOfTen() {
    assertThat(keptSteps(new LogSpaced(), 0, 1000))
        .containsExactly(0L, 1L, 2L, 5L, 10L, 20L, 50L, 100L, 200L, 500L, 1000L);
  }

  @Test
  void logSpacedKeepsLargePowersAndSkipsNegativeSteps() {
    LogSpaced s = new LogSpaced();
    assertThat(s.shouldLog(5_000_000_000L, 0)).isTrue();
    assertThat(s.shouldLog(5_000_000_001L, 0)).isFalse();
    assertThat(s.shouldLog(-1, 0)).isFalse();
  }

  @Test
  void firstFiveThenEveryTenKeepsTheEarlyStepsThenTheBaseRule() {
    assertThat(keptSteps(new FirstThen(5, new EveryNSteps(10)), 0, 35))
        .containsExactly(0L, 1L, 2L, 3L, 4L, 10L, 20L, 30L);
  }

  @Test
  void firstThenEveryTimeStartsTheIntervalAtTheFirstLaterStep() {
    // keptSteps spaces steps one second apart: steps 0..2 are early, 3 starts the 5s interval.
    assertThat(keptSteps(new FirstThen(3, new EveryDuration(Duration.ofSeconds(5))), 0, 14))
        .containsExactly(0L, 1L, 2L, 3L, 8L, 13L);
  }

  @Test
  void everyTimeKeepsTheFirstStepThenOneWhenTheIntervalHasPassedSinceTheLastKept() {
    EveryDuration s = new EveryDuration(Duration.ofSeconds(30));
    long[] times = {0, 10_000, 29_999, 30_000, 45_000, 59_999, 60_000, 200_000, 200_000, 229_999};
    List<Integer> kept = new ArrayList<>();
    for (int step = 0; step < times.length; step++) {
      if (s.shouldLog(step, T0 + times[step])) {
        kept.add(step);
      }
    }
    assertThat(kept).containsExactly(0, 3, 6, 7);
  }

  @Test
  void everyTimeKeepsARecordOlderThanTheLastKeptAndRestartsFromIt() {
    EveryDuration s = new EveryDuration(Duration.ofSeconds(30));
    assertThat(s.shouldLog(0, T0 + 100_000)).isTrue();
    assertThat(s.shouldLog(1, T0 + 40_000)).isTrue();
    assertThat(s.shouldLog(2, T0 + 69_999)).isFalse();
    assertThat(s.shouldLog(3, T0 + 70_000)).isTrue();
  }

  @Test
  void alwaysKeepsEveryStep() {
    assertThat(keptSteps(new Always(), 0, 3)).containsExactly(0L, 1L, 2L, 3L);
  }

  @Test
  void samplersDescribeTheirRule() {
    assertThat(new EveryNSteps(10)).hasToString("every 10 steps");
    assertThat(new EveryDuration(Duration.ofSeconds(30))).hasToString("every 30s");
    assertThat(new FirstThen(100, new LogSpaced())).hasToString("steps below 100, then log-spaced");
    assertThat(new Always()).hasToString("always");
  }
}
