package dev.trainlog.mongodb.internal.service;

import dev.trainlog.mongodb.store.ServerFile;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The store service's defaults, pinned, and how its settings and versions are read. */
class ServiceDefaultsTest {

  @Test
  void defaultsArePinned() {
    assertThat(ServiceLauncher.DEFAULT_IDLE_TIMEOUT).isEqualTo(Duration.ofMinutes(10));
    assertThat(ServiceLauncher.START_TIMEOUT).isEqualTo(Duration.ofSeconds(30));
    assertThat(ServiceProcess.DEFAULT_HEAP).isEqualTo("512m");
    assertThat(ServerFile.FILE_NAME).isEqualTo("server.json");
    assertThat(StoreService.LOCK_FILE).isEqualTo("service.lock");
    assertThat(ServiceLauncher.START_LOCK).isEqualTo("start.lock");
  }

  @Test
  void idleTimeoutsReadAsDurationsAndABadOneSaysWhereItCameFrom() {
    assertThat(ServiceLauncher.parseDuration("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(ServiceLauncher.parseDuration("30s")).isEqualTo(Duration.ofSeconds(30));
    assertThat(ServiceLauncher.parseDuration("10m")).isEqualTo(Duration.ofMinutes(10));
    assertThat(ServiceLauncher.parseDuration("2h")).isEqualTo(Duration.ofHours(2));
    assertThat(ServiceLauncher.parseDuration("1500")).isEqualTo(Duration.ofMillis(1500));
    assertThatThrownBy(() -> ServiceLauncher.parseDuration("soon")).hasMessage("the store idle timeout was 'soon' but"
        + " it must be a duration such as 10m, 30s or 500ms (trainlog.store.idle-timeout or TRAINLOG_STORE_IDLE_TIMEOUT)");
  }

  @Test
  void onlyANumericallyHigherVersionIsNewer() {
    assertThat(StoreVersion.isNewer("0.2.0", "0.1.0-SNAPSHOT")).isTrue();
    assertThat(StoreVersion.isNewer("0.1.0", "0.1.0-SNAPSHOT")).isFalse();
    assertThat(StoreVersion.isNewer("0.0.9", "0.1.0")).isFalse();
    assertThat(StoreVersion.isNewer("1.0", "0.9.9")).isTrue();
    assertThat(StoreVersion.isNewer(StoreVersion.DEVELOPMENT, "0.1.0")).isFalse();
    assertThat(StoreVersion.current()).isNotEqualTo(StoreVersion.DEVELOPMENT);
  }
}
