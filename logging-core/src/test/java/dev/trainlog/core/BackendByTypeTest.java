package dev.trainlog.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trainlog.api.RunInfo;
import dev.trainlog.core.spec.ChannelSettings;
import dev.trainlog.core.spec.SampleSpec;
import dev.trainlog.spi.ConfigException;
import dev.trainlog.testkit.TestRecords;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The builder makes an installed backend by type from a map of settings, as YAML's backends section does. */
class BackendByTypeTest {

  @TempDir Path dir;

  private final RunInfo run = TestRecords.run("exp", "by-type");

  private DispatcherBuilder builder() {
    return LogDispatcher.builder(run).journalDir(dir.resolve("journal")).deadLetterDir(dir.resolve("dead"))
        .shutdownHook(false);
  }

  @Test
  void aJsonlBackendMadeByTypeWritesTheStepsItsSamplerKeeps() throws Exception {
    Path file = dir.resolve("out.jsonl");
    try (LogDispatcher log = builder()
        .backend("out", "jsonl", Map.of("path", file.toString()), SampleSpec.every(2), ChannelSettings.defaults())
        .build()) {
      for (long step = 1; step <= 6; step++) {
        log.log(step, Map.of("loss", step / 10.0));
      }
      assertThat(log.flush(Duration.ofSeconds(10))).isTrue();
    }
    assertThat(Files.readAllLines(file)).hasSize(3).allSatisfy(line -> assertThat(line).contains("\"loss\""))
        .extracting(line -> line.replaceAll(".*\"step\":(\\d+).*", "$1")).containsExactly("2", "4", "6");
  }

  @Test
  void anUnknownTypeIsRefusedNamingTheInstalledOnes() {
    assertThatThrownBy(() -> builder().backend("out", "jsnol", Map.of(), SampleSpec.always(), ChannelSettings.defaults()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("`backends.out.type` was 'jsnol' but it must be one of the installed backend types: ")
        .hasMessageContaining("jsonl");
  }

  @Test
  void everyProblemOfTheSettingsIsThrownAtOnceWithItsDottedKey() {
    assertThatThrownBy(() -> builder()
        .backend("out", "jsonl", Map.of("pth", "x.jsonl", "path", List.of("a")), SampleSpec.always(),
            ChannelSettings.defaults()))
        .isInstanceOf(ConfigException.class)
        .satisfies(e -> assertThat(((ConfigException) e).problems()).extracting(p -> p.key())
            .containsExactly("backends.out.path", "backends.out.pth"));
  }

  @Test
  void aNameMadeByTypeCannotBeAddedTwice() {
    DispatcherBuilder b = builder()
        .backend("out", "jsonl", Map.of("path", dir.resolve("a.jsonl").toString()), SampleSpec.always(),
            ChannelSettings.defaults());

    assertThatThrownBy(() -> b.backend("out", "console", Map.of(), SampleSpec.always(), ChannelSettings.defaults()))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("a backend named 'out' was added already");
  }
}
