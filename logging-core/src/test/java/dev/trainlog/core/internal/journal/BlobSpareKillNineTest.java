package dev.trainlog.core.internal.journal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainlog.api.Image;
import dev.trainlog.api.Images;
import dev.trainlog.api.LogRecord;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Images whose {@code image()} returned while they were only copied into spare files (not cut to length,
 * not renamed) survive a kill -9: the next open publishes them, each record reads its bytes, once.
 */
class BlobSpareKillNineTest {

  @TempDir Path dir;

  private List<String> names() throws Exception {
    try (Stream<Path> files = Files.list(dir.resolve(BlobStore.DIRECTORY))) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void imagesStillOnlyInTheirSparesWhenKilledArriveOnceWithTheirBytesAfterTheRestart() throws Exception {
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
      child.destroyForcibly(); // SIGKILL, with the filled spares not renamed
      assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
    } finally {
      child.destroyForcibly();
    }
    String[] ids = line.substring(BlobSpareChild.STORED.length() + 1).split(" ");
    assertThat(ids[3]).as("equal content, equal id").isEqualTo(ids[1]);
    // step 0 published from the first spare it waited for (next-1), or, on a loaded machine where that spare took
    // longer than the caller waits, written by the caller (next-1 is then the first of the spares left)
    int first = names().contains("next-1" + BlobSpare.SUFFIX) ? 1 : 2;
    List<String> expected = new ArrayList<>(List.of(ids[0] + ".png"));
    for (int n = first; n < first + BlobSpares.AHEAD; n++) {
      expected.add("next-" + n + BlobSpare.SUFFIX);
    }
    assertThat(names()).as("step 0 published, steps 1 and 2 only in the next two spares, the others made ahead")
        .containsExactlyElementsOf(expected);

    Journal journal = Journal.tryOpen(dir, 1 << 20, Long.MAX_VALUE);
    try {
      JournalReader reader = new JournalReader(journal, journal.start());
      List<Long> steps = new ArrayList<>();
      for (LogRecord r = reader.next(); r != null; r = reader.next()) {
        steps.add(r.step());
        Image image = ((Images) r.metrics().get("img")).get(0);
        assertThat(image.contentId()).isEqualTo(ids[(int) r.step()]);
        assertThat(image.bytes()).as("step %d's bytes", r.step()).isEqualTo(BlobSpareChild.png(r.step()));
      }
      assertThat(steps).containsExactly(0L, 1L, 2L, 3L);
      assertThat(names()).as("published under their ids, the repeated content once")
          .containsExactlyInAnyOrder(ids[0] + ".png", ids[1] + ".png", ids[2] + ".png");
      assertThat(journal.blobs().bytes())
          .isEqualTo(BlobSpareChild.png(0).length + BlobSpareChild.png(1).length + BlobSpareChild.png(2).length);
    } finally {
      journal.close();
    }
  }
}
