package dev.trainlog.core.internal.sampling;

import static dev.trainlog.core.internal.sampling.Fixtures.lossSteps;
import static dev.trainlog.core.internal.sampling.Fixtures.offerAll;
import static dev.trainlog.core.internal.sampling.Fixtures.steps;
import static org.assertj.core.api.Assertions.assertThat;

import dev.trainlog.core.internal.config.SampleSpecParser;
import dev.trainlog.core.spec.SampleSpec;
import dev.trainlog.spi.ConfigException;
import dev.trainlog.spi.ConfigProblem;
import dev.trainlog.spi.Sampler;
import dev.trainlog.spi.SamplerContext;
import dev.trainlog.spi.SamplerProvider;
import dev.trainlog.spi.Spi;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class CustomSamplerProviderTest {

  private static final String KEY = "backends.mongo.sample";

  /** The typed settings of the {@code modulo} test sampler; {@code skip-zero} checks kebab-case binding. */
  record ModuloConfig(int divisor, int offset, boolean skipZero) {}

  /** Keeps steps with {@code step % divisor == offset}; remembers what it was given. */
  static class ModuloProvider implements SamplerProvider {
    final List<SamplerContext> contexts = new ArrayList<>();
    int created;

    @Override
    public String type() {
      return "modulo";
    }

    @Override
    public int spiVersion() {
      return Spi.VERSION;
    }

    @Override
    @SuppressWarnings("deprecation") // the Jackson binding still works for providers built against it
    public Sampler create(SamplerContext context) {
      contexts.add(context);
      ModuloConfig c = context.config(ModuloConfig.class);
      if (c.divisor() <= 0) {
        throw new ConfigException(ConfigProblem.invalid(context.key() + ".divisor", c.divisor(), "a positive integer"));
      }
      created++;
      return (step, t) -> !(c.skipZero() && step == 0) && step % c.divisor() == c.offset();
    }
  }

  /** Keeps every third step it is asked about: state that must not be shared between channels. */
  static final class EveryThirdCallProvider implements SamplerProvider {
    @Override
    public String type() {
      return "every-third-call";
    }

    @Override
    public int spiVersion() {
      return Spi.VERSION;
    }

    @Override
    public Sampler create(SamplerContext context) {
      int[] calls = {0};
      return (step, t) -> calls[0]++ % 3 == 0;
    }
  }

  private static Map<String, SamplerProvider> installed(SamplerProvider... providers) {
    return List.of(providers).stream().collect(Collectors.toMap(SamplerProvider::type, Function.identity()));
  }

  private static Map<String, Object> node(Object... keysAndValues) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      m.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return m;
  }

  private static List<String> problems(Map<String, Object> node, Map<String, SamplerProvider> providers) {
    try {
      SampleSpecParser.parse(KEY, node, providers, type -> null);
    } catch (ConfigException e) {
      return e.problems().stream().map(ConfigProblem::message).collect(Collectors.toList());
    }
    throw new AssertionError("no ConfigException for " + node);
  }

  @Test
  void aProviderGetsItsOwnSettingsBoundWithKebabCaseAndTheCoreAppliesFirstAndReduce() {
    ModuloProvider modulo = new ModuloProvider();
    SampleSpec spec = SampleSpecParser.parse(KEY, node("type", "modulo", "divisor", 3, "offset", 1, "skip-zero", true,
        "first", 2, "reduce", "last", "non-finite", "sample", "overrides", node("eval/*", "always")),
        installed(modulo), type -> null);
    SamplerContext context = modulo.contexts.get(0);
    assertThat(context.key()).isEqualTo(KEY);
    assertThat(context.settings()).isEqualTo(Map.of("divisor", 3, "offset", 1, "skip-zero", true));
    assertThat(spec).hasToString(
        "steps below 2, then sampler type 'modulo' {divisor=3, offset=1, skip-zero=true}, reduce last,"
            + " non-finite sample, overrides {eval/*=always}");
    assertThat(steps(offerAll(RecordSampler.of(spec), lossSteps(0, 10)))).containsExactly(0L, 1L, 4L, 7L, 10L);
  }

  @Test
  void eachChannelGetsItsOwnProviderSampler() {
    ModuloProvider modulo = new ModuloProvider();
    SampleSpec spec = SampleSpecParser.parse(KEY, node("type", "modulo", "divisor", 2), installed(modulo),
        type -> null);
    assertThat(modulo.created).isEqualTo(1);
    RecordSampler.of(spec);
    assertThat(modulo.created).as("the sampler made while validating serves the first channel").isEqualTo(1);
    RecordSampler.of(spec);
    assertThat(modulo.created).isEqualTo(2);

    SampleSpec stateful = SampleSpecParser.parse(KEY, node("type", "every-third-call"),
        installed(new EveryThirdCallProvider()), type -> null);
    RecordSampler a = RecordSampler.of(stateful);
    RecordSampler b = RecordSampler.of(stateful);
    assertThat(steps(offerAll(a, lossSteps(1, 7)))).containsExactly(1L, 4L, 7L);
    assertThat(steps(offerAll(b, lossSteps(1, 7)))).containsExactly(1L, 4L, 7L);
  }

  @Test
  void bindingProblemsNameTheDottedKey() {
    Map<String, SamplerProvider> providers = installed(new ModuloProvider());
    assertThat(problems(node("type", "modulo", "divisr", 3), providers)).containsExactly(
        "`backends.mongo.sample.divisr` is not a known sample setting; did you mean `divisor`?");
    assertThat(problems(node("type", "modulo", "divisor", "three"), providers)).containsExactly(
        "`backends.mongo.sample.divisor` was 'three' but it must be an integer");
    assertThat(problems(node("type", "modulo", "divisor", 2, "skip-zero", "maybe"), providers)).containsExactly(
        "`backends.mongo.sample.skip-zero` was 'maybe' but it must be true or false");
  }

  @Test
  void aProvidersOwnConfigProblemsAreReportedWithTheOthers() {
    assertThat(problems(node("type", "modulo", "divisor", 0, "reduce", "avg"), installed(new ModuloProvider())))
        .containsExactly(
            "`backends.mongo.sample.reduce` was 'avg' but it must be one of none, last, mean, min, max",
            "`backends.mongo.sample.divisor` was '0' but it must be a positive integer");
  }

  @Test
  void aProviderThatFailsOrReturnsNothingIsAConfigProblem() {
    SamplerProvider broken = new ModuloProvider() {
      @Override
      public String type() {
        return "broken";
      }

      @Override
      public Sampler create(SamplerContext context) {
        throw new IllegalStateException("no GPU at https://bob:hunter2@metrics.example/api");
      }
    };
    SamplerProvider empty = new ModuloProvider() {
      @Override
      public String type() {
        return "empty";
      }

      @Override
      public Sampler create(SamplerContext context) {
        return null;
      }
    };
    assertThat(problems(node("type", "broken"), installed(broken))).containsExactly(
        "`backends.mongo.sample.type` was 'broken' but its sampler could not be created: "
            + "java.lang.IllegalStateException: no GPU at https://bob:****@metrics.example/api");
    assertThat(problems(node("type", "empty"), installed(empty))).containsExactly(
        "`backends.mongo.sample.type` was 'empty' but its provider returned no sampler");
  }

  @Test
  void aTypeIsABaseRuleAndConflictsWithAnother() {
    assertThat(problems(node("type", "modulo", "every", 10, "divisor", 2), installed(new ModuloProvider())))
        .containsExactly("`backends.mongo.sample` sets both `type` and `every`; choose one");
  }

  @Test
  void aSamplerObjectCanBeGivenInCode() {
    SampleSpec spec = SampleSpec.custom((step, t) -> step == 3).override("eval/*", SampleSpec.always());
    assertThat(steps(offerAll(RecordSampler.of(spec), lossSteps(0, 5)))).containsExactly(3L);
    List<Long> made = new ArrayList<>();
    SampleSpec fresh = SampleSpec.customFactory(() -> {
      made.add(1L);
      return new EveryNSteps(2);
    });
    RecordSampler.of(fresh);
    RecordSampler.of(fresh);
    assertThat(made).hasSize(2);
  }
}
