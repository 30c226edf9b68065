package dev.trainlog.examples.promise;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * a trainer killed with SIGKILL while its JSON lines worker is behind; two new processes (other run ids)
 * start at the same moment on the same journal directory and both find its journal: each leftover record is
 * delivered once in total.
 */
class TwoAdoptersTest {

  @TempDir Path dir;

  private Path yaml(String runId) throws Exception {
    return Files.writeString(dir.resolve(runId + ".yaml"), String.join("\n",
        "run: {experiment: promise, name: " + runId + ", id: " + runId + "}",
        "dispatcher: {journal-dir: " + dir.resolve("journal") + ", dead-letter-dir: " + dir.resolve("dead")
            + ", close-timeout: 60s}",
        "defaults: {flush-interval: 50ms}",
        "backends:",
        "  jsonl: {type: jsonl, path: " + dir.resolve(runId + ".jsonl") + "}",
        ""));
  }

  private Map<Long, Integer> steps(Path file, String runId, ObjectMapper om) throws Exception {
    Map<Long, Integer> m = new HashMap<>();
    if (!Files.exists(file)) {
      return m;
    }
    List<String> lines = Files.readAllLines(file);
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (i == lines.size() - 1 && !Files.readString(file).endsWith("\n")) {
        continue; // the killed process's line cut short: never acknowledged, written again by the one delivering it
      }
      JsonNode n = om.readTree(line);
      if (n.get("run").asText().equals(runId) && n.get("metrics").has("loss")) {
        m.merge(n.get("step").asLong(), 1, Integer::sum);
      }
    }
    return m;
  }

  @Test
  void eachLeftoverRecordOnceInTotal() throws Exception {
    ObjectMapper om = new ObjectMapper();
    for (int round = 0; round < 3; round++) {
      String old = "old" + round;
      long n = 40_000;
      Process p = PromiseSupport.child(dir, old, PromiseImageChild.class.getName(), yaml(old).toString(), "scalars", "0",
          Long.toString(n), "wait");
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        String line = r.readLine();
        while (line != null && !line.equals("done")) { // until every step is logged
          line = r.readLine();
        }
        assertThat(line).as("the killed process logged every step first; its log: %s",
            Files.readString(dir.resolve("child-" + old + ".err"))).isEqualTo("done");
        p.destroyForcibly();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
      }
      Path ya = yaml("a" + round);
      Path yb = yaml("b" + round);
      Process a = PromiseSupport.child(dir, "a" + round, PromiseImageChild.class.getName(), ya.toString(), "scalars", "0", "5",
          "close");
      Process b = PromiseSupport.child(dir, "b" + round, PromiseImageChild.class.getName(), yb.toString(), "scalars", "0", "5",
          "close");
      String outA = new String(a.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      String outB = new String(b.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(a.waitFor(120, TimeUnit.SECONDS)).isTrue();
      assertThat(b.waitFor(120, TimeUnit.SECONDS)).isTrue();
      // what the killed process wrote after its cursor's last move is written again by the one that adopts its
      // journal (at least once across a crash), here into another file: twice counts the adopters' files alone
      Map<Long, Integer> adopted = new HashMap<>();
      for (String f : new String[] {"a" + round, "b" + round}) {
        steps(dir.resolve(f + ".jsonl"), old, om).forEach((k, v) -> adopted.merge(k, v, Integer::sum));
      }
      Map<Long, Integer> killed = steps(dir.resolve(old + ".jsonl"), old, om);
      TreeSet<Long> missing = new TreeSet<>();
      TreeSet<Long> twice = new TreeSet<>();
      for (long s = 0; s < n; s++) {
        int c = adopted.getOrDefault(s, 0);
        if (c == 0 && !killed.containsKey(s)) {
          missing.add(s);
        } else if (c > 1) {
          twice.add(s);
        }
      }
      assertThat(missing).as("round %d; a: %s; b: %s; a's log: %s; b's log: %s", round, outA, outB,
          Files.readString(dir.resolve("child-a" + round + ".err")), Files.readString(dir.resolve("child-b" + round
          + ".err"))).isEmpty();
      assertThat(twice).as("round %d: delivered by both adopters", round).isEmpty();
      try (var left = Files.list(dir.resolve("journal"))) {
        assertThat(left.filter(Files::isDirectory).filter(x -> !x.getFileName().toString().startsWith(".")).toList()).as("journals left").isEmpty();
      }
    }
  }
}
