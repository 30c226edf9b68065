package dev.trainlog.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trainlog.api.LogRecord;
import dev.trainlog.core.spec.ChannelSettings;
import dev.trainlog.core.spec.Reduce;
import dev.trainlog.core.spec.SampleSpec;
import dev.trainlog.spi.ConfigException;
import dev.trainlog.spi.LogBackend;
import dev.trainlog.testkit.TestRecords;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link SampleSpec#keys}: the builder's form of a backend's {@code include:} and {@code exclude:}. */
class SampleSpecKeysTest {

  @TempDir Path dir;

  @Test
  void aBackendBuiltWithKeysReceivesOnlyTheIncludedKeysThatAreNotExcluded() {
    List<LogRecord> stored = Collections.synchronizedList(new ArrayList<>());
    LogBackend backend = batch -> stored.addAll(batch);
    SampleSpec spec = SampleSpec.always().keys(List.of("loss", "eval/*"), List.of("eval/debug*"));
    try (LogDispatcher d = LogDispatcher.builder(TestRecords.run("exp", "keys"))
        .backend("mem", backend, spec, ChannelSettings.defaults())
        .journalDir(dir.resolve("journal")).deadLetterDir(dir.resolve("dead")).shutdownHook(false)
        .build()) {
      d.log(1, Map.of("loss", 1.0, "lr", 0.1, "eval/acc", 0.5, "eval/debug/x", 2.0));
      assertThat(d.flush(Duration.ofSeconds(10))).isTrue();
    }
    assertThat(stored).hasSize(1);
    assertThat(stored.get(0).metrics()).containsOnlyKeys("loss", "eval/acc");
  }

  @Test
  void theKeysAreKeptThroughTheOtherSettersAndShownInWords() {
    SampleSpec spec = SampleSpec.every(10).keys(List.of("loss"), List.of("loss/debug")).reduce(Reduce.MEAN).first(5);
    assertThat(spec.include()).containsExactly("loss");
    assertThat(spec.exclude()).containsExactly("loss/debug");
    assertThat(spec.describe()).isEqualTo("every step below 5, then every 10 steps, mean of the steps in between;"
        + " only keys loss; without keys loss/debug");
    assertThat(spec).hasToString("steps below 5, then every 10 steps, reduce mean, only keys loss;"
        + " without keys loss/debug");
  }

  @Test
  void anOverrideCannotFilterKeys() {
    SampleSpec filtered = SampleSpec.always().keys(List.of("eval/acc"), List.of());
    assertThatThrownBy(() -> SampleSpec.every(10).override("eval/*", filtered))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("`sample.overrides.eval/*` cannot filter keys: set `keys` on the spec it overrides");
  }

  @Test
  void anEmptyGlobIsRefusedWhenTheSpecIsMade() {
    assertThatThrownBy(() -> SampleSpec.always().keys(List.of(""), List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a glob must not be empty");
  }

  @Test
  void anOverrideWithoutItsOwnReductionUsesTheSpecsAtTheTimeTheChannelIsBuilt() {
    SampleSpec spec = SampleSpec.every(100).override("eval/*", SampleSpec.every(10))
        .override("grad/*", SampleSpec.every(1000).reduce(Reduce.NONE)).reduce(Reduce.MAX);
    assertThat(spec.reduceFor("eval/*")).isEqualTo(Reduce.MAX);
    assertThat(spec.reduceFor("grad/*")).isEqualTo(Reduce.NONE);
    assertThat(spec.reduceFor("other/*")).isNull();
  }
}
