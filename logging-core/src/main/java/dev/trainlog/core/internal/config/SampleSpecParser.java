package dev.trainlog.core.internal.config;

import dev.trainlog.core.spec.NonFinite;
import dev.trainlog.core.spec.Reduce;
import dev.trainlog.core.spec.SampleSpec;
import dev.trainlog.spi.ConfigException;
import dev.trainlog.spi.ConfigProblem;
import dev.trainlog.spi.SamplerProvider;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Reads a {@code sample:} node into a {@link SampleSpec}, collecting every problem before failing. */
public final class SampleSpecParser {

  /** The base rules; a block sets at most one. */
  static final List<String> RULES = List.of("every", "every-time", "log-spaced", "always", "type");

  /** Keys of a {@code type:} block the core reads itself; offered as "did you mean" for a provider's unknown keys. */
  static final List<String> CORE_KEYS = List.of("type", "first", "reduce", "non-finite", "overrides");

  private static final List<String> TOP_KEYS = List.of(
      "always", "artifacts", "every", "every-time", "first", "images", "log-spaced", "non-finite", "overrides", "reduce",
      "type");
  private static final List<String> OVERRIDE_KEYS = List.of(
      "always", "every", "every-time", "first", "log-spaced", "reduce", "type");

  private static final String SAMPLE_NODE = "'always' or a map such as {every: 10}";

  private final Map<String, SamplerProvider> providers;
  private final Function<String, String> refusals;
  private final List<ConfigProblem> problems = new ArrayList<>();

  private SampleSpecParser(Map<String, SamplerProvider> providers, Function<String, String> refusals) {
    this.providers = providers;
    this.refusals = refusals;
  }

  /**
   * Reads a {@code sample:} node given as plain values (absent, a string, a boolean or a map), where {@code key}
   * is its dotted key, e.g. {@code backends.mongo.sample}, and {@code providers} are the installed sampler
   * providers by type; {@code refusals} says why an installed but unusable sampler type cannot be used (built
   * for another SPI, claimed twice), or returns {@code null}. Throws a {@link ConfigException} holding every
   * problem.
   */
  public static SampleSpec parse(String key, Object node, Map<String, SamplerProvider> providers,
      Function<String, String> refusals) {
    SampleSpecParser parser = new SampleSpecParser(providers, refusals);
    SampleSpec spec = parser.node(key, node, null);
    if (!parser.problems.isEmpty()) {
      throw new ConfigException(parser.problems);
    }
    return spec;
  }

  /** {@code topKey} is the enclosing block's key when {@code node} is an override, else null. */
  private SampleSpec node(String key, Object node, String topKey) {
    if (node == null || Boolean.TRUE.equals(node) || "always".equals(node)) {
      return SampleSpec.always();
    }
    if (node instanceof Map) {
      return map(key, (Map<?, ?>) node, topKey);
    }
    problems.add(ConfigProblem.invalid(key, node, SAMPLE_NODE));
    return null;
  }

  private SampleSpec map(String key, Map<?, ?> node, String topKey) {
    int problemsBefore = problems.size();
    boolean top = topKey == null;
    boolean typed = node.containsKey("type");
    List<String> rules = new ArrayList<>();
    Map<String, Object> settings = new LinkedHashMap<>();
    SampleSpec base = null;
    String type = null;
    long first = 0;
    Reduce reduce = null;
    NonFinite nonFinite = null;
    Map<String, SampleSpec> overrides = Map.of();
    SampleSpec images = null;
    SampleSpec artifacts = null;
    for (Map.Entry<?, ?> e : node.entrySet()) {
      String name = String.valueOf(e.getKey());
      String k = key + "." + name;
      Object v = e.getValue();
      switch (name) {
        case "every":
          rules.add(name);
          base = every(k, v, base);
          break;
        case "every-time":
          rules.add(name);
          Duration d = duration(k, v);
          base = d != null ? SampleSpec.everyTime(d) : base;
          break;
        case "log-spaced":
          rules.add(name);
          base = isTrue(k, v) ? SampleSpec.logSpaced() : base;
          break;
        case "always":
          rules.add(name);
          base = isTrue(k, v) ? SampleSpec.always() : base;
          break;
        case "type":
          rules.add(name);
          type = ProvidedRule.typeName(k, v, providers, refusals, problems);
          break;
        case "first":
          first = positive(k, v);
          break;
        case "reduce":
          reduce = YamlNames.parse(Reduce.class, Reduce::yamlName, String.valueOf(v));
          if (reduce == null) {
            problems.add(ConfigProblem.invalid(k, v, "one of none, last, mean, min, max"));
          }
          break;
        case "non-finite":
          if (!top) {
            problems.add(onlyOnTop(k, topKey));
          } else if ((nonFinite = YamlNames.parse(NonFinite.class, NonFinite::yamlName, String.valueOf(v))) == null) {
            problems.add(ConfigProblem.invalid(k, v, "one of always, sample"));
          }
          break;
        case "images":
        case "artifacts":
          if (!top) {
            problems.add(onlyOnTop(k, topKey));
          } else if (name.equals("images")) {
            images = node(k, v, key);
          } else {
            artifacts = node(k, v, key);
          }
          break;
        case "overrides":
          if (top) {
            overrides = overrides(k, v, key);
          } else {
            problems.add(onlyOnTop(k, topKey));
          }
          break;
        default:
          if (typed) {
            settings.put(name, v);
          } else {
            problems.add(unknownKey(k, name, top ? TOP_KEYS : OVERRIDE_KEYS));
          }
      }
    }
    if (rules.size() > 1) {
      problems.add(new ConfigProblem(key, conflict(rules)));
    } else if (type != null) {
      base = ProvidedRule.spec(key, type, settings, providers.get(type), problems);
    } else if (rules.isEmpty()) {
      if (first > 0) {
        problems.add(new ConfigProblem(key + ".first",
            "needs a rule for the steps after it: add one of `every`, `every-time`, `log-spaced`, `always` or `type`"));
      }
      base = SampleSpec.always();
    }
    if (problems.size() > problemsBefore || base == null) {
      return null;
    }
    SampleSpec spec = first > 0 ? base.first(first) : base;
    spec = reduce == null ? spec : spec.reduce(reduce);
    spec = nonFinite == null ? spec : spec.nonFinite(nonFinite);
    for (Map.Entry<String, SampleSpec> o : overrides.entrySet()) {
      spec = spec.override(o.getKey(), o.getValue());
    }
    spec = images == null ? spec : spec.images(images);
    return artifacts == null ? spec : spec.artifacts(artifacts);
  }

