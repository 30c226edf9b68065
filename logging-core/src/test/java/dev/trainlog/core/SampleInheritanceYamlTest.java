package dev.trainlog.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The two configurations of issue 19: a backend's own rule replaces the default's, its modifiers are inherited. */
class SampleInheritanceYamlTest {

  @TempDir Path dir;
  private final ObjectMapper json = new ObjectMapper();

  private String yaml(String defaults, String... backends) {
    StringBuilder yaml = new StringBuilder(YamlHeader.of("inheritance", dir))
        .append("defaults: ").append(defaults).append("\nbackends:\n");
    for (String b : backends) {
      yaml.append("  ").append(b).append('\n');
    }
    return yaml.toString();
  }

  private void logLossEqualToStep(String yaml, long lastStep) {
    try (LogDispatcher d = LogDispatcher.fromYaml(yaml, "d1.yaml")) {
      for (long step = 0; step <= lastStep; step++) {
        d.log(step, java.util.Map.of("loss", (double) step));
      }
      assertThat(d.flush(Duration.ofSeconds(30))).isTrue();
    }
  }

  private List<JsonNode> read(String name) throws Exception {
    List<JsonNode> docs = new ArrayList<>();
    for (String line : Files.readAllLines(dir.resolve(name))) {
      docs.add(json.readTree(line));
    }
    return docs;
  }

  private static List<Long> steps(List<JsonNode> docs) {
    List<Long> steps = new ArrayList<>();
    docs.forEach(d -> steps.add(d.get("step").asLong()));
    return steps;
  }

  @Test
  void aBackendThatPicksAnotherRuleThanTheDefaultBuildsAndLogsByItsOwnRule() throws Exception {
    logLossEqualToStep(yaml("{sample: {every: 1}}",
        "a: {type: jsonl, path: " + dir.resolve("a.jsonl") + ", sample: {log-spaced: true}}",
        "b: {type: jsonl, path: " + dir.resolve("b.jsonl") + ", sample: {every-time: 1h}}"), 120);

    assertThat(steps(read("a.jsonl"))).containsExactly(0L, 1L, 2L, 5L, 10L, 20L, 50L, 100L);
    assertThat(steps(read("b.jsonl"))).as("one hour never passes between these records").containsExactly(0L);
  }

  @Test
  void anInheritedReduceAppliesToTheBackendsOwnRuleUntilItSaysReduceNone() throws Exception {
    logLossEqualToStep(yaml("{sample: {every: 10, reduce: mean}}",
        "inherits: {type: jsonl, path: " + dir.resolve("inherits.jsonl") + ", sample: {every: 100}}",
        "turnsOff: {type: jsonl, path: " + dir.resolve("off.jsonl") + ", sample: {every: 100, reduce: none}}"), 100);

    List<JsonNode> inherits = read("inherits.jsonl");
    List<JsonNode> off = read("off.jsonl");
    assertThat(steps(inherits)).containsExactly(0L, 100L);
    assertThat(inherits.get(1).get("metrics").get("loss").asDouble()).as("the mean of steps 1..100").isEqualTo(50.5);
    assertThat(steps(off)).containsExactly(0L, 100L);
    assertThat(off.get(1).get("metrics").get("loss").asDouble()).isEqualTo(100.0);
  }
}
