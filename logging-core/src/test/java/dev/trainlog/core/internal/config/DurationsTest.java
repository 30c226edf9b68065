package dev.trainlog.core.internal.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {

  @Test
  void everyDocumentedSpellingIsRead() {
    assertThat(Durations.fromYaml("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(Durations.fromYaml(" 2 s ")).isEqualTo(Duration.ofSeconds(2));
    assertThat(Durations.fromYaml("5m")).isEqualTo(Duration.ofMinutes(5));
    assertThat(Durations.fromYaml("1H")).isEqualTo(Duration.ofHours(1));
    assertThat(Durations.fromYaml("1d")).isEqualTo(Duration.ofDays(1));
    assertThat(Durations.fromYaml("PT2S")).isEqualTo(Duration.ofSeconds(2));
    assertThat(Durations.fromYaml("pt1m30s")).isEqualTo(Duration.ofSeconds(90));
  }

  @Test
  void aWholeNumberIsMillisecondsWhetherAYamlNumberOrTextFromAVariable() {
    assertThat(Durations.fromYaml(1500)).isEqualTo(Duration.ofMillis(1500));
    assertThat(Durations.fromYaml(1500L)).isEqualTo(Duration.ofMillis(1500));
    assertThat(Durations.fromYaml(BigInteger.valueOf(1500))).isEqualTo(Duration.ofMillis(1500));
    assertThat(Durations.fromYaml("1500")).isEqualTo(Duration.ofMillis(1500));
    assertThat(Durations.fromYaml(" 1500 ")).isEqualTo(Duration.ofMillis(1500));
    assertThat(Durations.parse("1500")).isEqualTo(Duration.ofMillis(1500));
  }

  @Test
  void anythingElseIsRefusedNamingTheAcceptedForms() {
    for (Object bad : new Object[] {null, "", "soon", "1.5", "-5", "1.5s", 1.5, true, "99999999999999999999",
        "9999999999999999999d", BigInteger.TEN.pow(20), -5}) {
      assertThatThrownBy(() -> Durations.fromYaml(bad)).as("%s", bad).isInstanceOf(IllegalArgumentException.class)
          .hasMessage("a duration such as 500ms, 2s, 5m or 1h");
    }
  }
}
