package dev.trainlog.core.internal.backends;

import com.google.auto.service.AutoService;
import dev.trainlog.api.RunInfo;
import dev.trainlog.spi.BackendContext;
import dev.trainlog.spi.BackendProvider;
import dev.trainlog.spi.BackendSettings;
import dev.trainlog.spi.LogBackend;
import dev.trainlog.spi.Spi;
import java.nio.file.Path;

/** {@code type: jsonl}: one JSON object per record, appended to {@code path}. */
@AutoService(BackendProvider.class)
public final class JsonlBackendProvider implements BackendProvider {

  /** Where files go when {@code path} is not set: {@value}/&lt;experiment&gt;/&lt;run&gt;-rank&lt;n&gt;.jsonl. */
  public static final String DEFAULT_DIR = "trainlog-data/jsonl";

  /** Settings of a jsonl backend: the file to append to ({@code path}). */
  record Config(Path path) {

    static Config read(BackendSettings settings, RunInfo run) {
      String path = settings.text("path", null);
      return new Config(path != null
          ? Path.of(path)
          : Path.of(DEFAULT_DIR, run.experiment(), run.runName() + "-rank" + run.rank() + ".jsonl"));
    }
  }

  @Override
  public String type() {
    return "jsonl";
  }

  @Override
  public int spiVersion() {
    return Spi.VERSION;
  }

  @Override
  public LogBackend create(BackendContext context) {
    return new JsonlBackend(Config.read(context.settings(), context.run()).path());
  }
}
