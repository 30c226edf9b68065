package dev.trainlog.core.internal.config;

import dev.trainlog.core.spec.ChannelSettings;
import dev.trainlog.spi.ConfigProblem;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Turns a parsed YAML document into a {@link TrainLogConfig}: expands environment references
 * (skipping disabled backends), reads every section, merges {@code defaults:} into each backend, and
 * throws one exception with every problem found.
 */
final class ConfigAssembler {

  static final List<String> TOP_KEYS = List.of("run", "dispatcher", "defaults", "backends", "system");

  private static final Pattern BACKEND_NAME = Pattern.compile("[A-Za-z0-9_-]+");

  private final EnvExpander expander;
  private final RunReader runReader;

  ConfigAssembler(EnvExpander expander, RunReader runReader) {
    this.expander = expander;
    this.runReader = runReader;
  }

  TrainLogConfig assemble(YamlReader.Document doc, boolean collectProblems) {
    ProblemList problems = new ProblemList();
    problems.addAll(doc.problems);
    Map<String, Object> root = doc.root;
    SectionReader.of(root, "", problems).rejectUnknown(TOP_KEYS);

    RunSection run = runReader.read(section(root, "run", RunReader.CONFIG_KEY, problems), problems);
    DispatcherSection dispatcher = DispatcherSection.read(section(root, "dispatcher", problems));
    SystemSection system = SystemSection.read(section(root, "system", problems));

    SectionReader defaults = section(root, "defaults", problems);
    List<String> defaultKeys = new ArrayList<>(ChannelReader.KEYS);
    defaultKeys.addAll(List.of("sample", "include", "exclude"));
    defaults.rejectUnknown(defaultKeys);
    ChannelSettings channel = ChannelReader.read(defaults, ChannelSettings.defaults(), problems);
    Inherited inherited = new Inherited(channel, defaults.raw("sample"),
        defaults.textList("include", List.of()), defaults.textList("exclude", List.of()));

    List<BackendSection> backends = new ArrayList<>();
    List<String> disabled = new ArrayList<>();
    Object backendsNode = root.get("backends");
    if (backendsNode instanceof Map) {
      for (Map.Entry<?, ?> e : ((Map<?, ?>) backendsNode).entrySet()) {
        String name = String.valueOf(e.getKey());
        if (BACKEND_NAME.matcher(name).matches() && isDisabled(e.getValue(), "backends." + name, problems)) {
          disabled.add(name);
          continue;
        }
        BackendSection b = backend(name, e.getValue(), inherited, problems, doc.source);
        if (b != null) {
          backends.add(b);
        }
      }
    } else if (backendsNode != null) {
      problems.invalid("backends", backendsNode, "a mapping from backend name to its settings");
    }
    if (collectProblems) {
      return new TrainLogConfig(run, dispatcher, system, backends, disabled, doc.source, problems.located(doc.source));
    }
    problems.throwIfAny(doc.source);
    return new TrainLogConfig(run, dispatcher, system, backends, disabled, doc.source, List.of());
  }

  /** The named top-level section, expanded; a missing one reads as empty. */
  private SectionReader section(Map<String, Object> root, String name, ProblemList problems) {
    return section(root, name, null, problems);
  }

  /**
   * The named top-level section, expanded with values that are one whole {@code ${VAR}} at {@code typedKey} and
   * below given their YAML type (see {@link EnvExpander#expandTree(Object, String, String, ProblemList)}).
   */
  private SectionReader section(Map<String, Object> root, String name, String typedKey, ProblemList problems) {
    return SectionReader.of(expander.expandTree(root.get(name), name, typedKey, problems), name, problems);
  }

