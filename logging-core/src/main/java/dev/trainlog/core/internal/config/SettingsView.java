package dev.trainlog.core.internal.config;

import dev.trainlog.api.Secrets;
import dev.trainlog.spi.BackendSettings;
import dev.trainlog.spi.ConfigException;
import dev.trainlog.spi.ConfigProblem;
import dev.trainlog.spi.Secret;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;

/**
 * The core's {@link BackendSettings}: typed reads over one backend's settings through {@link SectionReader},
 * every problem collected in one {@link ProblemList}, and the keys read remembered so that the rest can be
 * reported as unknown. One view per backend; nested sections share its problems.
 */
public final class SettingsView implements BackendSettings {

  private final SectionReader reader;
  private final ProblemList problems;
  private final String owner;
  private final UnaryOperator<String> env;
  private final Collection<String> otherNames;
  private final Set<String> read = new LinkedHashSet<>();
  private final List<SettingsView> children = new ArrayList<>();

  private SettingsView(SectionReader reader, ProblemList problems, String owner, UnaryOperator<String> env,
      Collection<String> otherNames) {
    this.reader = reader;
    this.problems = problems;
    this.owner = owner;
    this.env = env;
    this.otherNames = otherNames;
  }

  /**
   * A view of {@code values} (plain maps, lists and scalars) at dotted key {@code key}.
   *
   * @param owner who the settings belong to, for unknown keys: {@code backend type 'mongodb'}
   * @param env where {@link #secret} falls back to (the dispatcher's {@code vars}, then the environment)
   * @param otherNames keys TrainLog reads itself at this level, offered as "did you mean" for unknown keys
   */
  public static SettingsView of(String key, Map<String, ?> values, String owner, UnaryOperator<String> env,
      Collection<String> otherNames) {
    ProblemList problems = new ProblemList();
    return new SettingsView(SectionReader.of(new LinkedHashMap<>(values), key, problems), problems, owner, env,
        List.copyOf(otherNames));
  }

  /**
   * A view of {@code values} at {@code key} with no variables, for tests and programs that build a backend
   * without YAML: read through it, then call {@link #throwIfAny()}.
   */
  public static SettingsView of(String key, Map<String, ?> values) {
    return of(key, values, Map.of());
  }

  /** As {@link #of(String, Map)}, with {@link #secret} falling back to {@code env} (give the context the same). */
  public static SettingsView of(String key, Map<String, ?> values, Map<String, String> env) {
    Map<String, String> vars = Map.copyOf(env);
    return of(key, values, "this backend", vars::get, List.of());
  }

  /** Every problem found so far, unknown keys included, without file and line. */
  public List<ConfigProblem> problems() {
    ProblemList all = new ProblemList();
    all.addAll(problems.list());
    addUnknownKeys(all);
    return all.list();
  }

  /** Throws one {@link ConfigException} with every problem, if there are any (for tests and programs without YAML). */
  public void throwIfAny() {
    List<ConfigProblem> found = problems();
    if (!found.isEmpty()) {
      throw new ConfigException(found);
    }
  }

  private void addUnknownKeys(ProblemList into) {
    for (String name : reader.values().keySet()) {
      if (!read.contains(name)) {
        into.add(unknown(reader.key(name), name));
      }
    }
    children.forEach(c -> c.addUnknownKeys(into));
  }

  private ConfigProblem unknown(String fullKey, String name) {
    Set<String> known = new TreeSet<>(read);
    Optional<String> hint = Suggestions.closest(name, known).or(() -> Suggestions.closest(name, otherNames));
    String description = "is not a setting of " + owner + hint.map(h -> "; did you mean `" + h + "`?")
        .orElse(known.isEmpty() ? ", which takes no settings of its own" : "; known settings: " + String.join(", ", known));
    return new ConfigProblem(fullKey, description);
  }

  private String mark(String key) {
    read.add(key);
    return key;
  }

  @Override
  public String key() {
    return reader.key();
  }

  @Override
  public boolean has(String key) {
    return reader.has(mark(key));
  }

  @Override
  public String text(String key, String defaultValue) {
    return reader.text(mark(key), defaultValue);
  }

  @Override
  public String requiredText(String key) {
    return reader.requiredText(mark(key));
  }

  @Override
  public int positiveInt(String key, int defaultValue) {
    return reader.positiveInt(mark(key), defaultValue);
  }

