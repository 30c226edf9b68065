package dev.trainlog.core.internal.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.trainlog.core.internal.backends.ConsoleBackendProvider;
import dev.trainlog.core.internal.discovery.ProviderRegistry;
import dev.trainlog.spi.BackendSettings;
import dev.trainlog.spi.ConfigException;
import dev.trainlog.spi.ConfigProblem;
import dev.trainlog.spi.Sampler;
import dev.trainlog.spi.SamplerContext;
import dev.trainlog.spi.SamplerProvider;
import dev.trainlog.spi.Spi;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A sampler provider reads its settings through the same view as backends: every problem at once, located. */
class SamplerSettingsViewTest {

  /** Keeps steps with {@code step % divisor == offset}, read through the settings view. */
  static final class ModuloProvider implements SamplerProvider {
    @Override
    public String type() {
      return "modulo";
    }

    @Override
    public int spiVersion() {
      return Spi.VERSION;
    }

    @Override
    public Sampler create(SamplerContext context) {
      BackendSettings s = context.settingsView();
      int divisor = s.positiveInt("divisor", 1);
      int offset = s.nonNegativeInt("offset", 0);
      return (step, t) -> step % divisor == offset;
    }
  }

  private static final ProviderRegistry REGISTRY =
      new ProviderRegistry(List.of(new ConsoleBackendProvider()), List.of(new ModuloProvider()));

  private static TrainLogConfig config(String yaml) {
    return ConfigLoader.builder().env(Map.of()).hostName("h").build().load(yaml, "trainlog.yaml");
  }

  @Test
  void everyProblemOfAProvidersSettingsIsReportedAtOnceWithFileAndLine() {
    TrainLogConfig config = config("run: {experiment: e}\n"
        + "backends:\n"
        + "  console:\n"
        + "    type: console\n"
        + "    sample:\n"
        + "      type: modulo\n"
        + "      divisor: 0\n"
        + "      ofset: 1\n");

    ConfigException e = catchThrowableOfType(ConfigException.class,
        () -> DispatcherPlanner.create(config, REGISTRY, Clock.systemUTC()));

    assertThat(e.problems()).extracting(ConfigProblem::message).containsExactly(
        "`backends.console.sample.divisor` was '0' but it must be a positive integer (trainlog.yaml:7)",
        "`backends.console.sample.ofset` is not a setting of sampler type 'modulo'; did you mean `offset`?"
            + " (trainlog.yaml:8)");
  }

  @Test
  void aProviderReadingTheViewGetsItsSettingsAndTheCoreKeepsItsOwn() {
    TrainLogConfig config = config("run: {experiment: e}\n"
        + "backends:\n"
        + "  console: {type: console, sample: {type: modulo, divisor: 3, offset: 1, first: 2, reduce: last}}\n");

    DispatcherPlan plan = DispatcherPlanner.create(config, REGISTRY, Clock.systemUTC());

    assertThat(plan.backends()).singleElement().extracting(DispatcherPlan.Backend::sampling).isEqualTo(
        "every step below 2, then sampler type 'modulo' {divisor=3, offset=1}, last value of the steps in between");
  }
}
