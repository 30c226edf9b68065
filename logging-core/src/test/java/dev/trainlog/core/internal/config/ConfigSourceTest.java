package dev.trainlog.core.internal.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainlog.spi.ConfigProblem;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigSourceTest {

  private final ConfigSource source = new ConfigSource("trainlog.yaml",
      Map.of("", 1, "backends", 5, "backends.mongo", 9, "backends.mongo.include", 12, "backends.mongo.include[1]", 13));

  @Test
  void locatePicksTheLineOfTheLongestKnownPrefix() {
    assertThat(source.locate(new ConfigProblem("backends.mongo.colection", "is odd")).message())
        .isEqualTo("`backends.mongo.colection` is odd (trainlog.yaml:9)");
    assertThat(source.locate(new ConfigProblem("backends.mongo.include[1]", "x")).location())
        .isEqualTo("trainlog.yaml:13");
    assertThat(source.locate(new ConfigProblem("backends.mongo.include[0]", "x")).location())
        .isEqualTo("trainlog.yaml:12");
    assertThat(source.locate(new ConfigProblem("backends.mongodb.type", "x")).location()).isEqualTo("trainlog.yaml:5");
    assertThat(source.locate(new ConfigProblem("run.experiment", "is required")).location()).isEqualTo("trainlog.yaml:1");
  }

  @Test
  void aLocatedProblemKeepsItsLocationAndAProgrammaticSourceAddsNone() {
    ConfigProblem located = new ConfigProblem("backends.mongo", "x", "other.yaml:3");
    assertThat(source.locate(located)).isSameAs(located);
    assertThat(ConfigSource.programmatic("code").locate(new ConfigProblem("a.b", "x")).location()).isNull();
  }

  @Test
  void suggestionsOnlyComeWhenClose() {
    assertThat(Suggestions.closest("batch-sise", java.util.List.of("batch-size", "queue-capacity"))).hasValue("batch-size");
    assertThat(Suggestions.closest("bakcends", java.util.List.of("backends", "run"))).hasValue("backends");
    assertThat(Suggestions.closest("frobnicate", java.util.List.of("backends", "run"))).isEmpty();
    assertThat(Suggestions.closest("rn", java.util.List.of("run"))).hasValue("run");
    assertThat(Suggestions.closest("xy", java.util.List.of("run"))).isEmpty();
  }
}
