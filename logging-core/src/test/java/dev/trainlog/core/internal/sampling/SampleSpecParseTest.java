package dev.trainlog.core.internal.sampling;

import static dev.trainlog.core.internal.sampling.Fixtures.lossSteps;
import static dev.trainlog.core.internal.sampling.Fixtures.offerAll;
import static dev.trainlog.core.internal.sampling.Fixtures.rec;
import static dev.trainlog.core.internal.sampling.Fixtures.steps;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trainlog.api.LogRecord;
import dev.trainlog.core.internal.config.ConfigLoader;
import dev.trainlog.core.internal.config.SampleSpecParser;
import dev.trainlog.core.spec.NonFinite;
import dev.trainlog.core.spec.Reduce;
import dev.trainlog.core.spec.SampleSpec;
import dev.trainlog.spi.ConfigException;
import dev.trainlog.spi.ConfigProblem;
import dev.trainlog.spi.SamplerContext;
import dev.trainlog.spi.SamplerProvider;
import dev.trainlog.spi.Spi;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SampleSpecParseTest {

  private static final String KEY = "backends.mongo.sample";

  private static SampleSpec parse(Object node) {
    return SampleSpecParser.parse(KEY, node, Map.of(), type -> null);
  }

  /** An insertion-ordered map, as the YAML reader produces. */
  private static Map<String, Object> node(Object... keysAndValues) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      m.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return m;
  }

  private static List<Long> keptOver(SampleSpec spec, long from, long to) {
    return steps(offerAll(RecordSampler.of(spec), lossSteps(from, to)));
  }

  private static List<String> problems(Object node, Map<String, SamplerProvider> providers) {
    try {
      SampleSpecParser.parse(KEY, node, providers, type -> null);
    } catch (ConfigException e) {
      return e.problems().stream().map(ConfigProblem::message).collect(java.util.stream.Collectors.toList());
    }
    throw new AssertionError("no ConfigException for " + node);
  }

  private static List<String> problems(Object node) {
    return problems(node, Map.of());
  }

  private static SamplerProvider provider(String type) {
    return new SamplerProvider() {
      @Override
      public String type() {
        return type;
      }

      @Override
      public int spiVersion() {
        return Spi.VERSION;
      }

      @Override
      public dev.trainlog.spi.Sampler create(SamplerContext context) {
        return new Always();
      }
    };
  }

  @Test
  void theDefaultsArePinned() {
    assertThat(SampleSpec.DEFAULT_REDUCE).isEqualTo(Reduce.NONE);
    assertThat(SampleSpec.DEFAULT_NON_FINITE).isEqualTo(NonFinite.ALWAYS);
    assertThat(parse(node("every", 10)).reduce()).isEqualTo(Reduce.NONE);
    assertThat(parse(node("every", 10)).nonFinite()).isEqualTo(NonFinite.ALWAYS);
  }

  @Test
  void alwaysCanBeWrittenFiveWays() {
    for (Object n : new Object[] {null, "always", true, node("always", true), node()}) {
      assertThat(keptOver(parse(n), 1, 5)).as(String.valueOf(n)).containsExactly(1L, 2L, 3L, 4L, 5L);
    }
  }

  @Test
  void everyKeepsMultiples() {
    assertThat(keptOver(parse(node("every", 10)), 0, 35)).containsExactly(0L, 10L, 20L, 30L);
  }

  @Test
  void aNumberGivenAsTextCounts() {
    assertThat(keptOver(parse(node("every", "10")), 0, 35)).containsExactly(0L, 10L, 20L, 30L);
  }

  @Test
  void logSpacedKeepsOneTwoFiveDecades() {
    assertThat(keptOver(parse(node("log-spaced", true)), 0, 1000))
        .containsExactly(0L, 1L, 2L, 5L, 10L, 20L, 50L, 100L, 200L, 500L, 1000L);
  }

  @Test
  void firstCombinesWithTheBaseRule() {
    assertThat(keptOver(parse(node("first", 5, "every", 10)), 0, 35))
        .containsExactly(0L, 1L, 2L, 3L, 4L, 10L, 20L, 30L);
    assertThat(keptOver(parse(node("first", 3, "log-spaced", true)), 0, 20))
        .containsExactly(0L, 1L, 2L, 5L, 10L, 20L);
  }

  @Test
  void everyTimeUsesTheRecordsWallTime() {
    // lossSteps are one second apart.
    assertThat(keptOver(parse(node("every-time", "30s")), 0, 100)).containsExactly(0L, 30L, 60L, 90L);
  }

  @Test
  void reduceNonFiniteAndOverridesAreRead() {
    SampleSpec spec = parse(node("every", 100, "reduce", "mean", "non-finite", "sample",
        "overrides", node("eval/*", "always", "grad/*", node("every", 1000, "reduce", "none"))));
    assertThat(spec.reduce()).isEqualTo(Reduce.MEAN);
    assertThat(spec.nonFinite()).isEqualTo(NonFinite.SAMPLE);
    assertThat(spec.overrides().keySet()).containsExactly("eval/*", "grad/*");
    assertThat(spec.overrides().get("grad/*").reduce()).isEqualTo(Reduce.NONE);
    assertThat(spec).hasToString(
        "every 100 steps, reduce mean, non-finite sample, overrides {eval/*=always, grad/*=every 1000 steps, reduce none}");
    LogRecord out = RecordSampler.of(spec).offer(rec(1, "loss", 1.0, "eval/acc", 0.5, "grad/x", 2.0));
    assertThat(out.metrics()).containsOnlyKeys("eval/acc");
  }

  @Test
  void aNegativeEveryIsReportedInTheAgreedShape() {
    assertThatThrownBy(() -> parse(node("every", -3)))
        .isInstanceOf(ConfigException.class)
        .hasMessage("`backends.mongo.sample.every` was '-3' but it must be a positive integer");
  }

  @Test
  void everyMustBeAPositiveInteger() {
    assertThat(problems(node("every", 0))).containsExactly(
        "`backends.mongo.sample.every` was '0' but it must be a positive integer");
    assertThat(problems(node("every", 2.5))).containsExactly(
        "`backends.mongo.sample.every` was '2.5' but it must be a positive integer");
    assertThat(problems(node("every", "ten"))).containsExactly(
        "`backends.mongo.sample.every` was 'ten' but it must be a positive integer");
    assertThat(problems(node("first", -1, "every", 2))).containsExactly(
        "`backends.mongo.sample.first` was '-1' but it must be a positive integer");
  }

  @Test
  void everyTimeTakesANumberOfMillisecondsWrittenOrFromAVariable() {
    // lossSteps are one second apart; a variable arrives as text.
    assertThat(keptOver(parse(node("every-time", 30000)), 0, 100)).containsExactly(0L, 30L, 60L, 90L);
    assertThat(keptOver(parse(node("every-time", "30000")), 0, 100)).containsExactly(0L, 30L, 60L, 90L);
    assertThat(parse(node("every-time", 500))).hasToString("every 500ms");
  }

  @Test
  void everyTimeTakesANumberOfMillisecondsFromAVariableThroughTheConfigLoader() {
    String yaml = "run: {experiment: e}\nbackends:\n  a: {type: x, sample: {every-time: \"${T}\"}}\n";
    var section = ConfigLoader.builder().env(Map.of("T", "500")).hostName("h").build().load(yaml, "t.yaml")
        .backends().get(0);
    assertThat(SampleSpecParser.parse(section.key() + ".sample", section.sample(), Map.of(),
        type -> null)).hasToString("every 500ms");
  }

  @Test
  void everyTimeMustBeAPositiveDuration() {
    assertThat(problems(node("every-time", 0))).containsExactly(
        "`backends.mongo.sample.every-time` was '0' but it must be a positive duration such as 500ms, 2s or 5m");
    assertThat(problems(node("every-time", "-30"))).containsExactly(
        "`backends.mongo.sample.every-time` was '-30' but it must be a positive duration such as 500ms, 2s or 5m");
    assertThat(problems(node("every-time", 2.5))).containsExactly(
        "`backends.mongo.sample.every-time` was '2.5' but it must be a positive duration such as 500ms, 2s or 5m");
    assertThat(problems(node("every-time", "0s"))).containsExactly(
        "`backends.mongo.sample.every-time` was '0s' but it must be a positive duration such as 500ms, 2s or 5m");
  }

  @Test
  void flagRulesMustBeTrue() {
    assertThat(problems(node("log-spaced", false))).containsExactly(
        "`backends.mongo.sample.log-spaced` was 'false' but it must be true");
    assertThat(problems(node("always", "yes"))).containsExactly(
        "`backends.mongo.sample.always` was 'yes' but it must be true");
  }

  @Test
  void aSampleNodeMustBeAlwaysOrAMap() {
    assertThat(problems(10)).containsExactly(
        "`backends.mongo.sample` was '10' but it must be 'always' or a map such as {every: 10}");
    assertThat(problems("never")).containsExactly(
        "`backends.mongo.sample` was 'never' but it must be 'always' or a map such as {every: 10}");
    assertThat(problems(false)).containsExactly(
        "`backends.mongo.sample` was 'false' but it must be 'always' or a map such as {every: 10}");
  }

  @Test
  void twoBaseRulesAreAConflict() {
    assertThat(problems(node("every", 10, "log-spaced", true))).containsExactly(
        "`backends.mongo.sample` sets both `every` and `log-spaced`; choose one");
    assertThat(problems(node("always", true, "every", 10, "every-time", "5s"))).containsExactly(
        "`backends.mongo.sample` sets `always`, `every` and `every-time`; choose one");
  }

  @Test
  void firstWithoutABaseRuleIsAProblem() {
    assertThat(problems(node("first", 100))).containsExactly(
        "`backends.mongo.sample.first` needs a rule for the steps after it: add one of `every`, `every-time`, "
            + "`log-spaced`, `always` or `type`");
  }

  @Test
  void unknownKeysSuggestTheClosestOrListTheKnownOnes() {
    assertThat(problems(node("evry", 10))).containsExactly(
        "`backends.mongo.sample.evry` is not a known sample setting; did you mean `every`?");
    assertThat(problems(node("every", 10, "log_spaced", true))).containsExactly(
        "`backends.mongo.sample.log_spaced` is not a known sample setting; did you mean `log-spaced`?");
    assertThat(problems(node("colour", "red"))).containsExactly(
        "`backends.mongo.sample.colour` is not a known sample setting; known settings: always, artifacts, every, "
            + "every-time, first, images, log-spaced, non-finite, overrides, reduce, type");
  }

  @Test
  void reduceAndNonFiniteMustBeKnownNames() {
    assertThat(problems(node("every", 10, "reduce", "avg"))).containsExactly(
        "`backends.mongo.sample.reduce` was 'avg' but it must be one of none, last, mean, min, max");
    assertThat(problems(node("every", 10, "non-finite", "drop"))).containsExactly(
        "`backends.mongo.sample.non-finite` was 'drop' but it must be one of always, sample");
  }

  @Test
  void overridesMustBeAMapOfSampleRulesWithoutTopLevelSettings() {
    assertThat(problems(node("every", 10, "overrides", List.of("eval/*")))).containsExactly(
        "`backends.mongo.sample.overrides` was '[eval/*]' but it must be a map from key globs to sample rules "
            + "such as {\"eval/*\": always}");
    assertThat(problems(node("every", 10, "overrides", node("eval/*", node("every", 5, "non-finite", "sample",
        "overrides", node()))))).containsExactly(
        "`backends.mongo.sample.overrides.eval/*.non-finite` can only be set on `backends.mongo.sample`, not in an override",
        "`backends.mongo.sample.overrides.eval/*.overrides` can only be set on `backends.mongo.sample`, not in an override");
    assertThat(problems(node("every", 10, "overrides", node("grad/*", node("evry", 5))))).containsExactly(
        "`backends.mongo.sample.overrides.grad/*.evry` is not a known sample setting; did you mean `every`?");
  }

  @Test
  void anUnknownTypeListsTheInstalledOnes() {
    Map<String, SamplerProvider> installed = Map.of("b", provider("b"), "a", provider("a"));
    assertThat(problems(node("type", "foo"), installed)).containsExactly(
        "`backends.mongo.sample.type` was 'foo' but it must be one of the installed sampler types: a, b");
    assertThat(problems(node("type", "foo"))).containsExactly(
        "`backends.mongo.sample.type` was 'foo' but it must be one of the installed sampler types: (none)");
    assertThat(problems(node("type", "plateu"), Map.of("plateau", provider("plateau")))).containsExactly(
        "`backends.mongo.sample.type` was 'plateu' but it must be one of the installed sampler types: plateau; "
            + "did you mean 'plateau'?");
    assertThat(problems(node("type", "every"), installed)).containsExactly(
        "`backends.mongo.sample.type` was 'every' but it must be one of the installed sampler types: a, b; "
            + "`every` is a built-in rule, written as `sample: {every: ...}`");
  }

  @Test
  void everyProblemIsReportedAtOnce() {
    ConfigException e = (ConfigException) org.assertj.core.api.Assertions.catchThrowable(() -> parse(
        node("every", -3, "log-spaced", true, "reduce", "avg", "overrides", node("eval/*", node("every", 0)))));
    assertThat(e.problems()).extracting(ConfigProblem::message).containsExactly(
        "`backends.mongo.sample.every` was '-3' but it must be a positive integer",
        "`backends.mongo.sample.reduce` was 'avg' but it must be one of none, last, mean, min, max",
        "`backends.mongo.sample.overrides.eval/*.every` was '0' but it must be a positive integer",
        "`backends.mongo.sample` sets both `every` and `log-spaced`; choose one");
    assertThat(e).hasMessageStartingWith("4 problems in the TrainLog configuration:\n  - `backends.mongo.sample.every`");
    assertThat(e.problems()).allSatisfy(p -> assertThat(p.location()).isNull());
  }

  @Test
  void theProgrammaticBuilderMatchesTheYaml() {
    SampleSpec built = SampleSpec.every(10).first(5).reduce(Reduce.MEAN).override("eval/*", SampleSpec.always());
    SampleSpec read = parse(node("first", 5, "every", 10, "reduce", "mean", "overrides", node("eval/*", "always")));
    assertThat(built).hasToString(read.toString());
    assertThat(built).hasToString("steps below 5, then every 10 steps, reduce mean, overrides {eval/*=always}");
  }

  @Test
  void theProgrammaticBuilderRefusesBadValuesWithTheSameMessages() {
    assertThatThrownBy(() -> SampleSpec.every(0)).isInstanceOf(ConfigException.class)
        .hasMessage("`sample.every` was '0' but it must be a positive integer");
    assertThatThrownBy(() -> SampleSpec.always().first(-2))
        .hasMessage("`sample.first` was '-2' but it must be a positive integer");
    assertThatThrownBy(() -> SampleSpec.everyTime(java.time.Duration.ZERO))
        .hasMessage("`sample.every-time` was 'PT0S' but it must be a positive duration such as 500ms, 2s or 5m");
    assertThatThrownBy(() -> SampleSpec.always().override("x", SampleSpec.always().nonFinite(NonFinite.SAMPLE)))
        .hasMessage("`sample.overrides.x.non-finite` can only be set on `sample`, not in an override");
  }

  @Test
  void imagesAndArtifactsHaveRulesOfTheirOwnUnderSample() {
    SampleSpec spec = parse(node("every", 10, "reduce", "mean", "images", node("every", 500), "artifacts", "always",
        "overrides", node("samples/hero", node("every", 100))));
    assertThat(spec.describe()).isEqualTo("every 10 steps, mean of the steps in between; keys samples/hero: every 100"
        + " steps, mean of the steps in between; images: every 500 steps; artifacts: every step");
    assertThat(problems(node("every", 10, "images", node("evry", 5)))).containsExactly(
        "`backends.mongo.sample.images.evry` is not a known sample setting; did you mean `every`?");
    assertThat(problems(node("overrides", node("x/*", node("every", 5, "images", node("every", 5))))))
        .containsExactly("`backends.mongo.sample.overrides.x/*.images` can only be set on `backends.mongo.sample`,"
            + " not in an override");
  }
}
