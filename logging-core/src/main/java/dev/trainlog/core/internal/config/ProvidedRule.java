package dev.trainlog.core.internal.config;

import dev.trainlog.api.Secrets;
import dev.trainlog.core.spec.SampleSpec;
import dev.trainlog.spi.ConfigException;
import dev.trainlog.spi.ConfigProblem;
import dev.trainlog.spi.Sampler;
import dev.trainlog.spi.SamplerProvider;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A base rule from a {@link SamplerProvider} ({@code sample: {type: ...}}). The provider's sampler is
 * created once while parsing, so bad settings are reported with the other problems, and that instance
 * serves the first backend worker; every later one gets a new one.
 */
final class ProvidedRule implements Supplier<Sampler> {

  private final SamplerProvider provider;
  private final ProviderSamplerContext context;
  private Sampler validated;

  private ProvidedRule(SamplerProvider provider, ProviderSamplerContext context, Sampler validated) {
    this.provider = provider;
    this.context = context;
    this.validated = validated;
  }

  /** The installed type named by {@code value}, or {@code null} after adding a problem. */
  static String typeName(String key, Object value, Map<String, SamplerProvider> providers,
      Function<String, String> refusals, List<ConfigProblem> problems) {
    if (!(value instanceof String) || ((String) value).isEmpty()) {
      problems.add(ConfigProblem.invalid(key, value, "the name of an installed sampler type"));
      return null;
    }
    String type = (String) value;
    String refusal = refusals.apply(type);
    if (refusal != null) {
      problems.add(new ConfigProblem(key, "cannot be used: " + refusal));
      return null;
    }
    if (providers.containsKey(type)) {
      return type;
    }
    TreeSet<String> installed = new TreeSet<>(providers.keySet());
    String requirement = "one of the installed sampler types: "
        + (installed.isEmpty() ? "(none)" : String.join(", ", installed));
    if (SampleSpecParser.RULES.contains(type)) {
      requirement += "; `" + type + "` is a built-in rule, written as `sample: {" + type + ": ...}`";
    } else {
      String close = Suggestions.closest(type, installed).orElse(null);
      requirement += close == null ? "" : "; did you mean '" + close + "'?";
    }
    problems.add(ConfigProblem.invalid(key, type, requirement));
    return null;
  }

  /**
   * The spec of a provided rule whose block is at {@code key}, or {@code null} after adding the
   * problems its provider reported.
   */
  static SampleSpec spec(String key, String type, Map<String, Object> settings, SamplerProvider provider,
      List<ConfigProblem> problems) {
    ProviderSamplerContext context = new ProviderSamplerContext(key, type, settings);
    String typeKey = key + ".type";
    try {
      Sampler sampler = provider.create(context);
      List<ConfigProblem> found = context.viewProblems();
      if (!found.isEmpty()) {
        problems.addAll(found);
        return null;
      }
      if (sampler == null) {
        problems.add(new ConfigProblem(typeKey, "was '" + type + "' but its provider returned no sampler"));
        return null;
      }
      String words = "sampler type '" + type + "'" + (settings.isEmpty() ? "" : " " + Secrets.redact(settings));
      return SampleSpec.custom(words, new ProvidedRule(provider, context, sampler));
    } catch (ConfigException e) {
      if (e.problems().isEmpty()) {
        problems.add(new ConfigProblem(typeKey, "was '" + type + "' but its sampler could not be created: " + e.getMessage()));
      } else {
        problems.addAll(e.problems());
      }
    } catch (RuntimeException e) {
      problems.add(new ConfigProblem(typeKey, "was '" + type + "' but its sampler could not be created: " + e));
    }
    return null;
  }

  @Override
  public synchronized Sampler get() {
    Sampler s = validated != null ? validated : provider.create(context);
    validated = null;
    return s;
  }
}
