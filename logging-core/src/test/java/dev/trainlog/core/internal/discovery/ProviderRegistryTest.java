package dev.trainlog.core.internal.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trainlog.core.internal.config.BackendSection;
import dev.trainlog.core.internal.config.ConfigLoader;
import dev.trainlog.core.internal.config.SampleSpecParser;
import dev.trainlog.core.internal.config.TrainLogConfig;
import dev.trainlog.core.spec.SampleSpec;
import dev.trainlog.spi.ConfigException;
import java.net.URL;
import java.net.URLClassLoader;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ProviderRegistryTest {

  private URLClassLoader plugins;
  private ProviderRegistry registry;

  @BeforeEach
  void loadPluginsFromTheirOwnServiceFiles() {
    // the test providers live outside the module's main META-INF/services so no other test sees them
    URL dir = getClass().getResource("/config/plugins/");
    plugins = new URLClassLoader(new URL[] {dir}, getClass().getClassLoader());
    registry = ProviderRegistry.load(plugins);
  }

  @AfterEach
  void closeLoader() throws Exception {
    plugins.close();
  }

  private static TrainLogConfig config(String backends) {
    return ConfigLoader.builder().env(Map.of()).clock(Clock.systemUTC()).hostName("h").build()
        .load("run: {experiment: e}\nbackends:\n" + backends, "trainlog.yaml");
  }

  private static ProviderRegistry installed(String... types) {
    return new ProviderRegistry(List.of(types).stream().map(TestProviders.Backend::new).toList(), List.of());
  }

  @Test
  void serviceLoaderFindsTheGoodProvidersAndOnlyThem() {
    assertThat(registry.backendProviders()).containsKey("good").doesNotContainKeys("future", "dup");
    assertThat(registry.backendProviders().get("good")).isInstanceOf(TestProviders.GoodProvider.class);
    assertThat(registry.samplerProviders()).containsKey("every-other").doesNotContainKey("old-sampler");
  }

  @Test
  void aConfiguredBackendResolvesToItsProvider() {
    BackendSection good = config("  g: {type: good}\n").backends().get(0);
    assertThat(good.provider(registry)).isInstanceOf(TestProviders.GoodProvider.class);
  }

  @Test
  void aBackendProviderBuiltForSpiOneIsRefusedByNameWithBothVersions() {
    BackendSection old = config("  f:\n    type: old\n").backends().get(0);
    assertThatThrownBy(() -> old.provider(registry))
        .isInstanceOf(ConfigException.class)
        .hasMessage("`backends.f.type` cannot be used: backend provider " + TestProviders.SpiOneProvider.class.getName()
            + " (type 'old') was built for TrainLog SPI 1, but this trainlog-core implements SPI 2; use a version "
            + "of that plugin built for SPI 2 (trainlog.yaml:4)");
  }

  @Test
  void twoProvidersOfOneTypeAreNamedBoth() {
    BackendSection dup = config("  d: {type: dup}\n").backends().get(0);
    assertThatThrownBy(() -> dup.provider(registry))
        .hasMessage("`backends.d.type` cannot be used: 2 backend providers claim type 'dup': "
            + TestProviders.FirstDupProvider.class.getName() + " and " + TestProviders.SecondDupProvider.class.getName()
            + "; keep only one of them on the classpath (trainlog.yaml:3)");
  }

  @Test
  void anUnknownTypeListsTheInstalledTypes() {
    BackendSection metrics = config("  metrics:\n    type: mongo\n").backends().get(0);
    assertThatThrownBy(() -> metrics.provider(installed("tensorboard", "console", "mongodb", "jsonl")))
        .hasMessage("`backends.metrics.type` was 'mongo' but it must be one of the installed backend types: "
            + "console, jsonl, mongodb, tensorboard (trainlog.yaml:4)");
  }

  @Test
  void aKnownTypeWhoseModuleIsMissingNamesTheDependency() {
    TrainLogConfig config = config("  tb: {type: tensorboard}\n  mongo:\n    type: mongodb\n  ml: {type: mlflow}\n");
    ProviderRegistry consoleOnly = installed("console");
    assertThatThrownBy(() -> config.backends().get(1).provider(consoleOnly))
        .hasMessage("`backends.mongo.type` is 'mongodb' but no provider for it is installed: add the dependency "
            + "dev.trainlog:trainlog-mongodb (trainlog.yaml:5)");
  }

  @Test
  void aSamplerProviderBuiltForSpiOneIsRefusedByNameWithBothVersionsWhenAConfigurationAsksForIt() {
    assertThat(registry.samplerRefusal("every-other")).isNull();
    assertThat(registry.samplerRefusal("every")).isNull();
    assertThatThrownBy(() -> SampleSpecParser.parse("backends.a.sample", Map.of("type", "old-sampler"),
        registry.samplerProviders(), registry::samplerRefusal))
        .hasMessage("`backends.a.sample.type` cannot be used: sampler provider "
            + TestProviders.SpiOneSamplerProvider.class.getName() + " (type 'old-sampler') was built for TrainLog "
            + "SPI 1, but this trainlog-core implements SPI 2; use a version of that plugin built for SPI 2");
  }

  @Test
  void aGoodProviderWinsOverAnIncompatibleOneOfTheSameType() {
    ProviderRegistry r = new ProviderRegistry(
        List.of(new TestProviders.Backend("x") {
          @Override
          public int spiVersion() {
            return 0;
          }
        }, new TestProviders.Backend("x")), List.of());
    assertThat(r.backendProviders()).containsOnlyKeys("x");
  }
}