  private BackendSection backend(String name, Object node, Inherited inherited, ProblemList problems,
      ConfigSource source) {
    String key = "backends." + name;
    if (!BACKEND_NAME.matcher(name).matches()) {
      problems.add(new ConfigProblem(key, "is not a valid backend name; use letters, digits, '-' and '_'"));
      return null;
    }
    if (!(node instanceof Map)) {
      problems.invalid(key, node, "a mapping with at least a type");
      return null;
    }
    Map<?, ?> raw = (Map<?, ?>) node;
    SectionReader r = SectionReader.of(expander.expandTree(raw, key, problems), key, problems);
    String type = r.requiredText("type");
    ChannelSettings channel = ChannelReader.read(r, inherited.channel, problems);
    Object sample = mergeSample(inherited.sample, r.raw("sample"));
    List<String> include = r.textList("include", inherited.include);
    List<String> exclude = r.textList("exclude", inherited.exclude);
    Map<String, Object> settings = new LinkedHashMap<>(r.values());
    BackendSection.RESERVED_KEYS.forEach(settings::remove);
    return new BackendSection(name, type == null ? "" : type, channel, sample, include, exclude, settings, source);
  }

  /** Whether {@code node} is a backend mapping that says {@code enabled: false}; it is then not validated at all. */
  private boolean isDisabled(Object node, String key, ProblemList problems) {
    // a disabled backend is not validated at all, so its missing variables are no problem
    return node instanceof Map && ((Map<?, ?>) node).containsKey("enabled")
        && !enabled(((Map<?, ?>) node).get("enabled"), key + ".enabled", problems);
  }

  private boolean enabled(Object value, String key, ProblemList problems) {
    if (value == null) {
      return false;
    }
    Object expanded = expander.expandTree(value, key, problems);
    if (expanded == null || (expanded instanceof String && ((String) expanded).isBlank())) {
      return false;
    }
    Boolean b = SectionReader.parseBoolean(expanded);
    if (b == null) {
      problems.invalid(key, expanded, "true or false");
      return false;
    }
    return b;
  }

  /** The keys of a {@code sample:} block that name its rule; a backend that sets one replaces the inherited rule. */
  static final List<String> SAMPLE_RULE_KEYS = List.of("every", "every-time", "first", "log-spaced", "always", "type");

  /** The keys of a {@code sample:} block that modify its rule; each is inherited unless the backend sets it. */
  static final List<String> SAMPLE_MODIFIER_KEYS = List.of("reduce", "overrides", "non-finite");

  /**
   * A backend's {@code sample:} over the default one. When the backend names a rule (see {@link
   * #SAMPLE_RULE_KEYS}) it replaces the inherited rule with its settings as a whole, and only the modifiers it
   * does not set are inherited; otherwise the two blocks merge key by key, the backend winning. A node that is
   * neither a mapping nor {@code always}/{@code true} is returned as written, for the parser to refuse.
   */
  static Object mergeSample(Object defaults, Object own) {
    if (own == null) {
      return defaults;
    }
    Map<String, Object> base = asSampleMap(defaults);
    Map<String, Object> mine = asSampleMap(own);
    if (base == null || mine == null) {
      return own;
    }
    Map<String, Object> merged = new LinkedHashMap<>();
    boolean namesRule = mine.keySet().stream().anyMatch(SAMPLE_RULE_KEYS::contains);
    for (Map.Entry<String, Object> e : base.entrySet()) {
      if (!namesRule || SAMPLE_MODIFIER_KEYS.contains(e.getKey())) {
        merged.put(e.getKey(), e.getValue());
      }
    }
    merged.putAll(mine);
    return merged;
  }

  /** {@code always} and {@code true} as the mapping they stand for; another non-mapping as {@code null}. */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> asSampleMap(Object node) {
    if (node instanceof Map) {
      return (Map<String, Object>) node;
    }
    if (Boolean.TRUE.equals(node) || "always".equals(node)) {
      return Map.of("always", true);
    }
    return null;
  }

  /** What every backend inherits from {@code defaults:}. */
  private static final class Inherited {
    final ChannelSettings channel;
    final Object sample;
    final List<String> include;
    final List<String> exclude;

    Inherited(ChannelSettings channel, Object sample, List<String> include, List<String> exclude) {
      this.channel = channel;
      this.sample = sample;
      this.include = include;
      this.exclude = exclude;
    }
  }
}
