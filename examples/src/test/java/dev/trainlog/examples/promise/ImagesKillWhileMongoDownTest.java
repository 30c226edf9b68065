package dev.trainlog.examples.promise;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainlog.examples.MongoOnAPort;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * images under drop-oldest, GridFS down, the worker holding a batch with images, kill -9 of the trainer,
 * then a resume with the same run id and MongoDB back. Every image whose log() returned is stored once byte for byte
 * or counted as dropped (by the killed process or the next one).
 */
class ImagesKillWhileMongoDownTest {

  @TempDir Path dir;
  @RegisterExtension final MongoOnAPort mongo = new MongoOnAPort();

  private Path yaml(String runId, String onFull) throws Exception {
    return Files.writeString(dir.resolve("trainlog.yaml"), String.join("\n",
        "run: {experiment: promise, name: " + runId + ", id: " + runId + "}",
        "dispatcher: {journal-dir: " + dir.resolve("journal") + ", dead-letter-dir: " + dir.resolve("dead")
            + ", close-timeout: 60s, journal: {segment-size: 64KiB, max-size: 2MiB, on-full: " + onFull + "}}",
        "defaults: {flush-interval: 50ms, batch-size: 40, retry-initial-backoff: 20ms, retry-max-backoff: 200ms}",
        "backends:",
        "  mongo: {type: mongodb, uri: '" + mongo.uri() + "', server-selection-timeout: 300ms}",
        ""));
  }

  void scenario(String onFull, long rest) throws Exception {
    mongo.start();
    String runId = "img-down-" + onFull;
    Path yaml = yaml(runId, onFull);
    Process p = PromiseSupport.child(dir, "killed", PromiseImageChild.class.getName(), yaml.toString(), "outage", "100",
        Long.toString(rest), "mongo");
    StringBuilder out = new StringBuilder();
    long logged = -1;
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        Writer in = new OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8)) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        out.append(line).append('\n');
        if (line.startsWith("phase1")) {
          assertThat(line).contains("flushed=true");
          mongo.stop();
          in.write("down\n");
          in.flush();
        } else if (line.startsWith("logged=")) {
          logged = Long.parseLong(line.split(" ")[0].substring(7));
        } else if (line.equals("done")) {
          break;
        }
      }
      p.destroyForcibly();
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(logged).as(out.toString()).isPositive();
    Map<String, Long> killed = PromiseSupport.stats(out.toString()).get("mongo");
    mongo.start();
    Process drain = PromiseSupport.child(dir, "drain", PromiseImageChild.class.getName(), yaml.toString(), "drain");
    String drained = new String(drain.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(drain.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(drained).contains("closed true");
    Map<String, Long> next = PromiseSupport.stats(drained).get("mongo");

    Map<Long, List<byte[]>> images = PromiseSupport.gridFsImages(mongo.port(), runId, "samples/step");
    Map<Long, Integer> docs = PromiseSupport.stepDocs(mongo.port(), runId);
    TreeSet<Long> missing = new TreeSet<>();
    TreeSet<Long> twice = new TreeSet<>();
    TreeSet<Long> wrong = new TreeSet<>();
    TreeSet<Long> docWithoutImage = new TreeSet<>();
    for (long s = 0; s < logged; s++) {
      List<byte[]> got = images.get(s);
      if (docs.containsKey(s) && got == null) {
        docWithoutImage.add(s);
      }
      if (got == null) {
        missing.add(s);
        continue;
      }
      if (got.size() > 1) {
        twice.add(s);
      }
      if (!java.util.Arrays.equals(got.get(0), PromiseImageChild.png(s))) {
        wrong.add(s);
      }
    }
    long dropped = killed.get("dropped") + next.get("dropped");
    long dead = killed.get("failed") + next.get("failed");
    String ctx = "killed: " + out.toString().replace('\n', '|') + " drain: " + drained.replace('\n', '|')
        + " missing " + missing.size() + " first " + missing.stream().limit(8).toList();
    assertThat(dropped).as("the scenario dropped something; " + ctx).isPositive();
    assertThat(twice).as("images stored twice; " + ctx).isEmpty();
    assertThat(wrong).as("images with other bytes; " + ctx).isEmpty();
    assertThat(docWithoutImage).as("step docs without their image; " + ctx).isEmpty();
    assertThat(docs.values()).as("step docs once").allMatch(n -> n == 1);
    assertThat((long) docs.size()).as("step docs == images stored; " + ctx).isEqualTo((long) images.keySet().stream()
        .filter(s -> s < Long.MAX_VALUE).count());
    assertThat(images.size() + dropped + dead).as("stored %d + dropped %d + dead %d == logged %d; %s",
        images.size(), dropped, dead, logged, ctx).isEqualTo(logged);
  }

  @Test
  void dropOldest() throws Exception {
    scenario("drop-oldest", 1500);
  }
}
