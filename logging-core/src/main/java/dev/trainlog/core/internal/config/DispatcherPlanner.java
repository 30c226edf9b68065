package dev.trainlog.core.internal.config;

import dev.trainlog.api.RunInfo;
import dev.trainlog.core.internal.discovery.ProviderRegistry;
import dev.trainlog.core.internal.system.Provenance;
import dev.trainlog.core.spec.SampleSpec;
import dev.trainlog.spi.ConfigException;
import dev.trainlog.spi.ConfigProblem;
import dev.trainlog.spi.LogBackend;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plans a dispatcher from YAML: loads and validates the config, finds each backend's provider, parses
 * its sampling, lets the provider read and check its settings, and reports every problem of every stage
 * in one {@link ConfigException} before anything is opened. The public builder builds the plan.
 */
public final class DispatcherPlanner {

  // The dispatcher's own logger by name: users configure one logger for everything a dispatcher says.
  private static final Logger LOG = LoggerFactory.getLogger("dev.trainlog.core.LogDispatcher");

  private DispatcherPlanner() {}

  public static DispatcherPlan plan(Path path, Map<String, String> vars) {
    Map<String, String> env = env(vars);
    return create(loader(env).load(path), ProviderRegistry.load(), Clock.systemUTC(), null, env, null,
        textOf(path));
  }

  public static DispatcherPlan plan(Path path, Map<String, String> vars, RunInfo run) {
    return plan(path, vars, run, Clock.systemUTC());
  }

  /**
   * As {@link #plan(Path, Map, RunInfo)} on {@code clock}: the backends are made with it (a command that
   * replays another program's log gives them the log's times), and the plan's dispatcher runs on it.
   */
  public static DispatcherPlan plan(Path path, Map<String, String> vars, RunInfo run, Clock clock) {
    Map<String, String> env = env(vars);
    return create(loader(env).load(path), ProviderRegistry.load(), clock, run, env, null, textOf(path));
  }

  public static DispatcherPlan plan(String yaml, String sourceName, Map<String, String> vars) {
    Map<String, String> env = env(vars);
    return create(loader(env).load(yaml, sourceName), ProviderRegistry.load(), Clock.systemUTC(), null, env, null,
        yaml);
  }

  public static DispatcherPlan plan(InputStream in, String sourceName, Map<String, String> vars) {
    Map<String, String> env = env(vars);
    return create(loader(env).load(in, sourceName), ProviderRegistry.load(), Clock.systemUTC(), null, env, null,
        null);
  }

  /**
   * A plan of the configuration in {@code path} with only its backend {@code backend}, the others
   * neither checked nor opened: for resending to one backend ({@code trainlog resend}).
   *
   * @throws ConfigException when the configuration has no enabled backend of that name, listing those it has
   */
  public static DispatcherPlan planOneBackend(Path path, Map<String, String> vars, String backend) {
    Map<String, String> env = env(vars);
    TrainLogConfig config = loader(env).load(path);
    List<String> names = config.backends().stream().map(BackendSection::name).toList();
    if (!names.contains(backend)) {
      throw new ConfigException(List.of(config.source().locate(new ConfigProblem("backends",
          "has no enabled backend named '" + backend + "'; it has: "
              + (names.isEmpty() ? "(none)" : String.join(", ", names))))));
    }
    return create(config, ProviderRegistry.load(), Clock.systemUTC(), null, env, backend, textOf(path));
  }

  /** The process environment with {@code vars} on top (examples and tests set variables this way). */
  private static Map<String, String> env(Map<String, String> vars) {
    Map<String, String> env = new HashMap<>(System.getenv());
    env.putAll(vars);
    return env;
  }

  private static ConfigLoader loader(Map<String, String> env) {
    return ConfigLoader.builder().env(env).collectProblems(true).build();
  }

  static DispatcherPlan create(TrainLogConfig config, ProviderRegistry registry, Clock clock) {
    return create(config, registry, clock, null, System.getenv());
  }

  /**
   * With {@code givenRun} not null, the YAML's run section is not used, and its problems do not count; {@code
   * env} is what {@code BackendContext.env} reads.
   */
  static DispatcherPlan create(TrainLogConfig config, ProviderRegistry registry, Clock clock, RunInfo givenRun,
      Map<String, String> env) {
    return create(config, registry, clock, givenRun, env, null, null);
  }

  /** The YAML file's text for the run's provenance; null when it cannot be read again. */
  private static String textOf(Path path) {
    try {
      return java.nio.file.Files.readString(path);
    } catch (java.io.IOException | RuntimeException e) {
      return null;
    }
  }

