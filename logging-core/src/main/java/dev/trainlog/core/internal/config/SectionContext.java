package dev.trainlog.core.internal.config;

import dev.trainlog.api.RunInfo;
import dev.trainlog.spi.BackendContext;
import dev.trainlog.spi.BackendSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Collections;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The {@link BackendContext} of a backend made by {@link BackendMaker}: its settings view, the run, the
 * variables ({@code vars} over the environment), a data directory, the clock.
 */
final class SectionContext implements BackendContext {

  private final String name;
  private final BackendSettings settings;
  private final UnaryOperator<String> env;
  private final RunInfo run;
  private final Path dataDir;
  private final Clock clock;
  private final Map<String, String> sampling;

  /** {@code sampling} is filled by the factory as it reads the backends, before any of them opens. */
  SectionContext(String name, BackendSettings settings, UnaryOperator<String> env, RunInfo run,
      Path dataDir, Clock clock, Map<String, String> sampling) {
    this.sampling = Collections.unmodifiableMap(sampling);
    this.name = name;
    this.settings = settings;
    this.env = env;
    this.run = run;
    this.dataDir = dataDir;
    this.clock = clock;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public RunInfo run() {
    return run;
  }

  @Override
  public BackendSettings settings() {
    return settings;
  }

  @Override
  public String env(String name) {
    return env.apply(name);
  }

  @Override
  public Path dataDir() {
    try {
      return Files.createDirectories(dataDir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public Clock clock() {
    return clock;
  }

  @Override
  public Map<String, String> sampling() {
    return sampling;
  }
}
