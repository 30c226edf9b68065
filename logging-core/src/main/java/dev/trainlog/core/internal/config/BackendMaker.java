package dev.trainlog.core.internal.config;

import dev.trainlog.api.RunInfo;
import dev.trainlog.core.internal.discovery.ProviderRegistry;
import dev.trainlog.spi.BackendProvider;
import dev.trainlog.spi.ConfigException;
import dev.trainlog.spi.ConfigProblem;
import dev.trainlog.spi.LogBackend;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Makes a backend through the provider installed for its type, from a map of its settings: one path for a
 * YAML section and for {@code DispatcherBuilder.backend(name, type, settings, ...)}. The problems come back
 * without file and line; a caller that read a file locates them.
 */
public final class BackendMaker {

  /** The backend, or null when there are problems: those its settings showed make whatever {@code create} did moot. */
  public record Made(LogBackend backend, List<ConfigProblem> problems) {}

  /** Where backends may keep state ({@code BackendContext.dataDir()}): {@value}/&lt;backend&gt;. */
  static final String DATA_DIR = "trainlog-data";

  private BackendMaker() {}

  /**
   * Backend {@code name} of {@code type} from {@code settings} at dotted key {@code backends.<name>};
   * {@code env} is what {@code BackendContext.env} reads, {@code sampling} what {@code sampling()} shows.
   */
  public static Made make(ProviderRegistry registry, String name, String type, Map<String, ?> settings,
      UnaryOperator<String> env, RunInfo run, Clock clock, Map<String, String> sampling) {
    String key = "backends." + name;
    List<ConfigProblem> problems = new ArrayList<>();
    BackendProvider provider;
    try {
      provider = registry.backendProvider(key, type);
    } catch (ConfigException e) {
      return new Made(null, e.problems());
    }
    SettingsView view = SettingsView.of(key, settings, "backend type '" + type + "'", env,
        BackendSection.RESERVED_KEYS);
    LogBackend backend = null;
    ConfigProblem failure = null;
    try {
      backend = provider.create(new SectionContext(name, view, env, run, Path.of(DATA_DIR, name), clock, sampling));
    } catch (ConfigException e) {
      // a provider may still throw problems it found itself (a missing optional library): they count too
      for (ConfigProblem p : e.problems()) {
        problems.add(p.key().startsWith(key) ? p : p.prefixed(key + "."));
      }
      failure = e.problems().isEmpty() ? new ConfigProblem(key, "is not valid: " + e.getMessage()) : null;
    } catch (Exception e) {
      failure = new ConfigProblem(key, "could not be created: " + e.getClass().getSimpleName() + ": " + e.getMessage());
    }
    List<ConfigProblem> found = view.problems();
    if (!found.isEmpty()) {
      problems.addAll(found);
      return new Made(null, problems);
    }
    if (failure != null) {
      problems.add(failure);
    }
    return new Made(problems.isEmpty() ? backend : null, problems);
  }

  /**
   * As {@link #make}, for a program: the installed providers, variables from {@code vars} before the
   * environment; throws every problem.
   */
  public static LogBackend make(String name, String type, Map<String, ?> settings, Map<String, String> vars,
      RunInfo run, Clock clock, Map<String, String> sampling) {
    UnaryOperator<String> env = variable -> vars.containsKey(variable) ? vars.get(variable) : System.getenv(variable);
    Made made = make(ProviderRegistry.load(), name, type, settings, env, run, clock, sampling);
    if (!made.problems().isEmpty()) {
      throw new ConfigException(made.problems());
    }
    return made.backend();
  }
}
