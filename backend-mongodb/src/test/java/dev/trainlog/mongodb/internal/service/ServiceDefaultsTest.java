package dev.trainlog.mongodb.internal.service;

import dev.trainlog.mongodb.store.ServerFile;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
    assertThat(ServiceProcess.DEFAULT_NICE).isEqualTo(10);
  }

  @Test
  void theServiceIsStartedAtTheWantedNiceValueAndNeverRaised() {
    assertThat(ServiceProcess.niceIncrement(10, 0)).isEqualTo(10);
    assertThat(ServiceProcess.niceIncrement(10, 4)).isEqualTo(6);
    assertThat(ServiceProcess.niceIncrement(10, 15)).as("a trainer already lower").isZero();
    assertThat(ServiceProcess.niceIncrement(10, -5)).as("a trainer raised with privilege").isEqualTo(15);
    assertThat(ServiceProcess.niceIncrement(10, ServiceProcess.UNKNOWN)).as("no /proc").isZero();
    assertThat(ServiceProcess.niceIncrement(0, 0)).isZero();
  }

  @Test
  void theNicePropertyIsANumberUpTo19AndAnythingElseKeepsTheDefault() {
    assumeTrue(System.getenv(ServiceProcess.NICE_ENV) == null, "the environment sets " + ServiceProcess.NICE_ENV);
    try {
      assertThat(ServiceProcess.configuredNice()).isEqualTo(10);
      System.setProperty(ServiceProcess.NICE_PROPERTY, "0");
      assertThat(ServiceProcess.configuredNice()).isZero();
      System.setProperty(ServiceProcess.NICE_PROPERTY, "25");
      assertThat(ServiceProcess.configuredNice()).isEqualTo(19);
      System.setProperty(ServiceProcess.NICE_PROPERTY, "low");
      assertThat(ServiceProcess.configuredNice()).isEqualTo(10);
    } finally {
      System.clearProperty(ServiceProcess.NICE_PROPERTY);
    }
  }

  @Test
  void aStatLineIsReadPastTheCommandsNameAndAnUnreadableOneIsUnknown(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws java.io.IOException {
    java.nio.file.Path stat = dir.resolve("stat");
    // the command name may hold spaces and parentheses; the nice value is the 19th field
    java.nio.file.Files.writeString(stat, "4242 (java (a) b) S 1 4242 4242 0 -1 4194560 100 0 0 0 5 3 0 0 30 10 21 0 "
        + "12345 0 0\n");
    assertThat(ServiceProcess.niceOf(stat)).isEqualTo(10);
    assertThat(ServiceProcess.niceOf(dir.resolve("none"))).isEqualTo(ServiceProcess.UNKNOWN);
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
