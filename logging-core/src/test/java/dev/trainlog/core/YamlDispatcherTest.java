package dev.trainlog.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trainlog.spi.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole path from YAML to files, with the built-in jsonl backend as the store. */
class YamlDispatcherTest {

  @TempDir Path dir;
  private final ObjectMapper json = new ObjectMapper();

  private String yaml() {
    return String.join("\n",
        "run:",
        "  experiment: three-rates",
        "  name: r1",
        "  id: fixed-run-id",
        "  tags: {team: vision, api_token: tag-secret-9}",
        "  config: {model: SDXL, lora_rank: 64, api_token: abc123}",
        "dispatcher:",
        "  spool-dir: " + dir.resolve("spool"),
        "  dead-letter-dir: " + dir.resolve("dead"),
        "  shutdown-hook: false",
        "defaults:",
        "  flush-interval: 50ms",
        "backends:",
        "  every1:   {type: jsonl, sample: {every: 1}, path: " + dir.resolve("every1.jsonl") + "}",
        "  every10:  {type: jsonl, sample: {every: 10, reduce: mean}, path: " + dir.resolve("every10.jsonl") + "}",
        "  every100: {type: jsonl, sample: {every: 100}, path: " + dir.resolve("every100.jsonl") + "}",
        "");
  }

  private List<JsonNode> read(String name) throws Exception {
    List<JsonNode> docs = new ArrayList<>();
    for (String line : Files.readAllLines(dir.resolve(name))) {
      docs.add(json.readTree(line));
    }
    return docs;
  }

  @Test
  void threeBackendsAtEvery1And10And100YieldExactlyTheExpectedRecords() throws Exception {
    try (LogDispatcher d = LogDispatcher.fromYaml(yaml(), "three.yaml")) {
      for (long step = 1; step <= 1000; step++) {
        d.step(step).scalar("loss", step).scalar("lr", 2.0 * step).log();
      }
      assertThat(d.flush(Duration.ofSeconds(30))).isTrue();
      assertThat(d.run().config()).containsEntry("api_token", "****");
      assertThat(d.run().tags()).containsEntry("team", "vision").containsEntry("api_token", "****");
      assertThat(d.run().toString()).doesNotContain("abc123", "tag-secret-9");
    }
    List<JsonNode> every1 = read("every1.jsonl");
    List<JsonNode> every10 = read("every10.jsonl");
    List<JsonNode> every100 = read("every100.jsonl");

    assertThat(every1).hasSize(1000);
    assertThat(every1.get(0).get("step").asLong()).isEqualTo(1);
    assertThat(every1.get(999).get("metrics").get("loss").asDouble()).isEqualTo(1000.0);

    assertThat(every10).hasSize(100);
    for (int i = 0; i < 100; i++) {
      long step = 10L * (i + 1);
      JsonNode m = every10.get(i).get("metrics");
      assertThat(every10.get(i).get("step").asLong()).isEqualTo(step);
      // the mean of steps step-9 .. step
      assertThat(m.get("loss").asDouble()).isEqualTo(step - 4.5);
      assertThat(m.get("lr").asDouble()).isEqualTo(2 * (step - 4.5));
    }

    assertThat(every100).extracting(n -> n.get("step").asLong())
        .containsExactly(100L, 200L, 300L, 400L, 500L, 600L, 700L, 800L, 900L, 1000L);
    assertThat(every100.get(0).get("metrics").get("loss").asDouble()).as("no reduce: the kept step's own value")
        .isEqualTo(100.0);
  }

  @Test
  void theFoldedTailAtCloseHasAnIdOfItsOwnBesideAPartialRecordOfItsStep() throws Exception {
    String yaml = String.join("\n",
        "run: {experiment: tail, id: tail-run}",
        "dispatcher: {spool-dir: " + dir.resolve("spool") + ", shutdown-hook: false}",
        "backends:",
        "  store:",
        "    type: jsonl",
        "    path: " + dir.resolve("store.jsonl"),
        "    sample: {every: 10, reduce: mean, overrides: {\"eval/*\": {every: 5}}}",
        "");
    try (LogDispatcher d = LogDispatcher.fromYaml(yaml, "tail.yaml")) {
      for (long step = 1; step <= 15; step++) {
        d.step(step).scalar("loss", step).log();
        if (step % 5 == 0) {
          d.step(step).scalar("eval/acc", step / 100.0).log();
        }
      }
    }
    // 18 log() calls have sequences 0..17; at step 15 the override emitted eval/acc (and folded it, as
    // the override inherits reduce), the base rule folded loss 11..15, which the close emits as seq 18
    List<JsonNode> stored = read("store.jsonl");
    assertThat(stored).extracting(n -> n.get("_id").asText()).doesNotHaveDuplicates();
    JsonNode tail = stored.get(stored.size() - 1);
    assertThat(tail.get("step").asLong()).isEqualTo(15);
    assertThat(tail.get("seq").asLong()).isEqualTo(18);
    assertThat(tail.get("metrics").get("loss").asDouble()).isEqualTo(13.0);
    assertThat(stored).filteredOn(n -> n.get("step").asLong() == 15).hasSize(2);
  }

  @Test
  void nanAndForcedRecordsReachEveryBackend() throws Exception {
    try (LogDispatcher d = LogDispatcher.fromYaml(yaml(), "three.yaml")) {
      d.log(1, Map.of("loss", 1.0));
      d.log(2, Map.of("loss", Double.NaN));
      d.logForced(3, Map.of("eval/clip", 0.3));
      d.log(4, Map.of("loss", 1.0));
      assertThat(d.flush(Duration.ofSeconds(30))).isTrue();
    }
    assertThat(read("every100.jsonl")).extracting(n -> n.get("step").asLong()).containsExactly(2L, 3L);
    assertThat(read("every100.jsonl").get(0).get("metrics").get("loss").asText()).isEqualTo("NaN");
  }

  @Test
  void anUnknownTypeListsTheInstalledTypesWithFileAndLine() {
    String bad = "run: {experiment: x}\nbackends:\n  store:\n    type: mongo\n";
    assertThatThrownBy(() -> LogDispatcher.fromYaml(bad, "trainlog.yaml"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("`backends.store.type` was 'mongo' but it must be one of the installed backend types: console,"
            + " jsonl (trainlog.yaml:4)");
  }

  @Test
  void problemsOfEveryStageAreReportedTogether() {
    String bad = String.join("\n",
        "run: {experiment: x}",
        "backends:",
        "  a:",
        "    type: jsonl",
        "    sample: {every: -3}",
        "    batch-size: 0",
        "  b:",
        "    type: console",
        "    target: printer",
        "  c:",
        "    type: mongodb",
        "");
    assertThatThrownBy(() -> LogDispatcher.fromYaml(bad, "trainlog.yaml"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("4 problems in the TrainLog configuration:\n"
            + "  - `backends.a.sample.every` was '-3' but it must be a positive integer (trainlog.yaml:5)\n"
            + "  - `backends.a.batch-size` was '0' but it must be a positive integer (trainlog.yaml:6)\n"
            + "  - `backends.b.target` was 'printer' but it must be one of stdout, stderr (trainlog.yaml:9)\n"
            + "  - `backends.c.type` is 'mongodb' but no provider for it is installed: add the dependency"
            + " dev.trainlog:trainlog-mongodb (trainlog.yaml:11)");
  }
}
