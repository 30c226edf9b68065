package dev.trainlog.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.trainlog.api.LogRecord;
import dev.trainlog.api.RunInfo;
import dev.trainlog.core.internal.config.DispatcherPlan;
import dev.trainlog.core.internal.config.DispatcherPlanner;
import dev.trainlog.core.spec.ChannelSettings;
import dev.trainlog.core.spec.SampleSpec;
import dev.trainlog.core.spec.StepRegressionPolicy;
import dev.trainlog.spi.LogBackend;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** System metrics read from this machine through OSHI, logged through the journal at the step logged last. */
class SystemMetricsTest {

  @TempDir Path dir;

  private final List<LogRecord> stored = new CopyOnWriteArrayList<>();
  private final LogBackend backend = stored::addAll;

  private static String systemOf(String yaml) {
    DispatcherPlan plan = DispatcherPlanner.plan("run: {experiment: sys, name: r1}\n" + yaml
        + "backends: {out: {type: console}}\n", "t.yaml", Map.of());
    return plan.system().enabled() + " " + plan.system().interval().toSeconds() + "s";
  }

  private LogDispatcher withSystem(Duration interval) {
    return LogDispatcher.builder(RunInfo.builder().experiment("sys").runName("r1").build())
        .journalDir(dir.resolve("j")).deadLetterDir(dir.resolve("d"))
        .onStepRegression(StepRegressionPolicy.REJECT).shutdownHook(false)
        .backend("mem", backend).systemMetrics(interval).build();
  }

  @Test
  void readingsCarryTheMachinesMetricsInRange() {
    try (LogDispatcher d = withSystem(Duration.ofMillis(200))) {
      d.log(7, Map.of("loss", 1.0));
      await().atMost(Duration.ofSeconds(30)).until(() -> stored.stream()
          .anyMatch(r -> r.metrics().containsKey("system/network/recv_bytes_per_s")));
    }
    LogRecord reading = stored.stream().filter(r -> r.metrics().containsKey("system/network/recv_bytes_per_s"))
        .findFirst().orElseThrow();
    Map<String, Object> m = reading.metrics();
    assertThat(m).containsKeys("system/cpu/host_percent", "system/cpu/process_percent",
        "system/memory/process_rss_mb", "system/memory/jvm_heap_used_mb", "system/memory/host_used_mb",
        "system/memory/host_available_mb", "system/disk/journal_free_gb", "system/network/sent_bytes_per_s");
    assertThat((Double) m.get("system/cpu/host_percent")).isBetween(0.0, 100.0);
    assertThat((Double) m.get("system/cpu/process_percent")).isBetween(0.0, 100.0);
    assertThat((Double) m.get("system/memory/process_rss_mb")).isBetween(1.0, 1e6);
    assertThat((Double) m.get("system/memory/jvm_heap_used_mb")).isPositive()
        .isLessThanOrEqualTo((Double) m.get("system/memory/jvm_heap_max_mb"));
    assertThat((Double) m.get("system/memory/host_available_mb")).isPositive();
    assertThat((Double) m.get("system/disk/journal_free_gb")).isPositive();
    assertThat((Double) m.get("system/network/recv_bytes_per_s")).isGreaterThanOrEqualTo(0.0);
    assertThat(m.keySet()).allMatch(k -> k.startsWith("system/"));
  }

  @Test
  void readingsTakeTheStepLoggedLastAndNeverRegressTheStepOrder() {
    try (LogDispatcher d = withSystem(Duration.ofMillis(100))) {
      d.log(41, Map.of("loss", 1.0));
      d.log(42, Map.of("loss", 0.5));
      await().atMost(Duration.ofSeconds(30)).until(() -> stored.stream()
          .filter(r -> r.metrics().keySet().stream().anyMatch(k -> k.startsWith("system/"))).count() >= 2);
      d.log(43, Map.of("loss", 0.25));
      d.flush(Duration.ofSeconds(10));
      assertThat(d.stats().rejectedSteps()).isZero();
      assertThat(d.stats().logged()).isEqualTo(3);
    }
    assertThat(stored.stream().filter(r -> r.metrics().containsKey("system/memory/jvm_heap_used_mb")))
        .allSatisfy(r -> assertThat(r.step()).isBetween(42L, 43L));
    assertThat(stored.stream().filter(r -> r.metrics().containsKey("loss")).map(LogRecord::step))
        .containsExactly(41L, 42L, 43L);
  }

  @Test
  void aStepRuleKeepsReadingsOnlyThroughItsSystemOverride() {
    List<LogRecord> everyTen = new CopyOnWriteArrayList<>();
    try (LogDispatcher d = LogDispatcher.builder(RunInfo.builder().experiment("sys").runName("r2").build())
        .journalDir(dir.resolve("j")).deadLetterDir(dir.resolve("d")).shutdownHook(false)
        .backend("plain", everyTen::addAll, SampleSpec.every(10), ChannelSettings.defaults())
        .backend("mongo-like", backend, SampleSpec.every(10).override("system/*", SampleSpec.always()),
            ChannelSettings.defaults())
        .systemMetrics(Duration.ofMillis(100)).build()) {
      d.log(7, Map.of("loss", 1.0));
      await().atMost(Duration.ofSeconds(30)).until(() -> stored.stream()
          .filter(r -> r.metrics().containsKey("system/memory/jvm_heap_used_mb")).count() >= 2);
      d.log(10, Map.of("loss", 0.5));
      d.flush(Duration.ofSeconds(10));
    }
    assertThat(stored.stream().filter(r -> r.metrics().containsKey("system/memory/jvm_heap_used_mb")))
        .anySatisfy(r -> assertThat(r.step()).isEqualTo(7));
    assertThat(everyTen).noneMatch(r -> r.step() == 7);
  }

  @Test
  void theYamlSystemSectionTurnsTheSamplerOn() {
    assertThat(systemOf("system: {enabled: true, interval: 2s}\n")).isEqualTo("true 2s");
    assertThat(systemOf("system: {interval: 5s}\n")).isEqualTo("true 5s");
    assertThat(systemOf("")).isEqualTo("false 10s");
    assertThat(systemOf("system: {enabled: false, interval: 1s}\n")).isEqualTo("false 1s");
  }
}
