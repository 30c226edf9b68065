package dev.trainlog.examples.plugin;

import com.google.auto.service.AutoService;
import dev.trainlog.spi.BackendContext;
import dev.trainlog.spi.BackendProvider;
import dev.trainlog.spi.BackendSettings;
import dev.trainlog.spi.LogBackend;
import dev.trainlog.spi.Spi;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code type: csv}, found by ServiceLoader through {@code @AutoService}. YAML:
 * {@code csv: {type: csv, sample: {every: 100}, path: out/metrics.csv, columns: [loss, lr]}}.
 */
@AutoService(BackendProvider.class)
public final class CsvBackendProvider implements BackendProvider {

  /** The backend's own settings, read from YAML through the settings view. */
  record Config(Path path, List<String> columns) {

    static Config read(BackendSettings settings) {
      String path = settings.requiredText("path");
      List<String> columns = settings.textList("columns", List.of());
      if (columns.isEmpty()) {
        settings.problem("columns", "is required: list the scalar metrics to write, e.g. [loss, lr]");
      }
      return new Config(path == null ? null : Path.of(path), columns);
    }
  }

  @Override
  public String type() {
    return "csv";
  }

  @Override
  public int spiVersion() {
    return Spi.VERSION;
  }

  @Override
  public LogBackend create(BackendContext context) {
    // bad settings are recorded, not thrown: the core reports them with every other problem after this returns
    Config config = Config.read(context.settings());
    return new CsvBackend(config.path(), config.columns());
  }
}
