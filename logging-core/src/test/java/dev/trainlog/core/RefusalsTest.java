package dev.trainlog.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trainlog.api.RunInfo;
import dev.trainlog.testkit.MutableClock;
import dev.trainlog.testkit.TestRecords;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Records that are not logged are counted and warned about at the first, then at most once a minute. */
class RefusalsTest {

  private final PrintStream originalErr = System.err;
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  @TempDir Path dir;

  @BeforeEach
  void captureStandardError() {
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8)); // where slf4j-simple writes
  }

  @AfterEach
  void restoreStandardError() {
    System.setErr(originalErr);
  }

  private String warnings() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void theFirstRefusalWarnsAndLaterOnesWarnOnceAMinuteWithTheirCount() {
    MutableClock clock = new MutableClock();
    RunInfo run = TestRecords.run("exp", "run");
    Refusals refusals = new Refusals(run, clock);

    refusals.refuse("the disk is full");
    refusals.refuse("the disk is full");
    refusals.refuse("the disk is full");
    clock.advance(Duration.ofSeconds(59));
    refusals.refuse("the disk is full");
    assertThat(warnings().lines().filter(l -> l.contains("WARN"))).hasSize(1);
    clock.advance(Duration.ofSeconds(1));
    refusals.refuse("the disk is full");

    assertThat(refusals.count()).isEqualTo(5);
    assertThat(warnings()).contains("TrainLog dispatcher for exp/run: a record was not logged (the disk is full);"
        + " such records are counted in stats().refused() and warned about once a minute");
    assertThat(warnings()).contains("TrainLog dispatcher for exp/run: 4 record(s) not logged since the last warning"
        + " (the disk is full); 5 in all");
    assertThat(warnings().lines().filter(l -> l.contains("WARN"))).hasSize(2);
  }

  @Test
  void nullMetricsOrANullKeyAreTheCallersMistakeNamedWithTheStep() {
    try (LogDispatcher d = LogDispatcher.builder(TestRecords.run("exp", "run")).shutdownHook(false)
        .journalDir(dir.resolve("journal")).build()) {
      assertThatThrownBy(() -> d.log(7, null)).isInstanceOf(IllegalArgumentException.class)
          .hasMessage("log(7, null): the metrics of step 7 are null");
      Map<String, Object> withNullKey = new HashMap<>();
      withNullKey.put(null, 1.0);
      assertThatThrownBy(() -> d.log(8, withNullKey)).isInstanceOf(IllegalArgumentException.class)
          .hasMessage("step 8 has a metric with a null key (value 1.0); nothing of that step was logged");
      assertThatThrownBy(() -> d.step(9).scalar(null, 1.0)).isInstanceOf(IllegalArgumentException.class)
          .hasMessage("step 9: a metric key is null");
      assertThatThrownBy(() -> d.step(10).vector("gpu", null)).isInstanceOf(IllegalArgumentException.class)
          .hasMessage("step 10: vector 'gpu' is null");
    }
  }
}
