package dev.trainlog.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trainlog.api.RunInfo;
import dev.trainlog.core.spec.Durability;
import dev.trainlog.core.spec.OnFull;
import dev.trainlog.spi.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The public config check: what fromYaml would build, read without opening a journal or a backend. */
class ConfigCheckTest {

  @TempDir Path dir;

  private Path yaml(String run) throws Exception {
    return Files.writeString(dir.resolve("t.yaml"), String.join("\n",
        run,
        "dispatcher:",
        "  journal-dir: " + dir.resolve("journal"),
        "  dead-letter-dir: " + dir.resolve("dead"),
        "  durability: fsync",
        "backends:",
        "  lines: {type: jsonl, sample: {every: 10}, batch-size: 64, path: '" + dir.resolve("${OUT}.jsonl") + "'}",
        "  screen: {type: console, keys: [loss, 'mongodb://me:hunter2@db']}",
        ""));
  }

  @Test
  void aValidYamlIsReadAsTheDispatcherWouldBuildItWithSecretsRedactedAndNothingOpened() throws Exception {
    ConfigCheck check = ConfigCheck.of(yaml("run: {experiment: e1, name: r1}"), Map.of("OUT", "metrics"));

    assertThat(check.run().experiment()).isEqualTo("e1");
    assertThat(check.run().runName()).isEqualTo("r1");
    assertThat(check.journal()).isEqualTo(new ConfigCheck.Journal(dir.resolve("journal"), Durability.FSYNC,
        check.journal().maxSize(), OnFull.DROP_OLDEST, dir.resolve("dead")));
    assertThat(check.backends()).extracting(ConfigCheck.Backend::name).containsExactly("lines", "screen");
    ConfigCheck.Backend lines = check.backends().get(0);
    assertThat(lines.type()).isEqualTo("jsonl");
    assertThat(lines.sampling()).isEqualTo("every 10 steps");
    assertThat(lines.channel().batchSize()).isEqualTo(64);
    assertThat(lines.settings()).containsEntry("path", dir.resolve("metrics.jsonl").toString());
    assertThat(check.backends().get(1).settings().get("keys").toString()).contains("loss").doesNotContain("hunter2");
    assertThat(dir.resolve("journal")).doesNotExist();
  }

  @Test
  void aGivenRunNeedsNoRunSectionAndABadYamlNamesEveryProblemAtOnce() throws Exception {
    RunInfo given = RunInfo.builder().experiment("x").runName("y").runId("z").node("n").build();
    assertThat(ConfigCheck.ofGivenRun(yaml(""), Map.of("OUT", "o"), given).run()).isEqualTo(given);

    Path bad = Files.writeString(dir.resolve("bad.yaml"), String.join("\n",
        "run: {experiment: e1}",
        "backends:",
        "  a: {type: jsonl, sample: {every: -3}}",
        "  b: {type: jsonl, batch-size: zero}",
        ""));
    assertThatThrownBy(() -> ConfigCheck.of(bad, Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("backends.a.sample.every")
        .hasMessageContaining("backends.b.batch-size");
  }
}
