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
    Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), FullDiskChild.class.getName(), tmpfs.resolve("journal").toString(),
        tmpfs.resolve("filler").toString(), jsonl.toString(), dir.resolve("dead").toString(), String.valueOf(steps))
        .redirectErrorStream(true)
        .start();
    String output;
    try {
      output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(child.waitFor(120, TimeUnit.SECONDS)).as("the child exits").isTrue();
    } finally {
      child.destroyForcibly();
    }
    assertThat(child.exitValue()).as("the training process finishes: %s", output).isZero();
    Matcher m = Pattern.compile(FullDiskChild.RESULT + " logged=(\\d+) refused=(\\d+) delivered=(\\w+)").matcher(output);
    assertThat(m.find()).as("the child's output: %s", output).isTrue();
    long logged = Long.parseLong(m.group(1));
    long refused = Long.parseLong(m.group(2));
    assertThat(logged).isEqualTo(steps);
    assertThat(refused).as("the journal refused while the device was full").isPositive().isLessThan(steps / 2 + 1);
    assertThat(m.group(3)).isEqualTo("true");

    List<String> lines = Files.readAllLines(jsonl);
    Pattern step = Pattern.compile("\"step\":(\\d+)");
    long distinct = lines.stream().map(step::matcher).filter(Matcher::find).map(x -> x.group(1)).distinct().count();
    assertThat(lines).as("every acknowledged record arrived once").hasSize((int) (logged - refused));
    assertThat(distinct).isEqualTo(logged - refused);
    assertThat(output).contains("a record was not logged (the journal in " + tmpfs.resolve("journal"));
  }
}
