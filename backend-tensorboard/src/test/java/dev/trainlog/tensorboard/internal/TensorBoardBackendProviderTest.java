package dev.trainlog.tensorboard.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trainlog.core.internal.config.SettingsView;
import dev.trainlog.spi.BackendProvider;
import dev.trainlog.spi.ConfigException;
import dev.trainlog.spi.Spi;
import dev.trainlog.testkit.TestBackendContext;
import java.nio.file.Path;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TensorBoardBackendProviderTest {

  @TempDir
  Path dir;

  @Test
  void serviceLoaderFindsTheProviderUnderItsType() {
    BackendProvider provider = ServiceLoader.load(BackendProvider.class).stream()
        .map(ServiceLoader.Provider::get)
        .filter(p -> p.type().equals("tensorboard"))
        .findFirst()
        .orElseThrow();

    assertThat(provider).isInstanceOf(TensorBoardBackendProvider.class);
    assertThat(provider.spiVersion()).isEqualTo(Spi.VERSION);
  }

  @Test
  void defaultsArePinned() {
    TensorBoardConfig defaults = TensorBoardConfig.defaults();

    assertThat(defaults.logDir()).isEqualTo("runs").isEqualTo(TensorBoardConfig.DEFAULT_LOG_DIR);
    assertThat(defaults.rankSubdirs()).isTrue();
    assertThat(defaults.vectorElementsAsScalars()).isFalse();
    assertThat(defaults.hparams()).isTrue();
    assertThat(defaults.configText()).isTrue();
    assertThat(HistogramEncoder.MAX_BUCKETS).isEqualTo(30);
    assertThat(TensorBoardBackend.CONFIG_TAG).isEqualTo("config");
  }

  @Test
  void createWritesUnderTheConfiguredLogDir() throws Exception {
    SettingsView settings = SettingsView.of("backends.tb", Map.of("log-dir", dir.toString(), "rank-subdirs", false,
        "vector-elements-as-scalars", true, "hparams", false, "config-text", false));

    TensorBoardBackend backend = (TensorBoardBackend) new TensorBoardBackendProvider()
        .create(new TestBackendContext("tb", Fixtures.RUN, settings, dir));

    assertThat(settings.problems()).isEmpty();
    assertThat(backend.runDirectory()).isEqualTo(dir.resolve("exp").resolve("run-a"));
  }

  @Test
  void everyKeyIsReadFromYamlAndAbsentOnesTakeTheirDefaults() {
    SettingsView all = SettingsView.of("backends.tb", Map.of("log-dir", "tb", "rank-subdirs", false,
        "vector-elements-as-scalars", true, "hparams", false, "config-text", false));
    SettingsView none = SettingsView.of("backends.tb", Map.of());

    assertThat(TensorBoardConfig.read(all)).isEqualTo(new TensorBoardConfig("tb", false, true, false, false));
    assertThat(TensorBoardConfig.read(none)).isEqualTo(TensorBoardConfig.defaults());
    assertThat(all.problems()).isEmpty();
  }

  @Test
  void aBlankLogDirIsRejectedUnderItsKey() {
    SettingsView settings = SettingsView.of("backends.tb", Map.of("log-dir", " ", "hparam", true));

    new TensorBoardBackendProvider().create(new TestBackendContext("tb", Fixtures.RUN, settings, dir));

    assertThatThrownBy(settings::throwIfAny)
        .isInstanceOf(ConfigException.class)
        .hasMessage("2 problems in the TrainLog configuration:\n"
            + "  - `backends.tb.log-dir` was ' ' but it must be a non-blank path\n"
            + "  - `backends.tb.hparam` is not a setting of this backend; did you mean `hparams`?");
  }
}
