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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
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
      return files.filter(p -> p.getFileName().toString().endsWith(BlobSpare.SUFFIX)).sorted().toList();
    }
  }

  private static Image put(BlobStore store, byte[] png) throws Exception {
    return store.putEncoded(png, Image.Header.read(png));
  }

  private static void awaitSpares(BlobStore store) {
    await().atMost(Duration.ofSeconds(30)).until(() -> store.sparesReady() == BlobSpares.AHEAD);
  }

  @Test
  void theNextBlobOfAboutTheLastSizeGoesIntoASpareMadeAheadAndIsRenamedWithItsExactLength() throws Exception {
    BlobStore store = BlobStore.open(dir);
    byte[] first = TestImages.png(512, 512, 1, 300_000);
    put(store, first);
    awaitSpares(store);
    List<Path> made = spares();
    assertThat(made).hasSize(BlobSpares.AHEAD);
    assertThat(Files.size(made.get(0))).isEqualTo(BlobSpares.capacityFor(first.length));

    byte[] second = TestImages.png(512, 512, 2, 300_100);
    Image stored = put(store, second);
    assertThat(stored.bytes()).isEqualTo(second);
    store.settle();

    Path file = blobs().resolve(stored.contentId() + ".png");
    assertThat(Files.exists(made.get(0))).as("the first spare was renamed to the content id").isFalse();
    assertThat(Files.readAllBytes(file)).isEqualTo(second);
    assertThat(store.bytes()).isEqualTo(first.length + second.length);
    awaitSpares(store); // and another is made in its place
    store.close();
  }

  @Test
  void aBlobLargerThanTheSparesGoesIntoASpareMadeWithRoomForItAndTheSmallOnesAreReplaced() throws Exception {
    BlobStore store = BlobStore.open(dir);
    put(store, TestImages.png(8, 8, 1, 10_000));
    awaitSpares(store);
    List<Path> small = spares();
    byte[] large = TestImages.png(8, 8, 2, 200_000);
    Image stored = put(store, large);
    assertThat(stored.bytes()).isEqualTo(large);
    await().atMost(Duration.ofSeconds(30)).until(() -> small.stream().noneMatch(Files::exists)
        && store.sparesReady() == BlobSpares.AHEAD);
    assertThat(spares()).hasSize(BlobSpares.AHEAD).allSatisfy(spare ->
        assertThat(Files.size(spare)).isEqualTo(BlobSpares.capacityFor(large.length)));
    store.close();
  }

  @Test
  void aCallerThatFindsNoSpareWaitsForTheOneBeingMadeInsteadOfWritingTheFileItself() throws Exception {
    BlobStore store = BlobStore.open(dir, TimeUnit.MINUTES.toNanos(1)); // here the wait never runs out
    long writtenBefore = BlobStore.writtenByCallers();
    byte[] png = TestImages.png(64, 64, 1, 40_000);
    Image image = put(store, png); // the first image: no spare made yet
    assertThat(BlobStore.writtenByCallers()).as("written by the caller itself").isEqualTo(writtenBefore);
    assertThat(image.bytes()).isEqualTo(png);
    store.settle();
    assertThat(blobs().resolve("next-1" + BlobSpare.SUFFIX)).as("the first spare made took it").doesNotExist();
    assertThat(Files.readAllBytes(blobs().resolve(image.contentId() + ".png"))).isEqualTo(png);
    store.close();
  }

  @Test
  @Timeout(60)
  void aCallerWaitingForASpareThatCannotBeMadeIsToldAndWritesTheFileItself() throws Exception {
    BlobStore store = BlobStore.open(dir, TimeUnit.HOURS.toNanos(1)); // only the spare thread's word ends the wait
    Files.createDirectories(blobs().resolve("next-1" + BlobSpare.SUFFIX)); // where the first spare would be made
    long writtenBefore = BlobStore.writtenByCallers();
    byte[] png = TestImages.png(64, 64, 2, 40_000);
    Image image = put(store, png);
    assertThat(BlobStore.writtenByCallers()).as("written by the caller itself").isEqualTo(writtenBefore + 1);
    assertThat(Files.readAllBytes(blobs().resolve(image.contentId() + ".png"))).isEqualTo(png);
    store.close();
  }

  @Test
  void aSweepLeavesTheSparesAndCloseDeletesThem() throws Exception {
    BlobStore store = BlobStore.open(dir);
    Image gone = put(store, TestImages.png(8, 8, 3, 5_000));
    store.appended(gone.contentId());
    awaitSpares(store);
    store.sweep(store.files(), Set.of(), Set.of());
    assertThat(Files.exists(blobs().resolve(gone.contentId() + ".png"))).isFalse();
    assertThat(spares()).hasSize(BlobSpares.AHEAD);
    assertThat(store.bytes()).isZero();
    store.close();
    assertThat(spares()).isEmpty();
  }

  /** A store that stored a 50,000-byte image, made its spares, and renames nothing until {@code release} opens. */
  private BlobStore heldAfterAFirstImage(CountDownLatch release) throws Exception {
    BlobStore store = BlobStore.open(dir);
    put(store, TestImages.png(64, 64, 1, 50_000));
    awaitSpares(store);
    store.holdBackground(release);
    return store;
  }

  @Test
  void aFilledSpareIsReadBeforeItIsRenamedAndNoSweepDeletesIt() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    BlobStore store = heldAfterAFirstImage(release);
    byte[] png = TestImages.png(64, 64, 2, 50_001);
    Image image = put(store, png);
    store.appended(image.contentId()); // its record is gone too: only the spare's name keeps it
    Path file = blobs().resolve(image.contentId() + ".png");

    assertThat(file).doesNotExist();
    assertThat(image.bytes()).as("read from the spare").isEqualTo(png);
    store.sweep(store.files(), Set.of(), Set.of());
    assertThat(image.bytes()).as("still there after a sweep").isEqualTo(png);
    assertThat(store.bytes()).as("counted while in its spare").isEqualTo(50_000 + 50_001);

    release.countDown();
    store.settle();
    assertThat(Files.readAllBytes(file)).isEqualTo(png);
    assertThat(image.bytes()).isEqualTo(png);
    store.close();
  }

  @Test
  void anEqualImageStoredWhileTheFirstIsInItsSpareLeavesOneFileCountedOnce() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    BlobStore store = heldAfterAFirstImage(release);
    byte[] png = TestImages.png(64, 64, 2, 50_001);
    Image first = put(store, png);
    Image again = put(store, png.clone());
    assertThat(again.contentId()).isEqualTo(first.contentId());
    assertThat(store.sparesReady()).as("the second took no spare").isEqualTo(BlobSpares.AHEAD - 1);
    release.countDown();
    store.settle();
    try (Stream<Path> files = Files.list(blobs())) {
      assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(first.contentId())).toList())
          .containsExactly(first.contentId() + ".png");
    }
    assertThat(store.bytes()).isEqualTo(50_000 + 50_001);
    store.close();
  }

  @Test
  void aSpareLeftEmptyByAProcessThatIsGoneIsDeletedOnOpenAndNotCounted() throws Exception {
    Files.createDirectories(blobs());
    Files.write(blobs().resolve("next-7" + BlobSpare.SUFFIX), new byte[70_000]);
    byte[] kept = TestImages.png(8, 8, 4, 1_000);
    Files.write(blobs().resolve(ContentIds.of(kept) + ".png"), kept);
    BlobStore store = BlobStore.open(dir);
    assertThat(spares()).isEmpty();
    assertThat(store.bytes()).isEqualTo(1_000);
    store.close();
  }

  /** A spare as a killed caller leaves it: the bytes, zeros, and the trailer at the end. */
  private static byte[] filledSpare(byte[] data, String name) {
    int capacity = BlobSpares.capacityFor(data.length);
    byte[] spare = new byte[capacity];
    System.arraycopy(data, 0, spare, 0, data.length);
    String id = name.substring(0, name.indexOf('.'));
    byte[] trailer = BlobSpare.trailer(data.length, id, name.substring(name.indexOf('.') + 1));
    System.arraycopy(trailer, 0, spare, capacity - BlobSpare.TRAILER, BlobSpare.TRAILER);
    return spare;
  }

  @Test
  void aFilledSpareAndOneHalfWayToItsNameArePublishedOnOpenWithTheirExactBytes() throws Exception {
    Files.createDirectories(blobs());
    byte[] a = TestImages.png(8, 8, 5, 3_000);
    byte[] b = TestImages.png(8, 8, 6, 4_000);
    String nameA = ContentIds.of(a) + ".png";
    String nameB = ContentIds.of(b) + ".png";
    Files.write(blobs().resolve("next-3" + BlobSpare.SUFFIX), filledSpare(a, nameA));
    Files.write(blobs().resolve(nameB + BlobSpare.FILLED), filledSpare(b, nameB)); // renamed, not cut yet
    BlobStore store = BlobStore.open(dir);
    try (Stream<Path> files = Files.list(blobs())) {
      assertThat(files.map(p -> p.getFileName().toString()).toList()).containsExactlyInAnyOrder(nameA, nameB);
    }
    assertThat(Files.readAllBytes(blobs().resolve(nameA))).isEqualTo(a);
    assertThat(Files.readAllBytes(blobs().resolve(nameB))).isEqualTo(b);
    assertThat(store.bytes()).isEqualTo(7_000);
    store.close();
  }

  @Test
  void aSpareWhoseBytesAreNotTheContentItsTrailerNamesIsDeletedOnOpen() throws Exception {
    Files.createDirectories(blobs());
    byte[] a = TestImages.png(8, 8, 7, 3_000);
    byte[] spare = filledSpare(a, ContentIds.of(a) + ".png");
    spare[100] ^= 1;
    Files.write(blobs().resolve("next-4" + BlobSpare.SUFFIX), spare);
    BlobStore store = BlobStore.open(dir);
    try (Stream<Path> files = Files.list(blobs())) {
      assertThat(files.toList()).isEmpty();
    }
    assertThat(store.bytes()).isZero();
    store.close();
  }

  @Test
  void theCapacityIsTheLengthAndTheSlackInWholePages() {
    assertThat(BlobSpares.capacityFor(1)).isEqualTo(BlobSpares.SLACK + 4096);
    assertThat(BlobSpares.capacityFor(737_000)).isEqualTo(753_664);
    assertThat(BlobSpares.capacityFor(737_000) % 4096).isZero();
  }

  @Test
  void eightSparesAreKeptAheadOfImagesUpTo4MiBFewerOfLargerOnesAndOneOver16MiB() {
    assertThat(BlobSpares.aheadFor(BlobSpares.capacityFor(737_000))).isEqualTo(8);
    assertThat(BlobSpares.aheadFor(BlobSpares.capacityFor(5 << 20))).isEqualTo(6);
    assertThat(BlobSpares.aheadFor(BlobSpares.capacityFor(10 << 20))).isEqualTo(3);
    assertThat(BlobSpares.aheadFor(BlobSpares.capacityFor(20 << 20))).isEqualTo(1);
  }

  @Test
  void aContentIdIsTheCrc32cOfEachHalfAndTheLengthAndAFileGetsTheIdItsBytesGet() throws Exception {
    byte[] data = {1, 2, 3, 4, 5};
    java.util.zip.CRC32C first = new java.util.zip.CRC32C();
    first.update(data, 0, 2);
    java.util.zip.CRC32C second = new java.util.zip.CRC32C();
    second.update(data, 2, 3);
    assertThat(ContentIds.of(data)).isEqualTo(String.format("%08x%08x-%x", first.getValue(), second.getValue(), 5));
    assertThat(ContentIds.of(new byte[0])).isEqualTo("0000000000000000-0");
    byte[] large = TestImages.png(64, 64, 9, 200_000); // several reads of the file, the half inside one
    Path file = Files.write(dir.resolve("large.bin"), large);
    assertThat(ContentIds.of(file)).isEqualTo(ContentIds.of(large));
    byte[] changed = large.clone();
    changed[150_000] ^= 1; // in the second half
    assertThat(ContentIds.of(changed)).isNotEqualTo(ContentIds.of(large));
  }

  /** The id earlier versions gave a content: the CRC-32C and the CRC-32 of the whole and the length. */
  private static String earlierId(byte[] data) {
    java.util.zip.CRC32C c = new java.util.zip.CRC32C();
    c.update(data);
    java.util.zip.CRC32 d = new java.util.zip.CRC32();
    d.update(data);
    return String.format("%08x%08x-%x", c.getValue(), d.getValue(), data.length);
  }

  @Test
  void aSpareFilledByAnEarlierVersionUnderItsKindOfIdIsPublishedOnOpenAndADamagedOneDeleted() throws Exception {
    Files.createDirectories(blobs());
    byte[] a = TestImages.png(8, 8, 10, 3_000);
    byte[] b = TestImages.png(8, 8, 11, 3_000);
    String nameA = earlierId(a) + ".png";
    assertThat(nameA).isNotEqualTo(ContentIds.of(a) + ".png");
    Files.write(blobs().resolve("next-5" + BlobSpare.SUFFIX), filledSpare(a, nameA));
    byte[] damaged = filledSpare(b, earlierId(b) + ".png");
    damaged[2_000] ^= 1;
    Files.write(blobs().resolve("next-6" + BlobSpare.SUFFIX), damaged);
    BlobStore store = BlobStore.open(dir);
    try (Stream<Path> files = Files.list(blobs())) {
      assertThat(files.map(p -> p.getFileName().toString()).toList()).containsExactly(nameA);
    }
    assertThat(Files.readAllBytes(blobs().resolve(nameA))).isEqualTo(a);
    store.close();
  }

  @Test
  void bytesMatchTheirIdOfThisVersionOrAnEarlierOneWithOrWithoutASuffixAndNotOnceAByteChanged() {
    byte[] png = TestImages.png(8, 8, 12, 3_000);
    String id = ContentIds.of(png);
    assertThat(ContentIds.matches(id, png)).isTrue();
    assertThat(ContentIds.matches(id + "-2", png)).as("another content took the id first").isTrue();
    assertThat(ContentIds.matches(earlierId(png), png)).isTrue();
    assertThat(ContentIds.matches(earlierId(png) + "-1", png)).isTrue();
    byte[] damaged = png.clone();
    damaged[100] ^= 0x10;
    assertThat(ContentIds.matches(id, damaged)).isFalse();
    assertThat(ContentIds.matches(earlierId(png), damaged)).isFalse();
    String sha256 = dev.trainlog.api.Image.of(png).contentId(); // adopted into a store as it is: not a content id
    assertThat(ContentIds.isOne(sha256)).isFalse();
    assertThat(ContentIds.matches(sha256, damaged)).as("not checked").isTrue();
  }
}
