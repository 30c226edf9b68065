package dev.trainlog.core.internal.journal;

import dev.trainlog.api.Image;
import dev.trainlog.api.Images;
import dev.trainlog.api.RunInfo;
import dev.trainlog.testkit.TestImages;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Appends records with images to a journal: step 0's written by the caller, then, with the spare thread
 * held so nothing is renamed, steps 1 and 2 copied into the spares made ahead and step 3 repeating step
 * 1's content. Says so, then waits to be killed.
 */
public final class BlobSpareChild {

  private BlobSpareChild() {}

  static final String STORED = "STORED";
  static final int STEPS = 4;

  /** Step {@code s}'s image; step 3 repeats step 1's. */
  static byte[] png(long s) {
    return TestImages.png(256, 256, s == 3 ? 1 : (int) s, 200_000 + (s == 3 ? 1 : (int) s));
  }

  static RunInfo run() {
    return RunInfo.builder().experiment("e").runName("spares").runId("spares").build();
  }

  public static void main(String[] args) throws Exception {
    Journal journal = Journal.tryOpen(Path.of(args[0]), 1 << 20, Long.MAX_VALUE);
    BlobStore store = journal.blobs();
    StringBuilder ids = new StringBuilder();
    for (int step = 0; step < STEPS; step++) {
      if (step == 1) {
        while (store.sparesReady() < BlobSpares.AHEAD) {
          Thread.onSpinWait(); // the spares are made on the store's own thread
        }
        store.holdBackground(new CountDownLatch(1)); // never released: the filled spares stay as they are
      }
      byte[] png = png(step);
      Image image = store.putEncoded(png, Image.Header.read(png));
      journal.append(run(), step, -1, step, false, Map.of("img", Images.of(image)));
      ids.append(' ').append(image.contentId());
    }
    System.out.println(STORED + ids);
    System.out.flush();
    System.in.read(); // until killed
  }
}
