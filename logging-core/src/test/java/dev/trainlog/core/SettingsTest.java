package dev.trainlog.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trainlog.spi.BackendSettings;
import dev.trainlog.spi.ConfigException;
import dev.trainlog.spi.ConfigProblem;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Settings made from a map are read and checked as YAML's are, for tests of a plugin's provider. */
class SettingsTest {

  @Test
  void readsAreCheckedAsYamlsAreAndEveryProblemIsThrownAtOnce() {
    BackendSettings settings = Settings.of("backends.x", Map.of("timeout", "soon", "batch", 0, "extra", 1));

    assertThat(settings.duration("timeout", Duration.ofSeconds(3))).isEqualTo(Duration.ofSeconds(3));
    assertThat(settings.positiveInt("batch", 7)).isEqualTo(7);

    assertThat(Settings.problems(settings)).extracting(ConfigProblem::key)
        .containsExactly("backends.x.timeout", "backends.x.batch", "backends.x.extra");
    assertThatThrownBy(() -> Settings.throwIfAny(settings)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("`backends.x.timeout` was 'soon' but it must be a positive duration such as 500ms, 2s or 5m");
  }

  @Test
  void aSecretWithNoValueFallsBackToTheVariablesGivenNeverToTheEnvironment() {
    BackendSettings withVars = Settings.of("backends.x", Map.of(), Map.of("X_TOKEN", "t0k"));
    BackendSettings without = Settings.of("backends.x", Map.of());

    assertThat(withVars.secret("token", "X_TOKEN").reveal()).isEqualTo("t0k");
    assertThat(without.secret("token", "PATH")).isNull();
    assertThat(Settings.problems(withVars)).isEmpty();
  }

  @Test
  void settingsNotMadeHereAreRefusedByName() {
    BackendSettings other = (BackendSettings) Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {BackendSettings.class}, (proxy, method, args) -> null);

    assertThatThrownBy(() -> Settings.throwIfAny(other)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("not settings made by Settings.of: ");
  }
}
