package dev.trainlog.core.internal.config;

import dev.trainlog.api.Secrets;
import dev.trainlog.core.internal.discovery.ProviderRegistry;
import dev.trainlog.core.spec.ChannelSettings;
import dev.trainlog.spi.BackendProvider;
import dev.trainlog.spi.ConfigException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One enabled entry under {@code backends:}: its provider type, its worker settings (defaults
 * merged in), its raw {@code sample:} node for the sampling package, its key filters, and its own
 * settings, which the provider reads through a {@link SettingsView}.
 */
public final class BackendSection {

  /** Keys TrainLog reads itself at a backend's level; everything else belongs to the backend. */
  public static final List<String> RESERVED_KEYS = reserved();

  private final String name;
  private final String type;
  private final ChannelSettings channel;
  private final Object sample;
  private final List<String> include;
  private final List<String> exclude;
  private final Map<String, Object> settings;
  private final ConfigSource source;

  /** {@code sample} may be null (not configured); {@code settings} are the backend's own keys only. */
  public BackendSection(String name, String type, ChannelSettings channel, Object sample, List<String> include,
      List<String> exclude, Map<String, Object> settings, ConfigSource source) {
    this.name = Objects.requireNonNull(name, "name");
    this.type = Objects.requireNonNull(type, "type");
    this.channel = Objects.requireNonNull(channel, "channel");
    this.sample = sample;
    this.include = List.copyOf(include);
    this.exclude = List.copyOf(exclude);
    this.settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
    this.source = Objects.requireNonNull(source, "source");
  }

  /** The instance name, the key under {@code backends:}. */
  public String name() {
    return name;
  }

  /** The provider type, e.g. {@code mongodb}. */
  public String type() {
    return type;
  }

  /** The dotted key of this backend, {@code backends.<name>}, for messages. */
  public String key() {
    return "backends." + name;
  }

  public ChannelSettings channel() {
    return channel;
  }

  /**
   * The {@code sample:} node as plain maps, lists and scalars, after merging with {@code
   * defaults.sample}; {@code null} when neither sets one.
   */
  public Object sample() {
    return sample;
  }

  /** Glob patterns of metric keys this backend keeps; empty keeps all. */
  public List<String> include() {
    return include;
  }

  /** Glob patterns of metric keys this backend drops, applied after {@link #include()}. */
  public List<String> exclude() {
    return exclude;
  }

  /** The backend's own settings, {@code ${VAR}} expanded, secrets included (never log them raw). */
  public Map<String, Object> settings() {
    return settings;
  }

  /** Where this backend was configured, to locate problems found later. */
  public ConfigSource source() {
    return source;
  }

  @Override
  public String toString() {
    return "BackendSection{" + name + ", type=" + type + ", " + channel + ", sample=" + sample + ", include="
        + include + ", exclude=" + exclude + ", settings=" + Secrets.redact(settings) + "}";
  }

  private static List<String> reserved() {
    List<String> keys = new ArrayList<>(List.of("type", "enabled", "sample", "include", "exclude"));
    keys.addAll(ChannelReader.KEYS);
    return List.copyOf(keys);
  }

  /**
   * The provider of this backend's type in {@code registry}.
   *
   * @throws ConfigException at {@code backends.<name>.type}, with file and line, when no usable provider exists
   */
  public BackendProvider provider(ProviderRegistry registry) {
    try {
      return registry.backendProvider(key(), type);
    } catch (ConfigException e) {
      throw new ConfigException(source.locateAll(e.problems()));
    }
  }
}
