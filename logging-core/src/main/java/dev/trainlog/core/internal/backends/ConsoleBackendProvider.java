package dev.trainlog.core.internal.backends;

import com.google.auto.service.AutoService;
import dev.trainlog.spi.BackendContext;
import dev.trainlog.spi.BackendProvider;
import dev.trainlog.spi.BackendSettings;
import dev.trainlog.spi.LogBackend;
import dev.trainlog.spi.Spi;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** {@code type: console}: progress lines on standard output or standard error. */
@AutoService(BackendProvider.class)
public final class ConsoleBackendProvider implements BackendProvider {

  /** Settings of a console backend: {@code target} is {@code stdout} (default) or {@code stderr}; {@code keys} limits the metrics shown. */
  record Config(String target, List<String> keys) {

    static Config read(BackendSettings settings) {
      return new Config(settings.oneOf("target", "stdout", "stdout", "stderr"), settings.textList("keys", List.of()));
    }
  }

  @Override
  public String type() {
    return "console";
  }

  @Override
  public int spiVersion() {
    return Spi.VERSION;
  }

  @Override
  public LogBackend create(BackendContext context) {
    Config config = Config.read(context.settings());
    FileDescriptor fd = config.target().equals("stderr") ? FileDescriptor.err : FileDescriptor.out;
    // printing progress is this backend's purpose, so it writes to the process's console directly
    return new ConsoleBackend(new OutputStreamWriter(new FileOutputStream(fd), StandardCharsets.UTF_8), context.run(), config.keys());
  }
}