  /** As {@link #create(TrainLogConfig, ProviderRegistry, Clock, RunInfo, Map)}, with only backend {@code only} (null: all). */
  private static DispatcherPlan create(TrainLogConfig config, ProviderRegistry registry, Clock clock, RunInfo givenRun,
      Map<String, String> env, String only, String yamlText) {
    List<ConfigReport.Backend> reports = new ArrayList<>();
    // provenance before the backends are made: they record the run they are given
    RunInfo run = Provenance.attach(givenRun != null ? givenRun : runOrPlaceholder(config, clock), yamlText);
    List<DispatcherPlan.Backend> backends = assemble(config, registry, clock, run, givenRun != null, env, reports,
        only);
    return new DispatcherPlan(run, config.dispatcher(), config.system(), clock, backends);
  }

  /** What {@link #create} would build, checked the same way, without opening anything; {@code givenRun} as there. */
  static ConfigReport check(Path path, Map<String, String> vars, RunInfo givenRun) {
    Map<String, String> env = env(vars);
    TrainLogConfig config = loader(env).load(path);
    List<ConfigReport.Backend> reports = new ArrayList<>();
    RunInfo run = givenRun != null ? givenRun : runOrPlaceholder(config, Clock.systemUTC());
    assemble(config, ProviderRegistry.load(), Clock.systemUTC(), run, givenRun != null, env, reports, null);
    return new ConfigReport(run, config.dispatcher(), reports);
  }

  /**
   * Checks everything and makes the backends for {@code run}; throws every problem at once. With {@code
   * runGiven}, the YAML's run section is not used, and its problems do not count.
   */
  private static List<DispatcherPlan.Backend> assemble(TrainLogConfig config, ProviderRegistry registry, Clock clock,
      RunInfo run, boolean runGiven, Map<String, String> env, List<ConfigReport.Backend> reports, String only) {
    List<ConfigProblem> problems = new ArrayList<>(config.problems());
    if (runGiven) {
      problems.removeIf(p -> p.key().equals("run") || p.key().startsWith("run."));
    }
    List<DispatcherPlan.Backend> planned = new ArrayList<>();
    Map<String, String> sampling = new LinkedHashMap<>();
    for (BackendSection section : config.backends()) {
      if (only != null && !section.name().equals(only)) {
        continue;
      }
      SampleSpec spec = null;
      LogBackend backend = null;
      try {
        spec = SampleSpecParser.parse(section.key() + ".sample", section.sample(), registry.samplerProviders(),
            registry::samplerRefusal);
      } catch (ConfigException e) {
        problems.addAll(section.source().locateAll(e.problems()));
      }
      KeyGlobs keys = null;
      try {
        keys = KeyGlobs.parse(section.key(), section.include(), section.exclude()); // each bad glob, own key
      } catch (ConfigException e) {
        problems.addAll(section.source().locateAll(e.problems()));
      }
      if (spec != null && keys != null) {
        spec = spec.keys(keys.include(), keys.exclude());
        sampling.put(section.name(), spec.describe());
      }
      backend = backend(section, registry, run, env, clock, problems, sampling);
      if (spec != null && keys != null && backend != null) {
        planned.add(new DispatcherPlan.Backend(section.name(), section.type(), backend, spec, section.channel(),
            sampling.get(section.name())));
        reports.add(new ConfigReport.Backend(section.name(), section.type(), sampling.get(section.name()),
            section.channel(), ConfigReport.redacted(section.settings())));
      }
    }
    noBackend(config, problems);
    if (!problems.isEmpty()) {
      problems.sort(Comparator.comparingInt(DispatcherPlanner::line));
      throw new ConfigException(problems);
    }
    return planned;
  }

  /**
   * A configuration with no backend would log nowhere: that is a problem, unless every backend it declares is
   * disabled on purpose (then a warning says so).
   */
  private static void noBackend(TrainLogConfig config, List<ConfigProblem> problems) {
    if (!config.backends().isEmpty() || problems.stream().anyMatch(p -> p.key().startsWith("backends"))) {
      return;
    }
    if (config.disabledBackends().isEmpty()) {
      problems.add(config.source().locate(new ConfigProblem("backends", "has no backend, so nothing would be "
          + "logged: add one under `backends:`, e.g. `backends: {console: {type: console}}` or "
          + "`backends: {metrics: {type: jsonl, path: metrics.jsonl}}`")));
    } else {
      LOG.warn("Every backend in {} is disabled ({}): this dispatcher logs nowhere", config.source().name(),
          String.join(", ", config.disabledBackends()));
    }
  }

  /** The section's backend, or {@code null} after adding its problems, located in the file. */
  private static LogBackend backend(BackendSection section, ProviderRegistry registry, RunInfo run,
      Map<String, String> env, Clock clock, List<ConfigProblem> problems, Map<String, String> sampling) {
    BackendMaker.Made made = BackendMaker.make(registry, section.name(), section.type(), section.settings(), env::get,
        run, clock, sampling);
    problems.addAll(section.source().locateAll(made.problems()));
    return made.backend();
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
