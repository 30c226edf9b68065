package dev.trainlog.core.internal.journal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainlog.api.Artifact;
import dev.trainlog.api.Image;
import dev.trainlog.testkit.TestImages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlobStoreTest {

  @TempDir Path dir;

  static byte[] png(int fill) {
    return TestImages.png(2, 2, fill, 32);
  }


  @Test
  void equalContentIsStoredOnceAndAnotherContentUnderATakenIdGetsAnIdOfItsOwn() throws Exception {
    // a different content under the id the second image will get, there when the store opens: a checksum collision
    byte[] b = png(2);
    Files.createDirectories(dir.resolve("blobs"));
    Files.write(dir.resolve("blobs").resolve(ContentIds.of(b) + ".png"), png(3));
    BlobStore store = BlobStore.open(dir);
    byte[] a = png(1);
    Image first = store.putEncoded(a, Image.Header.read(a));
    Image again = store.putEncoded(a.clone(), Image.Header.read(a));
    assertThat(again.contentId()).isEqualTo(first.contentId());
    Image second = store.putEncoded(b, Image.Header.read(b));
    assertThat(second.contentId()).isEqualTo(ContentIds.of(b) + "-1");
    assertThat(second.bytes()).isEqualTo(b);
    assertThat(first.bytes()).isEqualTo(a);
    assertThat(Files.readAllBytes(dir.resolve("blobs").resolve(ContentIds.of(b) + ".png"))).isEqualTo(png(3));
    store.close();
  }

  /** How a stored blob's file goes away before its content is stored again. */
  private interface Removal {
    void remove(BlobStore store, Image stored) throws Exception;
  }

  /**
   * Stores {@code png}, lets {@code removal} take its file away, and checks that storing it again writes it
   * again, and that the store then counts {@code bytesAfter} (unless negative).
   */
  private void storedAgainAfter(byte[] png, Removal removal, long bytesAfter) throws Exception {
    BlobStore store = BlobStore.open(dir);
    Image first = store.putEncoded(png, Image.Header.read(png));
    store.settle();
    removal.remove(store, first);
    Path file = dir.resolve("blobs").resolve(first.contentId() + ".png");
    assertThat(file).doesNotExist();
    Image again = store.putEncoded(png.clone(), Image.Header.read(png));
    assertThat(again.contentId()).isEqualTo(first.contentId());
    store.settle();
    assertThat(Files.readAllBytes(file)).isEqualTo(png);
    if (bytesAfter >= 0) {
      assertThat(store.bytes()).isEqualTo(bytesAfter);
    }
    store.close();
  }

  @Test
  void aBlobDeletedBehindTheStoresBackIsWrittenAgainWhenItsContentComesBack() throws Exception {
    // the store is not told, so it counts the deleted file until it is opened again: not checked here
    storedAgainAfter(png(7), (store, stored) -> Files.delete(dir.resolve("blobs").resolve(stored.contentId() + ".png")),
        -1);
  }

  @Test
  void aSweptBlobIsWrittenAgainWhenItsContentComesBack() throws Exception {
    storedAgainAfter(png(8), (store, stored) -> {
      store.appended(stored.contentId());
      store.sweep(store.files(), Set.of(), Set.of());
    }, png(8).length);
  }

  @Test
  void aSweepKeepsWhatALiveListOrAPendingRecordNamesAndCountsWhatItFrees() throws Exception {
    BlobStore store = BlobStore.open(dir);
    Path f = Files.write(dir.resolve("ckpt.bin"), new byte[] {1, 2, 3});
    Artifact kept = store.putFile(f, "ckpt.bin");
    store.appended(kept.contentId());
    Image gone = store.putEncoded(png(4), Image.Header.read(png(4)));
    store.appended(gone.contentId());
    Image pending = store.putEncoded(png(5), Image.Header.read(png(5)));
    store.settle(); // the spares the images went into renamed to their ids
    long before = store.bytes();
    store.sweep(store.files(), Set.of(kept.contentId()), Set.of());
    assertThat(Files.exists(kept.file())).isTrue();
    assertThat(pending.bytes()).isEqualTo(png(5));
    assertThat(Files.exists(dir.resolve("blobs").resolve(gone.contentId() + ".png"))).isFalse();
    assertThat(store.bytes()).isEqualTo(before - 32);
    store.close();
  }

  @Test
  void aFileWrittenAfterTheSweepListedTheDirectoryIsNotItsToDelete() throws Exception {
    BlobStore store = BlobStore.open(dir);
    var candidates = store.files();
    // a whole append between the sweep's listing and its deletions: written, listed beside its segment
    // after the sweep read the lists, and no longer pending
    Image late = store.putEncoded(png(6), Image.Header.read(png(6)));
    store.appended(late.contentId());
    store.sweep(candidates, Set.of(), Set.of());
    assertThat(late.bytes()).isEqualTo(png(6));
    store.close();
  }

  @Test
  void imagesAppendedWhileSweepsRunAreAllStillThere() throws Exception {
    Journal journal = Journal.tryOpen(dir, 1 << 20, Long.MAX_VALUE);
    BlobStore blobs = journal.blobs();
    dev.trainlog.api.RunInfo run = dev.trainlog.api.RunInfo.builder().experiment("e").runName("r").runId("r").build();
    java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
    Set<Long> everySegment = java.util.stream.LongStream.range(0, 10_000).boxed().collect(java.util.stream.Collectors.toSet());
    Thread sweeper = new Thread(() -> {
      while (!stop.get()) {
        BlobLists.sweep(dir, everySegment, blobs);
      }
    });
    sweeper.start();
    java.util.List<Image> images = new java.util.ArrayList<>();
    try {
      for (int step = 0; step < 2_000; step++) {
        byte[] png = TestImages.png(2, 2, 0, 32);
        java.nio.ByteBuffer.wrap(png).putInt(24, step); // a content of its own for every step
        Image image = blobs.putEncoded(png, Image.Header.read(png));
        journal.append(run, step, -1, 0, false, java.util.Map.of("img", dev.trainlog.api.Images.of(image)));
        images.add(image);
      }
    } finally {
      stop.set(true);
      sweeper.join();
    }
    blobs.settle(); // the spares filled last renamed to their ids
    assertThat(images).allSatisfy(image ->
        assertThat(dir.resolve("blobs").resolve(image.contentId() + ".png")).as("kept").exists());
    journal.close();
  }
}
