package dev.trainlog.core.internal.discovery;

import dev.trainlog.spi.BackendProvider;
import dev.trainlog.spi.ConfigException;
import dev.trainlog.spi.ConfigProblem;
import dev.trainlog.spi.SamplerProvider;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The backend and sampler providers installed on the classpath, found with {@link ServiceLoader}.
 * Providers built for another SPI version, and types claimed by two providers, are refused with a
 * message that says what to change, but only when a configuration asks for them.
 */
public final class ProviderRegistry {

  private static final Logger LOG = LoggerFactory.getLogger(ProviderRegistry.class);

  /** The artifacts of the backends TrainLog ships, for "add the dependency" messages. */
  static final Map<String, String> KNOWN_MODULES = Map.of(
      "mongodb", "dev.trainlog:trainlog-mongodb",
      "tensorboard", "dev.trainlog:trainlog-tensorboard",
      "mlflow", "dev.trainlog:trainlog-mlflow");

  private final Discovered<BackendProvider> backends;
  private final Discovered<SamplerProvider> samplers;

  /** A registry of exactly these providers, e.g. for tests or programs that do not use ServiceLoader. */
  public ProviderRegistry(List<? extends BackendProvider> backendProviders,
      List<? extends SamplerProvider> samplerProviders) {
    this.backends = new Discovered<>("backend", List.copyOf(backendProviders), BackendProvider::type,
        BackendProvider::spiVersion);
    this.samplers = new Discovered<>("sampler", List.copyOf(samplerProviders), SamplerProvider::type,
        SamplerProvider::spiVersion);
  }

  /** The providers visible to the thread's context class loader (or this class's loader). */
  public static ProviderRegistry load() {
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    return load(loader != null ? loader : ProviderRegistry.class.getClassLoader());
  }

  /** The providers registered in {@code META-INF/services} files visible to {@code loader}. */
  public static ProviderRegistry load(ClassLoader loader) {
    return new ProviderRegistry(find(BackendProvider.class, loader), find(SamplerProvider.class, loader));
  }

  /** Usable backend providers by type, sorted by type. */
  public Map<String, BackendProvider> backendProviders() {
    return backends.usable();
  }

  /** Usable sampler providers by type, sorted by type. */
  public Map<String, SamplerProvider> samplerProviders() {
    return samplers.usable();
  }

  /**
   * The provider for backend {@code type}, configured at dotted key {@code key} ({@code backends.<name>}).
   *
   * @throws ConfigException at {@code <key>.type} when no usable provider exists, naming the installed types
   */
  public BackendProvider backendProvider(String key, String type) {
    BackendProvider p = backends.usable().get(type);
    if (p == null) {
      throw new ConfigException(List.of(backendTypeProblem(key, type)));
    }
    return p;
  }

  /**
   * Why the sampler type {@code type} cannot be used (its provider was built for another SPI, or two providers
   * claim it), or {@code null} when it is usable or not installed at all.
   */
  public String samplerRefusal(String type) {
    return samplers.refusal(type);
  }

  private ConfigProblem backendTypeProblem(String sectionKey, String type) {
    String key = sectionKey + ".type";
    String refusal = backends.refusal(type);
    if (refusal != null) {
      return new ConfigProblem(key, "cannot be used: " + refusal);
    }
    String module = KNOWN_MODULES.get(type);
    if (module != null) {
      return new ConfigProblem(key,
          "is '" + type + "' but no provider for it is installed: add the dependency " + module);
    }
    List<String> installed = backends.installedTypes();
    return ConfigProblem.invalid(key, type, "one of the installed backend types: "
        + (installed.isEmpty() ? "(none)" : String.join(", ", installed)));
  }

  private static <S> List<S> find(Class<S> service, ClassLoader loader) {
    List<S> out = new ArrayList<>();
    Iterator<S> it = ServiceLoader.load(service, loader).iterator();
    for (int failures = 0; failures < 100; ) {
      try {
        if (!it.hasNext()) {
          return out;
        }
        out.add(it.next());
      } catch (ServiceConfigurationError e) {
        // one broken plugin must not hide the others
        LOG.warn("a {} could not be loaded and is ignored: {}", service.getSimpleName(), e.getMessage());
        failures++;
      }
    }
    return out;
  }
}
