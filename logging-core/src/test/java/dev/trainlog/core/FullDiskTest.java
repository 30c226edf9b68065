package dev.trainlog.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainlog.testkit.SmallTmpfs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A journal on a full device: log() refuses and counts, the training process goes on, and what it acknowledged arrives. */
class FullDiskTest {

  @TempDir Path dir;
  private SmallTmpfs mounted;
  private Path tmpfs;

  @BeforeEach
  void mountSmallTmpfs() throws Exception {
    mounted = SmallTmpfs.mountOrSkip(dir.resolve("tmpfs"), 8, "FullDiskTest");
    tmpfs = mounted.dir();
  }

  @AfterEach
  void unmount() throws Exception {
    if (mounted != null) {
      mounted.close();
    }
  }

  @Test
  void aFullDeviceUnderTheJournalIsARefusalAndEverythingAcknowledgedArrives() throws Exception {
    Path jsonl = dir.resolve("out.jsonl");
    int steps = 200_000;
    String output = runChild(jsonl, steps);
    long[] counts = counts(output, steps);
    long logged = counts[0];
    long refused = counts[1];

    List<String> lines = Files.readAllLines(jsonl);
    Pattern step = Pattern.compile("\"step\":(\\d+)");
    long distinct = lines.stream().map(step::matcher).filter(Matcher::find).map(x -> x.group(1)).distinct().count();
    assertThat(lines).as("every acknowledged record arrived once").hasSize((int) logged);
    assertThat(distinct).isEqualTo(logged);
    assertThat(output).contains("a record was not logged (the journal in " + tmpfs.resolve("journal"));
  }

  @Test
  void withImagesAFullDeviceIsARefusalToo_AndEveryAcknowledgedImageArrivesWithItsBytes() throws Exception {
    Path jsonl = dir.resolve("out.jsonl");
    int steps = 40_000; // an image every 10 steps: 4,000 PNGs of 12 kB, 48 MB through an 8 MiB device
    String output = runChild(jsonl, steps, "images");
    long[] counts = counts(output, steps);
    List<String> lines = Files.readAllLines(jsonl);
    assertThat(lines).as("every acknowledged record arrived once").hasSize((int) counts[0]);
    Pattern step = Pattern.compile("\"step\":(\\d+)");
    Pattern path = Pattern.compile("\"path\":\"([^\"]+)\"");
    Matcher files = Pattern.compile("refusedFiles=(\\d+)").matcher(output);
    assertThat(files.find()).isTrue();
    long refusedFiles = Long.parseLong(files.group(1));
    assertThat(refusedFiles).as("images the full device could not take").isPositive();
    assertThat(output).contains("an image or artifact was not stored (image 'samples/step' at step ");
    int images = 0;
    int withoutImage = 0;
    int[] imagesPerQuarter = new int[4];
    for (String line : lines) {
      Matcher s = step.matcher(line);
      assertThat(s.find()).isTrue();
      int n = Integer.parseInt(s.group(1));
      Matcher p = path.matcher(line);
      if (p.find()) {
        assertThat(n % 10).as("only image steps have one: %s", line).isZero();
        assertThat(Files.readAllBytes(jsonl.resolveSibling(p.group(1)))).as("step %d's PNG", n)
            .isEqualTo(FullDiskChild.png(n));
        images++;
        imagesPerQuarter[n / (steps / 4)]++;
      } else if (n % 10 == 0) {
        assertThat(line).as("its scalars kept").contains("\"loss\"");
        withoutImage++;
      }
    }
    assertThat(withoutImage).as("image steps logged without their image: their images were refused")
        .isPositive().isLessThanOrEqualTo((int) refusedFiles);
    assertThat(imagesPerQuarter).as("images stored before the device filled, and again once it had room: %s",
        java.util.Arrays.toString(imagesPerQuarter)).satisfies(q -> {
          assertThat(q[0]).isPositive();
          assertThat(q[3]).isPositive();
        });
  }

  @Test
  void onADeviceSmallerThanMaxSizeDeliveredImagesAreDeletedBeforeTheyFillIt() throws Exception {
    // 24 MB of images through an 8 MiB device, max-size 2 GiB (the default): a backend that keeps up
    try (LogDispatcher d = LogDispatcher.builder(dev.trainlog.testkit.TestRecords.run("exp", "small-device"))
        .backend("jsonl", new dev.trainlog.core.internal.backends.JsonlBackend(dir.resolve("out.jsonl")),
            dev.trainlog.core.internal.pipeline.Gate.ALWAYS,
            dev.trainlog.core.spec.ChannelSettings.defaults().withFlushInterval(java.time.Duration.ofMillis(20)))
        .journalDir(tmpfs.resolve("journal")).journalSegmentSize(256 << 10).deadLetterDir(dir.resolve("dead"))
        .shutdownHook(false).build()) {
      for (int step = 0; step < 2000; step++) {
        d.step(step).scalar("loss", 1.0 / (step + 1)).image("samples/step", FullDiskChild.png(step)).log();
        if (step % 20 == 19) {
          assertThat(d.flush(java.time.Duration.ofSeconds(30))).isTrue();
        }
      }
      assertThat(d.flush(java.time.Duration.ofSeconds(30))).isTrue();
      assertThat(d.stats().refusedFiles()).as("images the device could not take").isZero();
      assertThat(d.stats().refused()).isZero();
    }
    assertThat(Files.readAllLines(dir.resolve("out.jsonl"))).hasSize(2000);
  }

  private String runChild(Path jsonl, int steps, String... more) throws Exception {
    List<String> cmd = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Djava.awt.headless=true", "-cp", System.getProperty("java.class.path"), FullDiskChild.class.getName(),
        tmpfs.resolve("journal").toString(), tmpfs.resolve("filler").toString(), jsonl.toString(),
        dir.resolve("dead").toString(), String.valueOf(steps)));
    cmd.addAll(List.of(more));
    Process child = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String output;
    try {
      output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(child.waitFor(120, TimeUnit.SECONDS)).as("the child exits").isTrue();
    } finally {
      child.destroyForcibly();
    }
    assertThat(child.exitValue()).as("the training process finishes: %s", output).isZero();
    return output;
  }

  /** {logged, refused} from the child's result line, checked: all logged, some refused, all delivered at close. */
  private static long[] counts(String output, int steps) {
    Matcher m = Pattern.compile(FullDiskChild.RESULT + " logged=(\\d+) refused=(\\d+) delivered=(\\w+)").matcher(output);
    assertThat(m.find()).as("the child's output: %s", output).isTrue();
    long logged = Long.parseLong(m.group(1));
    long refused = Long.parseLong(m.group(2));
    assertThat(logged + refused).as("each step logged or refused, not both").isEqualTo(steps);
    assertThat(refused).as("the journal refused while the device was full").isPositive().isLessThan(steps / 2 + 1);
    assertThat(m.group(3)).isEqualTo("true");
    return new long[] {logged, refused};
  }
}
