package dev.trainlog.core.internal.journal;

import static org.assertj.core.api.Assertions.assertThat;

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

/** An image copied into a spare file and renamed survives a kill -9 of the process right after the call returned. */
class BlobSpareKillNineTest {

  @TempDir Path dir;

  @Test
  void anImageStoredThroughTheSpareIsWholeAfterAKillNine() throws Exception {
    Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), BlobSpareChild.class.getName(), dir.toString())
        .redirectErrorStream(true)
        .start();
    List<String> output = new ArrayList<>();
    String line;
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      while ((line = lines.readLine()) != null && !line.startsWith(BlobSpareChild.STORED)) {
        output.add(line);
      }
      assertThat(line).as("the child's output: %s", output).startsWith(BlobSpareChild.STORED);
      child.destroyForcibly(); // SIGKILL, while the store is still open
      assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
    } finally {
      child.destroyForcibly();
    }
    String[] words = line.split(" ");
    assertThat(words[2]).as("the second image went through the spare").isEqualTo("via-spare");

    Path file = dir.resolve(BlobStore.DIRECTORY).resolve(words[1] + ".png");
    assertThat(Files.readAllBytes(file)).isEqualTo(BlobSpareChild.second());
    BlobStore reopened = BlobStore.open(dir);
    try (var files = Files.list(dir.resolve(BlobStore.DIRECTORY))) {
      assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(BlobSpares.SUFFIX)).toList())
          .as("the spare made after the second image is deleted on open").isEmpty();
    }
    assertThat(reopened.bytes()).isEqualTo(BlobSpareChild.first().length + BlobSpareChild.second().length);
    reopened.close();
  }
}