  private Map<String, SampleSpec> overrides(String key, Object node, String topKey) {
    if (!(node instanceof Map)) {
      problems.add(ConfigProblem.invalid(key, node, "a map from key globs to sample rules such as {\"eval/*\": always}"));
      return Map.of();
    }
    Map<String, SampleSpec> out = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : ((Map<?, ?>) node).entrySet()) {
      String glob = String.valueOf(e.getKey());
      if (glob.isEmpty()) {
        problems.add(ConfigProblem.invalid(key, glob, "keyed by non-empty key globs such as eval/*"));
        continue;
      }
      SampleSpec spec = node(key + "." + glob, e.getValue(), topKey);
      if (spec != null) {
        out.put(glob, spec);
      }
    }
    return out;
  }

  private long positive(String key, Object v) {
    Long n = integer(v);
    if (n == null || n <= 0) {
      problems.add(ConfigProblem.invalid(key, v, "a positive integer"));
      return -1;
    }
    return n;
  }

  /** An integer written as a number or, through ${VAR} expansion, as digits; {@code null} for anything else. */
  private static Long integer(Object v) {
    if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
      return ((Number) v).longValue();
    }
    if (v instanceof BigInteger && ((BigInteger) v).bitLength() < 64) {
      return ((BigInteger) v).longValue();
    }
    if (v instanceof String && ((String) v).trim().matches("-?\\d{1,18}")) {
      return Long.parseLong(((String) v).trim());
    }
    return null;
  }

  /** {@code sample: {every: n}}: the text or number made a long here, its range checked by SampleSpec alone. */
  private SampleSpec every(String key, Object v, SampleSpec orElse) {
    Long n = integer(v);
    if (n == null) {
      problems.add(ConfigProblem.invalid(key, v, "a positive integer"));
      return orElse;
    }
    try {
      return SampleSpec.every(n);
    } catch (ConfigException e) {
      e.problems().forEach(p -> problems.add(new ConfigProblem(key, p.description())));
      return orElse;
    }
  }

  private Duration duration(String key, Object v) {
    Duration d = Durations.positive(v);
    if (d == null) {
      problems.add(ConfigProblem.invalid(key, v, Durations.POSITIVE));
    }
    return d;
  }

  private boolean isTrue(String key, Object v) {
    if (Boolean.TRUE.equals(v) || "true".equals(v)) {
      return true;
    }
    problems.add(ConfigProblem.invalid(key, v, "true"));
    return false;
  }

  private static ConfigProblem onlyOnTop(String key, String topKey) {
    return new ConfigProblem(key, "can only be set on `" + topKey + "`, not in an override");
  }

  static ConfigProblem unknownKey(String key, String name, List<String> known) {
    String close = Suggestions.closest(name, known).orElse(null);
    return new ConfigProblem(key, "is not a known sample setting; "
        + (close != null ? "did you mean `" + close + "`?" : "known settings: " + String.join(", ", known)));
  }

  private static String conflict(List<String> rules) {
    if (rules.size() == 2) {
      return "sets both `" + rules.get(0) + "` and `" + rules.get(1) + "`; choose one";
    }
    StringBuilder sb = new StringBuilder("sets ");
    for (int i = 0; i < rules.size(); i++) {
      sb.append(i == 0 ? "" : i == rules.size() - 1 ? " and " : ", ").append('`').append(rules.get(i)).append('`');
    }
    return sb.append("; choose one").toString();
  }
}
