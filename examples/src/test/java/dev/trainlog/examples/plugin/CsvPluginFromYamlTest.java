package dev.trainlog.examples.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trainlog.core.LogDispatcher;
import dev.trainlog.spi.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The plugin is found by ServiceLoader and selected by {@code type: csv}, at its own rate. */
class CsvPluginFromYamlTest {

  @TempDir Path dir;

  @Test
  void typeCsvInYamlSelectsThePluginAtItsOwnRate() throws Exception {
    String yaml = "run: {experiment: plugin-demo, name: r1}\n"
        + "dispatcher: {journal-dir: " + dir.resolve("journal") + ", shutdown-hook: false}\n"
        + "backends:\n"
        + "  table: {type: csv, sample: {every: 5}, path: " + dir.resolve("m.csv") + ", columns: [loss, eval/acc]}\n";
    try (LogDispatcher d = LogDispatcher.fromYaml(yaml, "plugin.yaml")) {
      for (long step = 1; step <= 10; step++) {
        d.log(step, Map.of("loss", step / 10.0, "eval", Map.of("acc", 0.5)));
      }
      assertThat(d.flush(Duration.ofSeconds(10))).isTrue();
    }
    assertThat(Files.readAllLines(dir.resolve("m.csv")))
        .extracting(line -> line.split(",")[0])
        .containsExactly("step", "5", "10");
  }

  @Test
  void missingSettingsAreReportedWithTheirLines() {
    String yaml = "run: {experiment: plugin-demo}\nbackends:\n  table:\n    type: csv\n";
    assertThatThrownBy(() -> LogDispatcher.fromYaml(yaml, "plugin.yaml"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("2 problems in the TrainLog configuration:\n"
            + "  - `backends.table.path` is required (plugin.yaml:3)\n"
            + "  - `backends.table.columns` is required: list the scalar metrics to write, e.g. [loss, lr]"
            + " (plugin.yaml:3)");
  }
}
