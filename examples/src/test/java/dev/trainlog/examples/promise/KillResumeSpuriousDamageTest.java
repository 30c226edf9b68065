package dev.trainlog.examples.promise;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trainlog.examples.Kills;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A trainer killed with SIGKILL, resumed with the same run id (it appends to the same journal) and killed again; a
 * third process drains: every step arrives, and nothing is reported damaged or dropped. (The resumed writer started
 * a new segment without the next-segment mark on the one the killed process left, so every later open read that
 * segment's end as damage and counted one record lost for every backend.)
 */
class KillResumeSpuriousDamageTest {

  @TempDir Path dir;

  private long runAndKill(Path yaml, long from, long atLeast, String tag) throws Exception {
    return Kills.after(PromiseSupport.child(dir, tag, PromiseImageChild.class.getName(), yaml.toString(), "run",
        Long.toString(from)), from, atLeast);
  }

  @Test
  void aKillAndAResumeWithTheSameRunIdLoseNothingAndSayNothingIsLost() throws Exception {
    Path yaml = Files.writeString(dir.resolve("trainlog.yaml"), String.join("\n",
        "run: {experiment: promise, name: resume, id: resume-id}",
        "dispatcher: {journal-dir: " + dir.resolve("journal") + ", dead-letter-dir: " + dir.resolve("dead")
            + ", close-timeout: 60s}",
        "defaults: {flush-interval: 50ms}",
        "backends:",
        "  jsonl: {type: jsonl, path: " + dir.resolve("steps.jsonl") + "}",
        ""));
    long last1 = runAndKill(yaml, 0, 100, "k1");
    long last = runAndKill(yaml, last1 + 1, 100, "k2");
    Process drain = PromiseSupport.child(dir, "drain", PromiseImageChild.class.getName(), yaml.toString(), "drain");
    String drained = new String(drain.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(drain.waitFor(120, TimeUnit.SECONDS)).isTrue();
    Set<Long> steps = new HashSet<>();
    ObjectMapper om = new ObjectMapper();
    for (String line : Files.readAllLines(dir.resolve("steps.jsonl"))) {
      steps.add(om.readTree(line).get("step").asLong());
    }
    for (long s = 0; s <= last; s++) {
      assertThat(steps).as("every step arrived").contains(s);
    }
    List<String> warnings = Files.readAllLines(dir.resolve("child-drain.err")).stream()
        .filter(l -> l.contains("damaged") || l.contains("never got")).toList();
    Map<String, Long> jsonl = PromiseSupport.stats(drained).get("jsonl");
    assertThat(jsonl.get("dropped")).as("nothing was lost, so nothing is counted as dropped; warnings: %s", warnings)
        .isZero();
    assertThat(warnings).as("no damage is reported").isEmpty();
    assertThat(dir.resolve("journal").resolve("resume-id-rank0.damaged")).doesNotExist();
  }
}
