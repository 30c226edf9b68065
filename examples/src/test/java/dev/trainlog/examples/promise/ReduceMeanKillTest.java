package dev.trainlog.examples.promise;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * sample {every: 10, reduce: mean} on JSON lines, loss = step; a trainer logs 0..304 and is killed with
 * SIGKILL (window 301..310 open), the run is resumed with its id and logs 305..334, then closes. Each window's mean
 * over its own steps, once.
 */
class ReduceMeanKillTest {

  @TempDir Path dir;

  @Test
  void aWindowOpenAtTheKillIsFoldedOnceAfterTheResume() throws Exception {
    Path yaml = Files.writeString(dir.resolve("trainlog.yaml"), String.join("\n",
        "run: {experiment: promise, name: reduce, id: reduce-id}",
        "dispatcher: {journal-dir: " + dir.resolve("journal") + ", dead-letter-dir: " + dir.resolve("dead")
            + ", close-timeout: 60s}",
        "defaults: {flush-interval: 20ms, batch-size: 7}",
        "backends:",
        "  jsonl: {type: jsonl, path: " + dir.resolve("steps.jsonl") + ", sample: {every: 10, reduce: mean}}",
        ""));
    Process p = PromiseSupport.child(dir, "killed", PromiseImageChild.class.getName(), yaml.toString(), "scalars", "0", "305",
        "wait");
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = r.readLine(); line != null && !line.equals("done"); line = r.readLine()) {
        // until the 305 steps are logged
      }
      // let the worker write some batches, so the kill finds the window open with a persisted cursor before it
      org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() ->
          Files.exists(dir.resolve("steps.jsonl")) && Files.readAllLines(dir.resolve("steps.jsonl")).size() >= 31);
      p.destroyForcibly();
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
    List<String> before = Files.readAllLines(dir.resolve("steps.jsonl"));
    Process next = PromiseSupport.child(dir, "next", PromiseImageChild.class.getName(), yaml.toString(), "scalars", "305", "30",
        "close");
    String out = new String(next.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(next.waitFor(60, TimeUnit.SECONDS)).isTrue();
    ObjectMapper om = new ObjectMapper();
    List<String> seen = new ArrayList<>();
    for (String line : Files.readAllLines(dir.resolve("steps.jsonl"))) {
      JsonNode n = om.readTree(line);
      seen.add(n.get("step").asLong() + "=" + n.get("metrics").get("loss").asDouble());
    }
    List<String> want = new ArrayList<>();
    want.add("0=0.0");
    for (long k = 10; k <= 330; k += 10) {
      want.add(k + "=" + (k - 4.5));
    }
    want.add("334=332.5");
    assertThat(seen).isEqualTo(want);
  }
}
