package dev.trainlog.core.internal.sampling;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainlog.core.internal.config.BackendSection;
import dev.trainlog.core.internal.config.ConfigLoader;
import dev.trainlog.core.internal.config.KeyGlobs;
import dev.trainlog.core.internal.config.SampleSpecParser;
import dev.trainlog.core.spec.SampleSpec;
import dev.trainlog.spi.Sampler;
import dev.trainlog.spi.SamplerContext;
import dev.trainlog.spi.SamplerProvider;
import dev.trainlog.spi.Spi;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every sampling rule a backend can name, crossed with every modifier {@code defaults:} can hand down, once
 * inherited and once overridden by the backend; and every rule {@code defaults:} can name, kept by a backend
 * that names none. The resolved sampling is checked through its description.
 */
class SampleInheritanceTest {

  /** A plugin rule that keeps steps divisible by its {@code divisor}. */
  static final class DivisorProvider implements SamplerProvider {
    @Override
    public String type() {
      return "divisor";
    }

    @Override
    public int spiVersion() {
      return Spi.VERSION;
    }

    @Override
    public Sampler create(SamplerContext context) {
      long divisor = ((Number) context.settings().get("divisor")).longValue();
      return (step, t) -> step % divisor == 0;
    }
  }

  private static final Map<String, SamplerProvider> PROVIDERS = Map.of("divisor", new DivisorProvider());

  /** A rule as written in YAML, and how it is described. */
  private static final List<String[]> RULES = List.of(
      new String[] {"every: 5", "every 5 steps"},
      new String[] {"every-time: 2s", "the first step, then one every 2s of logged time"},
      new String[] {"first: 3, every: 4", "every step below 3, then every 4 steps"},
      new String[] {"log-spaced: true", "log-spaced steps (0, 1, 2, 5, 10, 20, 50, 100, ...)"},
      new String[] {"always: true", "every step"},
      new String[] {"type: divisor, divisor: 3", "sampler type 'divisor' {divisor=3}"});

  /** A modifier: its key, the default's value, the backend's own value, and how each is described. */
  private static final List<String[]> MODIFIERS = List.of(
      new String[] {"reduce", "mean", "max", ", mean of the steps in between", ", maximum of the steps in between"},
      new String[] {"reduce", "mean", "none", ", mean of the steps in between", ""},
      new String[] {"non-finite", "sample", "always", ", steps with NaN or ±Inf sampled like the others", ""},
      new String[] {"overrides", "{eval/*: always}", "{grad/*: {every: 1000}}", "; keys eval/*: every step",
          "; keys grad/*: every 1000 steps"},
      new String[] {"include", "[loss]", "[eval/*]", "; only keys loss", "; only keys eval/*"},
      new String[] {"exclude", "[loss]", "[eval/*]", "; without keys loss", "; without keys eval/*"});

  static Stream<Arguments> ruleTimesModifier() {
    List<Arguments> out = new ArrayList<>();
    for (String defaultRule : List.of("every: 7", "type: divisor, divisor: 9")) {
      for (String[] rule : RULES) {
        for (String[] m : MODIFIERS) {
          out.add(Arguments.of(defaultRule, rule[0], m[0], m[1], null, rule[1] + phrase(rule, m[3])));
          out.add(Arguments.of(defaultRule, rule[0], m[0], m[1], m[2], rule[1] + phrase(rule, m[4])));
        }
      }
    }
    return out.stream();
  }

  /** A reduce phrase means nothing after a rule that keeps every step, so it is not shown there. */
  private static String phrase(String[] rule, String phrase) {
    return rule[0].startsWith("always") && phrase.contains("steps in between") ? "" : phrase;
  }

  @ParameterizedTest(name = "defaults [{0}, {2}: {3}] + backend [{1}, {2}: {4}]")
  @MethodSource("ruleTimesModifier")
  void aBackendRuleReplacesTheInheritedRuleWhileEachModifierIsInheritedUnlessTheBackendSetsIt(
      String defaultRule, String rule, String modifier, String inherited, String own, String expected) {
    boolean filter = modifier.equals("include") || modifier.equals("exclude");
    String defaults = filter
        ? "{sample: {" + defaultRule + "}, " + modifier + ": " + inherited + "}"
        : "{sample: {" + defaultRule + ", " + modifier + ": " + inherited + "}}";
    String backend = filter
        ? "{type: jsonl, sample: {" + rule + "}" + (own == null ? "" : ", " + modifier + ": " + own) + "}"
        : "{type: jsonl, sample: {" + rule + (own == null ? "" : ", " + modifier + ": " + own) + "}}";

    assertThat(resolved(defaults, backend)).isEqualTo(expected);
  }

  static Stream<Arguments> inheritedRules() {
    List<Arguments> out = new ArrayList<>();
    for (String[] rule : RULES) {
      for (String[] m : MODIFIERS) {
        if (!m[0].equals("include") && !m[0].equals("exclude")) {
          out.add(Arguments.of(rule[0], m[0], m[1], m[2], rule[1] + phrase(rule, m[4])));
        }
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "defaults [{0}, {1}: {2}] + backend [{1}: {3}]")
  @MethodSource("inheritedRules")
  void aBackendThatNamesNoRuleKeepsTheInheritedRuleAndSetsItsOwnModifier(
      String rule, String modifier, String inherited, String own, String expected) {
    String defaults = "{sample: {" + rule + ", " + modifier + ": " + inherited + "}}";
    String backend = "{type: jsonl, sample: {" + modifier + ": " + own + "}}";

    assertThat(resolved(defaults, backend)).isEqualTo(expected);
  }

  private static String resolved(String defaults, String backend) {
    String yaml = String.join("\n",
        "run: {experiment: e}",
        "defaults: " + defaults,
        "backends:",
        "  b: " + backend,
        "");
    BackendSection b = new ConfigLoader(Map.of(), java.time.Clock.systemUTC()).load(yaml, "t.yaml").backends().get(0);
    SampleSpec spec = SampleSpecParser.parse(b.key() + ".sample", b.sample(), PROVIDERS, type -> null);
    KeyGlobs.parse(b.key(), b.include(), b.exclude()); // the YAML's globs are checked as the dispatcher does
    return spec.keys(b.include(), b.exclude()).describe();
  }
}
