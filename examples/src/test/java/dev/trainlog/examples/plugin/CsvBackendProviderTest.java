package dev.trainlog.examples.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trainlog.api.RunStatus;
import dev.trainlog.core.Settings;
import dev.trainlog.spi.BackendSettings;
import dev.trainlog.spi.ConfigException;
import dev.trainlog.spi.LogBackend;
import dev.trainlog.testkit.TestBackendContext;
import dev.trainlog.testkit.TestRecords;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The provider tested the way the plugin guide says: settings from a map, a test context, no YAML. */
class CsvBackendProviderTest {

  @TempDir Path dir;

  @Test
  void settingsFromAMapBuildTheBackendTheYamlWould() throws Exception {
    Path file = dir.resolve("out.csv");
    BackendSettings settings = Settings.of("backends.csv", Map.of("path", file.toString(), "columns", List.of("loss")));

    LogBackend backend = new CsvBackendProvider().create(new TestBackendContext("csv", TestRecords.run("plugin-demo", "r1"), settings, dir));
    Settings.throwIfAny(settings);
    backend.open();
    backend.write(List.of(TestRecords.everyKind(TestRecords.run("plugin-demo", "r1"), 3)));
    backend.close(RunStatus.FINISHED);

    assertThat(Files.readAllLines(file)).first().isEqualTo("step,timestamp_ms,loss");
  }

  @Test
  void everyProblemIsReportedAtOnceWithItsDottedKey() {
    BackendSettings settings = Settings.of("backends.csv", Map.of("colums", List.of("loss")));

    new CsvBackendProvider().create(new TestBackendContext("csv", TestRecords.run("plugin-demo", "r1"), settings, dir));

    assertThat(Settings.problems(settings)).hasSize(3);
    assertThatThrownBy(() -> Settings.throwIfAny(settings))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("`backends.csv.path` is required")
        .hasMessageContaining("`backends.csv.columns` is required")
        .hasMessageContaining("`backends.csv.colums` is not a setting of this backend; did you mean `columns`?");
  }
}