  @Override
  public int nonNegativeInt(String key, int defaultValue) {
    return reader.nonNegativeInt(mark(key), defaultValue);
  }

  @Override
  public Duration duration(String key, Duration defaultValue) {
    return reader.positiveDuration(mark(key), defaultValue);
  }

  @Override
  public long size(String key, long defaultBytes) {
    Object v = reader.raw(mark(key));
    if (v == null) {
      return defaultBytes;
    }
    long bytes = Sizes.positive(v);
    if (bytes < 0) {
      problems.invalid(reader.key(key), v, Sizes.POSITIVE);
      return defaultBytes;
    }
    return bytes;
  }

  @Override
  public URI uri(String key, URI defaultValue, String... schemes) {
    return reader.uri(mark(key), defaultValue, schemes);
  }

  /** Warns once that {@code key} is no longer used (when it is set) and keeps it from being reported as unknown. */
  @Override
  public void deprecated(String key, String instead) {
    reader.deprecated(mark(key), instead);
  }

  @Override
  public Secret secret(String key, String envName) {
    String value = reader.text(mark(key), null);
    if ((value == null || value.isEmpty()) && envName != null) {
      value = env.apply(envName);
    }
    return value == null || value.isEmpty() ? null : Secret.of(value);
  }

  @Override
  public String oneOf(String key, String defaultValue, String... allowed) {
    return spelling(key, defaultValue, List.of(allowed));
  }

  @Override
  public <E extends Enum<E>> E oneOf(String key, E defaultValue) {
    Map<String, E> bySpelling = new LinkedHashMap<>();
    for (E e : defaultValue.getDeclaringClass().getEnumConstants()) {
      bySpelling.put(e.name().toLowerCase(Locale.ROOT).replace('_', '-'), e);
    }
    return bySpelling.get(spelling(key, defaultValue.name().toLowerCase(Locale.ROOT).replace('_', '-'),
        List.copyOf(bySpelling.keySet())));
  }

  /** One of {@code allowed}, matched ignoring case (a number is matched as its text); the default when absent or bad. */
  private String spelling(String key, String defaultValue, List<String> allowed) {
    String text = reader.text(mark(key), null);
    if (text == null) {
      return defaultValue;
    }
    for (String a : allowed) {
      if (a.equalsIgnoreCase(text.trim())) {
        return a;
      }
    }
    if (!problems.has(reader.key(key))) {
      problems.invalid(reader.key(key), text, "one of " + String.join(", ", allowed));
    }
    return defaultValue;
  }

  @Override
  public boolean bool(String key, boolean defaultValue) {
    return reader.bool(mark(key), defaultValue);
  }

  @Override
  public List<String> textList(String key, List<String> defaultValue) {
    return reader.textList(mark(key), defaultValue);
  }

  @Override
  public Map<String, String> textMap(String key) {
    return reader.textMap(mark(key));
  }

  @Override
  public BackendSettings section(String key) {
    return child(reader.raw(mark(key)), reader.key(key));
  }

  @Override
  public List<BackendSettings> sections(String key) {
    Object v = reader.raw(mark(key));
    if (v == null) {
      return List.of();
    }
    if (!(v instanceof List)) {
      problems.invalid(reader.key(key), v, "a list of mappings");
      return List.of();
    }
    List<BackendSettings> out = new ArrayList<>();
    List<?> items = (List<?>) v;
    for (int i = 0; i < items.size(); i++) {
      String itemKey = reader.key(key) + "[" + i + "]";
      if (items.get(i) instanceof Map) {
        out.add(child(items.get(i), itemKey));
      } else {
        problems.invalid(itemKey, items.get(i), "a mapping of settings");
      }
    }
    return List.copyOf(out);
  }

  private SettingsView child(Object node, String childKey) {
    SettingsView view = new SettingsView(SectionReader.of(node, childKey, problems), problems, owner, env, List.of());
    children.add(view);
    return view;
  }

  @Override
  public void invalid(String key, Object value, String requirement) {
    problems.invalid(reader.key(key), value, requirement);
  }

  @Override
  public void problem(String key, String description) {
    problems.add(new ConfigProblem(reader.key(key), description));
  }

  @Override
  public boolean hasProblems() {
    return !problems.isEmpty();
  }

  @Override
  public String toString() {
    return "SettingsView{" + key() + "=" + Secrets.redact(reader.values()) + "}";
  }
}
