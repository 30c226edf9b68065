package dev.trainlog.examples.promise;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trainlog.examples.Kills;
import dev.trainlog.examples.MongoOnAPort;
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
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** kill -9 with images (twice), resume with the same run id, MongoDB and JSON lines up: each image once in each. */
class ImagesKillResumeTwoBackendsTest {

  @TempDir Path dir;
  @RegisterExtension final MongoOnAPort mongo = new MongoOnAPort();

  private long runAndKill(Path yaml, long from, long atLeast, String tag) throws Exception {
    return Kills.after(PromiseSupport.child(dir, tag, PromiseImageChild.class.getName(), yaml.toString(), "run",
        Long.toString(from)), from, atLeast);
  }

  @Test
  void eachImageOnceInGridFsAndOnceInJsonLines() throws Exception {
    mongo.start();
    String runId = "img-resume";
    Path yaml = Files.writeString(dir.resolve("trainlog.yaml"), String.join("\n",
        "run: {experiment: promise, name: " + runId + ", id: " + runId + "}",
        "dispatcher: {journal-dir: " + dir.resolve("journal") + ", dead-letter-dir: " + dir.resolve("dead")
            + ", close-timeout: 60s}",
        "defaults: {flush-interval: 50ms, batch-size: 30}",
        "backends:",
        "  jsonl: {type: jsonl, path: " + dir.resolve("steps.jsonl") + "}",
        "  mongo: {type: mongodb, uri: '" + mongo.uri() + "'}",
        ""));
    long last1 = runAndKill(yaml, 0, 300, "k1");
    long last = runAndKill(yaml, last1 + 1, 300, "k2");
    Process drain = PromiseSupport.child(dir, "drain", PromiseImageChild.class.getName(), yaml.toString(), "drain");
    String drained = new String(drain.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(drain.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(drained).contains("closed true");

    Map<Long, List<byte[]>> images = PromiseSupport.gridFsImages(mongo.port(), runId, "samples/step");
    Map<Long, Integer> docs = PromiseSupport.stepDocs(mongo.port(), runId);
    ObjectMapper om = new ObjectMapper();
    Map<Long, Integer> lines = new HashMap<>();
    for (String line : Files.readAllLines(dir.resolve("steps.jsonl"))) {
      JsonNode n = om.readTree(line);
      if (n.has("metrics") && n.get("metrics").has("loss")) {
        long s = n.get("step").asLong();
        lines.merge(s, 1, Integer::sum);
        assertThat(Files.readAllBytes(dir.resolve(n.get("metrics").get("samples/step").get(0).get("path").asText())))
            .as("jsonl bytes of step %d", s).isEqualTo(PromiseImageChild.png(s));
      }
    }
    Map<Long, Integer> files = new HashMap<>();
    try (Stream<Path> all = Files.walk(dir.resolve("steps.jsonl.files"))) {
      for (Path f : all.filter(Files::isRegularFile).toList()) {
        String name = f.getFileName().toString();
        if (f.toString().contains("samples/step") || f.toString().contains("samples")) {
          long s = Long.parseLong(name.substring(5, name.indexOf('-', 5)));
          files.merge(s, 1, Integer::sum);
        }
      }
    }
    TreeSet<String> problems = new TreeSet<>();
    for (long s = 0; s <= last; s++) {
      List<byte[]> g = images.get(s);
      if (g == null || g.size() != 1) {
        problems.add("gridfs step " + s + ": " + (g == null ? 0 : g.size()));
      } else if (!java.util.Arrays.equals(g.get(0), PromiseImageChild.png(s))) {
        problems.add("gridfs bytes step " + s);
      }
      // a step the killed child logged after its last "logged" line is logged again by the next child: a record of its own
      int allowed = s > last1 ? 2 : 1;
      if (docs.get(s) != null && (!docs.get(s).equals(lines.get(s)) || !docs.get(s).equals(files.get(s)))) {
        problems.add("step " + s + " docs " + docs.get(s) + " lines " + lines.get(s) + " files " + files.get(s));
      }
      if (docs.getOrDefault(s, 0) < 1 || docs.getOrDefault(s, 0) > allowed) {
        problems.add("doc step " + s + ": " + docs.get(s));
      }
      if (lines.getOrDefault(s, 0) < 1 || lines.getOrDefault(s, 0) > allowed) {
        problems.add("jsonl line step " + s + ": " + lines.get(s));
      }
      if (files.getOrDefault(s, 0) < 1 || files.getOrDefault(s, 0) > allowed) {
        problems.add("jsonl file step " + s + ": " + files.get(s));
      }
    }
    assertThat(problems).as("last %d; drain %s", last, drained).isEmpty();
  }
}
