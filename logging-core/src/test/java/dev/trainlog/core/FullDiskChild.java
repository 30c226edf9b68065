package dev.trainlog.core;

import dev.trainlog.api.RunStatus;
import dev.trainlog.core.internal.backends.JsonlBackend;
import dev.trainlog.core.internal.pipeline.Gate;
import dev.trainlog.core.spec.ChannelSettings;
import dev.trainlog.core.spec.DispatcherStats;
import dev.trainlog.testkit.TestRecords;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The training process of {@link FullDiskTest}: logs in a loop that catches nothing to a journal on a
 * small tmpfs, fills the tmpfs with a filler file a quarter of the way, frees it at three quarters,
 * closes, and prints what its dispatcher counted. Arguments: the journal root (on the tmpfs), the filler file (on the tmpfs), the
 * JSON-lines file and the dead-letter directory (elsewhere), the number of steps.
 */
public final class FullDiskChild {

  static final String RESULT = "RESULT";

  private FullDiskChild() {}

  public static void main(String[] args) throws Exception {
    Path journalRoot = Path.of(args[0]);
    Path filler = Path.of(args[1]);
    Path jsonl = Path.of(args[2]);
    Path dead = Path.of(args[3]);
    int steps = Integer.parseInt(args[4]);
    LogDispatcher dispatcher = LogDispatcher.builder(TestRecords.run("exp", "full-disk"))
        .backend("jsonl", new JsonlBackend(jsonl), Gate.ALWAYS,
            ChannelSettings.defaults().withFlushInterval(Duration.ofMillis(50)))
        .journalDir(journalRoot)
        .journalSegmentSize(256 << 10)
        .deadLetterDir(dead)
        .shutdownHook(false)
        .build();
    for (int step = 0; step < steps; step++) {
      if (step == steps / 4) {
        fill(filler); // once the loop's code is compiled: a fault in compiled code surfaces late
      }
      if (step == steps * 3 / 4) {
        Files.delete(filler); // the space comes back
      }
      dispatcher.log(step, Map.of("loss", 1.0 / (step + 1), "lr", 0.001, "tokens", step * 4096L));
    }
    boolean delivered = dispatcher.close(RunStatus.FINISHED, Duration.ofSeconds(60));
    DispatcherStats stats = dispatcher.stats();
    System.out.println(RESULT + " logged=" + stats.logged() + " refused=" + stats.refused() + " delivered="
        + delivered);
  }

  /** Writes to {@code filler} until the device is full. */
  private static void fill(Path filler) throws IOException {
    byte[] chunk = new byte[64 << 10];
    try (OutputStream out = Files.newOutputStream(filler)) {
      while (true) {
        out.write(chunk);
      }
    } catch (IOException full) {
      // as intended
    }
  }
}
