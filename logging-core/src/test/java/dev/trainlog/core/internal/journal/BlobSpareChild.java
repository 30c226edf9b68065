package dev.trainlog.core.internal.journal;

import dev.trainlog.api.Image;
import dev.trainlog.testkit.TestImages;
import java.nio.file.Files;
import java.nio.file.Path;

/** Stores two images, the second once a spare is there, says so, then waits to be killed. */
public final class BlobSpareChild {

  private BlobSpareChild() {}

  static final String STORED = "STORED";

  static byte[] first() {
    return TestImages.png(512, 512, 1, 400_000);
  }

  static byte[] second() {
    return TestImages.png(512, 512, 2, 399_000);
  }

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    BlobStore store = BlobStore.open(dir);
    store.putEncoded(first(), Image.Header.read(first()));
    while (!store.spareReady()) {
      Thread.onSpinWait(); // the spare is made on the store's own thread
    }
    Path spare;
    try (var files = Files.list(dir.resolve(BlobStore.DIRECTORY))) {
      spare = files.filter(p -> p.getFileName().toString().endsWith(BlobSpares.SUFFIX)).findFirst().orElseThrow();
    }
    byte[] second = second();
    String id = store.putEncoded(second, Image.Header.read(second)).contentId();
    System.out.println(STORED + " " + id + " " + (Files.exists(spare) ? "written-by-caller" : "via-spare"));
    System.out.flush();
    System.in.read(); // until killed
  }
}
