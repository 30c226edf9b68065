package dev.trainlog.cli.importing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trainlog.api.RunStatus;
import dev.trainlog.core.LogDispatcher;
import dev.trainlog.core.spec.ChannelSettings;
import dev.trainlog.core.spec.SampleSpec;
import dev.trainlog.testkit.TestRecords;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A journal an earlier follower or importer left with records its backend had not taken, and a command started
 * again with nothing new to read: it delivers them first. (Runs were opened only for new events, so those records
 * waited for a run that never came: a follower killed after the trainer had finished lost them.)
 */
class LeftoversFirstTest {

  @TempDir Path dir;

  @Test
  void anImportWithNothingNewToReadDeliversWhatAnEarlierProcessLeftInTheJournal() throws Exception {
    Path yaml = Fixtures.yaml(dir, "  lines: {type: jsonl, path: " + dir.resolve("out.jsonl") + "}\n");
    Path logs = dir.resolve("tb");
    new TbEventWriter(logs.resolve("a/events.out.tfevents.1764950000.gpu-1.1.0")).scalars(0, 1_764_950_401.0,
        Map.of("loss", 0.5));
    assertThat(Fixtures.run("import", "tensorboard", logs.toString(), "--config", yaml.toString()).code()).isZero();
    var run = TestRecords.run("exp", "left");
    LogDispatcher earlier = LogDispatcher.builder(run)
        .backend("lines", batch -> {
          throw new java.io.IOException("the disk of out.jsonl is not mounted yet");
        }, SampleSpec.always(), ChannelSettings.defaults().withRetryBackoff(Duration.ofMillis(5), Duration.ofMillis(20)))
        .journalDir(dir.resolve("journal")).deadLetterDir(dir.resolve("dead")).shutdownHook(false).build();
    for (long s = 0; s < 10; s++) {
      earlier.log(s, Map.of("loss", 1.0 / (s + 1)));
    }
    assertThat(earlier.close(RunStatus.KILLED, Duration.ofMillis(100))).as("left in the journal").isFalse();

    Fixtures.Result r = Fixtures.run("import", "tensorboard", logs.toString(), "--config", yaml.toString());

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("delivering first what earlier processes left in " + dir.resolve("journal"));
    List<JsonNode> lines = Fixtures.jsonLines(dir.resolve("out.jsonl"));
    assertThat(lines.stream().filter(l -> l.get("run").asText().equals(run.runId())))
        .as("the imported step, then the ten left").hasSize(10);
    assertThat(lines).hasSize(11);
    try (Stream<Path> left = Files.list(dir.resolve("journal"))) {
      assertThat(left.filter(p -> p.getFileName().toString().endsWith("-rank0"))).as("delivered and deleted").isEmpty();
    }
  }
}
