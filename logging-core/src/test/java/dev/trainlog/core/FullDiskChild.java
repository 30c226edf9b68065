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
 * JSON-lines file and the dead-letter directory (elsewhere), the number of steps, and optionally {@code images}.
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
    boolean images = args.length > 5 && args[5].equals("images"); // every 10th step also an image of its own
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
      if (images && step % 10 == 0) {
        dispatcher.step(step).scalar("loss", 1.0 / (step + 1)).scalar("lr", 0.001).scalar("tokens", step * 4096L)
            .image("samples/step", png(step)).log();
      } else {
        dispatcher.log(step, Map.of("loss", 1.0 / (step + 1), "lr", 0.001, "tokens", step * 4096L));
      }
    }
    boolean delivered = dispatcher.close(RunStatus.FINISHED, Duration.ofSeconds(60));
    DispatcherStats stats = dispatcher.stats();
    System.out.println(RESULT + " logged=" + stats.logged() + " refused=" + stats.refused() + " delivered="
        + delivered + " refusedFiles=" + stats.refusedFiles());
  }

  /** A PNG of 64×64 pixels that only {@code step} has (about 12 kB: noise does not compress). */
  static byte[] png(int step) throws IOException {
    java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(64, 64, java.awt.image.BufferedImage.TYPE_INT_RGB);
    java.util.Random random = new java.util.Random(step);
    for (int i = 0; i < 64 * 64; i++) {
      img.setRGB(i % 64, i / 64, random.nextInt());
    }
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    javax.imageio.ImageIO.write(img, "png", out);
    return out.toByteArray();
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
