package dev.trainlog.examples.crash;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trainlog.examples.Kills;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A process logging an image per step killed with SIGKILL twice, then one that only closes: every image
 * whose {@code log()} had returned reaches JSON lines exactly once, with its bytes (or, for a
 * {@code BufferedImage}, its pixels) intact.
 */
class ImageKillNineTest {

  @TempDir Path dir;
  private final ObjectMapper json = new ObjectMapper();

  private Path yaml() throws IOException {
    return Files.writeString(dir.resolve("trainlog.yaml"), String.join("\n",
        "run: {experiment: crash, name: image-run, id: image-run-id}",
        "dispatcher: {journal-dir: " + dir.resolve("journal") + ", dead-letter-dir: " + dir.resolve("dead")
            + ", close-timeout: 60s}",
        "defaults: {flush-interval: 100ms}",
        "backends:",
        "  jsonl: {type: jsonl, path: " + dir.resolve("steps.jsonl") + "}",
        ""));
  }

  private Process child(Path yaml, long from, long count, String... more) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-Djava.awt.headless=true", "-cp", System.getProperty("java.class.path"),
        ImageCrashChild.class.getName(), yaml.toString(), Long.toString(from), Long.toString(count)));
    cmd.addAll(List.of(more));
    return new ProcessBuilder(cmd).redirectError(dir.resolve("child-stderr.log").toFile()).start();
  }

  private long killAfter(Path yaml, long from, long atLeast) throws Exception {
    return Kills.after(child(yaml, from, 10_000_000), from, atLeast);
  }

  @Test
  void everyImageLoggedBeforeEachKillArrivesOnceWithItsBytes() throws Exception {
    Path yaml = yaml();
    long last = killAfter(yaml, 0, 300);
    last = killAfter(yaml, last + 1, 200);
    Process drain = child(yaml, 0, -1);
    String out = new String(drain.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(drain.waitFor(90, TimeUnit.SECONDS)).isTrue();
    assertThat(out).contains("closed true");

    Map<Long, Integer> linesPerStep = new HashMap<>();
    List<Long> pixelSteps = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    for (String line : Files.readAllLines(dir.resolve("steps.jsonl"))) {
      JsonNode n = json.readTree(line);
      long step = n.get("step").asLong();
      ids.add(n.get("_id").asText());
      linesPerStep.merge(step, 1, Integer::sum);
      assertThat(n.get("metrics").get("samples/step")).as(line).isNotNull();
      JsonNode image = n.get("metrics").get("samples/step").get(0);
      assertThat(image).as(line).isNotNull();
      assertThat(Files.readAllBytes(dir.resolve(image.get("path").asText())))
          .as("step %d's PNG", step).isEqualTo(ImageCrashChild.png(step));
      JsonNode pixels = n.get("metrics").get("samples/pixels");
      if (pixels != null) {
        BufferedImage got = ImageIO.read(new ByteArrayInputStream(
            Files.readAllBytes(dir.resolve(pixels.get(0).get("path").asText()))));
        BufferedImage want = ImageCrashChild.picture(step);
        assertThat(got.getRGB(0, 0, 3, 2, null, 0, 3)).isEqualTo(want.getRGB(0, 0, 3, 2, null, 0, 3));
        pixelSteps.add(step);
      }
    }
    assertThat(ids).as("no record twice").doesNotHaveDuplicates();
    for (long s = 0; s <= last; s++) {
      // a step a killed child logged after its last "logged" line is logged again by the next child
      assertThat(linesPerStep.get(s)).as("lines of step %d", s).isBetween(1, 2);
    }
    assertThat(pixelSteps).contains(0L, 25L, 300L);
    try (var left = Files.walk(dir.resolve("journal"))) {
      assertThat(left.filter(p -> p.toString().contains("blobs") && Files.isRegularFile(p)).toList())
          .as("the journal's image files are gone once delivered").isEmpty();
    }
  }

  @Test
  void imagesFourThreadsLoggedAtOnceBeforeAKillArriveOnceWithTheirBytes() throws Exception {
    Path yaml = yaml();
    Process p = child(yaml, 0, 10_000_000, "4");
    java.util.Set<Long> logged = new java.util.HashSet<>();
    try (java.io.BufferedReader out = new java.io.BufferedReader(
        new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = out.readLine(); line != null && logged.size() < 400; line = out.readLine()) {
        if (line.startsWith("logged ")) {
          logged.add(Long.parseLong(line.substring(7)));
        }
      }
      p.destroyForcibly(); // SIGKILL with four threads between image() and log()
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(logged).hasSize(400);
    Process drain = child(yaml, 0, -1);
    String out = new String(drain.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(drain.waitFor(90, TimeUnit.SECONDS)).isTrue();
    assertThat(out).contains("closed true");

    java.util.Set<Long> arrived = new java.util.HashSet<>();
    for (String line : Files.readAllLines(dir.resolve("steps.jsonl"))) {
      JsonNode n = json.readTree(line);
      long step = n.get("step").asLong();
      assertThat(arrived.add(step)).as("step %d once", step).isTrue();
      assertThat(Files.readAllBytes(dir.resolve(n.get("metrics").get("samples/step").get(0).get("path").asText())))
          .as("step %d's PNG", step).isEqualTo(ImageCrashChild.png(step));
      if (step % 5 == 0) {
        assertThat(Files.readAllBytes(dir.resolve(n.get("metrics").get("samples/shared").get(0).get("path").asText())))
            .as("step %d's shared PNG", step).isEqualTo(ImageCrashChild.png(0));
      }
    }
    assertThat(arrived).as("every step whose log() returned before the kill").containsAll(logged);
  }
}
