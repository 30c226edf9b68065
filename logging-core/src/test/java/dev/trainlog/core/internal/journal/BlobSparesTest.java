package dev.trainlog.core.internal.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.trainlog.api.Image;
import dev.trainlog.testkit.TestImages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlobSparesTest {

  @TempDir Path dir;

  private Path blobs() {
    return dir.resolve(BlobStore.DIRECTORY);
  }

  private List<Path> spares() throws Exception {
    if (!Files.isDirectory(blobs())) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(blobs())) {
      return files.filter(p -> p.getFileName().toString().endsWith(BlobSpares.SUFFIX)).toList();
    }
  }

  private Path awaitOneSpare() {
    await().atMost(Duration.ofSeconds(30)).until(() -> spares().size() == 1);
    try {
      return spares().get(0);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static Image put(BlobStore store, byte[] png) throws Exception {
    return store.putEncoded(png, Image.Header.read(png));
  }

  @Test
  void theNextBlobOfAboutTheLastSizeGoesIntoTheSpareMadeAheadAndReadsBackWithItsExactLength() throws Exception {
    BlobStore store = BlobStore.open(dir);
    byte[] first = TestImages.png(512, 512, 1, 300_000);
    put(store, first);
    await().atMost(Duration.ofSeconds(30)).until(store::spareReady);
    Path spare = awaitOneSpare();
    assertThat(Files.size(spare)).isEqualTo(BlobSpares.capacityFor(first.length));

    byte[] second = TestImages.png(512, 512, 2, 300_100);
    Image stored = put(store, second);

    Path file = blobs().resolve(stored.contentId() + ".png");
    assertThat(Files.exists(spare)).as("the spare was renamed to the content id").isFalse();
    assertThat(Files.size(file)).isEqualTo(second.length);
    assertThat(Files.readAllBytes(file)).isEqualTo(second);
    assertThat(store.bytes()).isEqualTo(first.length + second.length);
    await().atMost(Duration.ofSeconds(30)).until(store::spareReady); // and the next is made
    assertThat(spares()).hasSize(1);
    store.close();
  }

  @Test
  void aBlobLargerThanTheSpareIsWrittenByTheCallerAndTheNextSpareHasRoomForIt() throws Exception {
    BlobStore store = BlobStore.open(dir);
    put(store, TestImages.png(8, 8, 1, 10_000));
    await().atMost(Duration.ofSeconds(30)).until(store::spareReady);
    Path small = awaitOneSpare();
    byte[] large = TestImages.png(8, 8, 2, 200_000);
    Image stored = put(store, large);
    assertThat(stored.bytes()).isEqualTo(large);
    await().atMost(Duration.ofSeconds(30)).until(() -> !Files.exists(small) && store.spareReady());
    assertThat(spares()).hasSize(1);
    assertThat(Files.size(spares().get(0))).isEqualTo(BlobSpares.capacityFor(large.length));
    store.close();
  }

  @Test
  void aSweepLeavesTheSpareAndCloseDeletesIt() throws Exception {
    BlobStore store = BlobStore.open(dir);
    Image gone = put(store, TestImages.png(8, 8, 3, 5_000));
    store.appended(gone.contentId());
    await().atMost(Duration.ofSeconds(30)).until(store::spareReady);
    Path spare = awaitOneSpare();
    store.sweep(store.files(), Set.of(), Set.of());
    assertThat(Files.exists(blobs().resolve(gone.contentId() + ".png"))).isFalse();
    assertThat(Files.exists(spare)).isTrue();
    assertThat(store.bytes()).isZero();
    store.close();
    assertThat(spares()).isEmpty();
  }

  @Test
  void aSpareLeftByAProcessThatIsGoneIsDeletedOnOpenAndNotCounted() throws Exception {
    Files.createDirectories(blobs());
    Files.write(blobs().resolve("next-7" + BlobSpares.SUFFIX), new byte[70_000]);
    byte[] kept = TestImages.png(8, 8, 4, 1_000);
    Files.write(blobs().resolve(ContentIds.of(kept) + ".png"), kept);
    BlobStore store = BlobStore.open(dir);
    assertThat(spares()).isEmpty();
    assertThat(store.bytes()).isEqualTo(1_000);
    store.close();
  }

  @Test
  void theCapacityIsTheLengthAndTheSlackInWholePages() {
    assertThat(BlobSpares.capacityFor(1)).isEqualTo(BlobSpares.SLACK + 4096);
    assertThat(BlobSpares.capacityFor(737_000)).isEqualTo(753_664);
    assertThat(BlobSpares.capacityFor(737_000) % 4096).isZero();
  }

  @Test
  void contentIdsKeepTheirFormat() {
    byte[] data = {1, 2, 3};
    java.util.zip.CRC32C c = new java.util.zip.CRC32C();
    c.update(data);
    java.util.zip.CRC32 d = new java.util.zip.CRC32();
    d.update(data);
    assertThat(ContentIds.of(data)).isEqualTo(String.format("%08x%08x-%x", c.getValue(), d.getValue(), 3));
    assertThat(ContentIds.of(new byte[0])).isEqualTo("0000000000000000-0");
  }
}
