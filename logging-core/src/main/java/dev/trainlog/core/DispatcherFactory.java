package dev.trainlog.core;

import dev.trainlog.api.RunInfo;
import dev.trainlog.core.config.BackendSection;
import dev.trainlog.core.config.ConfigLoader;
import dev.trainlog.core.config.TrainLogConfig;
import dev.trainlog.core.discovery.ProviderRegistry;
import dev.trainlog.core.sampling.KeyFilter;
import dev.trainlog.core.sampling.SampleSpec;
import dev.trainlog.spi.BackendProvider;
import dev.trainlog.spi.ConfigException;
import dev.trainlog.spi.ConfigProblem;
import dev.trainlog.spi.LogBackend;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Assembles a dispatcher from YAML: loads and validates the config, finds each backend's provider,
 * parses its sampling, lets the provider bind and check its settings, and reports every problem of
 * every stage in one {@link ConfigException} before anything is opened.
 */
final class DispatcherFactory {

  /** Where backends may keep state ({@code BackendContext.dataDir()}): {@value}/&lt;backend&gt;. */
  static final String DATA_DIR = "trainlog-data";

  private DispatcherFactory() {}

  static LogDispatcher fromYaml(Path path, Map<String, String> vars) {
    return create(loader(vars).load(path), ProviderRegistry.load(), Clock.systemUTC());
  }

  static LogDispatcher fromYaml(Path path, Map<String, String> vars, RunInfo run) {
    return create(loader(vars).load(path), ProviderRegistry.load(), Clock.systemUTC(), run);
  }

  static LogDispatcher fromYaml(String yaml, String sourceName, Map<String, String> vars) {
    return create(loader(vars).load(yaml, sourceName), ProviderRegistry.load(), Clock.systemUTC());
  }

  static LogDispatcher fromYaml(InputStream in, String sourceName, Map<String, String> vars) {
    return create(loader(vars).load(in, sourceName), ProviderRegistry.load(), Clock.systemUTC());
  }

  /** The process environment with {@code vars} on top (examples and tests set variables this way). */
  private static ConfigLoader loader(Map<String, String> vars) {
    Map<String, String> env = new HashMap<>(System.getenv());
    env.putAll(vars);
    return ConfigLoader.builder().env(env).collectProblems(true).build();
  }

  static LogDispatcher create(TrainLogConfig config, ProviderRegistry registry, Clock clock) {
    return create(config, registry, clock, null);
  }

  /** With {@code givenRun} not null, the YAML's run section is not used, and its problems do not count. */
  static LogDispatcher create(TrainLogConfig config, ProviderRegistry registry, Clock clock, RunInfo givenRun) {
    List<ConfigProblem> problems = new ArrayList<>(config.problems());
    if (givenRun != null) {
      problems.removeIf(p -> p.key().equals("run") || p.key().startsWith("run."));
    }
    RunInfo run = givenRun != null ? givenRun : runOrPlaceholder(config, clock);
    DispatcherBuilder builder = LogDispatcher.builder(run)
        .journalDir(config.dispatcher().journalDir())
        .durability(config.dispatcher().durability(), config.dispatcher().fsyncInterval())
        .journalLimit(config.dispatcher().journalMaxSize(), config.dispatcher().onFull())
        .journalSegmentSize(config.dispatcher().segmentSize())
        .deadLetterDir(config.dispatcher().deadLetterDir())
        .shutdownHook(config.dispatcher().shutdownHook())
        .onStepRegression(config.dispatcher().onStepRegression())
        .closeTimeout(config.dispatcher().closeTimeout())
        .clock(clock);
    for (BackendSection section : config.backends()) {
      SampleSpec spec = null;
      KeyFilter filter = null;
      LogBackend backend = null;
      try {
        spec = SampleSpec.parse(section.key() + ".sample", section.sample(), registry.samplerProviders());
      } catch (ConfigException e) {
        problems.addAll(section.source().locateAll(e.problems()));
      }
      try {
        filter = KeyFilter.parse(section.key(), section.include(), section.exclude());
      } catch (ConfigException e) {
        problems.addAll(section.source().locateAll(e.problems()));
      }
      try {
        BackendProvider provider = registry.backendProvider(section);
        backend = provider.create(new SectionContext(section, run, Path.of(DATA_DIR, section.name()), clock));
      } catch (ConfigException e) {
        for (ConfigProblem p : e.problems()) {
          ConfigProblem full = p.key().startsWith(section.key()) ? p : p.prefixed(section.key() + ".");
          problems.add(full.location() == null ? section.source().locate(full) : full);
        }
        if (e.problems().isEmpty()) {
          problems.add(section.source().locate(new ConfigProblem(section.key(), "is not valid: " + e.getMessage())));
        }
      } catch (Exception e) {
        problems.add(section.source().locate(new ConfigProblem(section.key(),
            "could not be created: " + e.getClass().getSimpleName() + ": " + e.getMessage())));
      }
      if (spec != null && filter != null && backend != null) {
        builder.backend(section.name(), backend, spec.newSampler(filter), section.channel());
      }
    }
    if (!problems.isEmpty()) {
      problems.sort(Comparator.comparingInt(DispatcherFactory::line));
      throw new ConfigException(problems);
    }
    return builder.build();
  }

  /** The run, or while the run section itself has problems, a stand-in so the backends can still be checked. */
  private static RunInfo runOrPlaceholder(TrainLogConfig config, Clock clock) {
    try {
      return config.run().toRunInfo(clock.millis());
    } catch (IllegalArgumentException invalidRun) {
      if (config.problems().isEmpty()) {
        throw invalidRun;
      }
      return RunInfo.builder().experiment("invalid").runName("invalid").runId("invalid").node("invalid").build();
    }
  }

  private static int line(ConfigProblem p) {
    String loc = p.location();
    int colon = loc == null ? -1 : loc.lastIndexOf(':');
    try {
      return colon < 0 ? Integer.MAX_VALUE : Integer.parseInt(loc.substring(colon + 1));
    } catch (NumberFormatException e) {
      return Integer.MAX_VALUE;
    }
  }
}
