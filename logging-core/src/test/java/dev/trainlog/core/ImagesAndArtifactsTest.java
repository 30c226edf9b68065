package dev.trainlog.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trainlog.api.Artifact;
import dev.trainlog.api.Image;
import dev.trainlog.api.Images;
import dev.trainlog.api.LogRecord;
import dev.trainlog.api.RunInfo;
import dev.trainlog.core.spec.ChannelSettings;
import dev.trainlog.core.spec.OnFull;
import dev.trainlog.core.spec.SampleSpec;
import dev.trainlog.spi.LogBackend;
import dev.trainlog.testkit.TestRecords;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImagesAndArtifactsTest {

  @TempDir Path dir;
  private final RunInfo run = TestRecords.run("exp", "images");
  private final List<LogRecord> stored = Collections.synchronizedList(new ArrayList<>());
  /** Bytes of every image and artifact as the backend read them while writing: the journal's copy goes after. */
  private final java.util.Map<String, byte[]> read = new java.util.concurrent.ConcurrentHashMap<>();
  private final LogBackend backend = batch -> {
    for (LogRecord r : batch) {
      r.metrics().forEach((k, v) -> {
        if (v instanceof Images images) {
          for (int i = 0; i < images.size(); i++) {
            read.put(r.step() + ":" + k + "#" + i, images.get(i).bytes());
          }
        } else if (v instanceof Artifact a) {
          try {
            read.put(r.step() + ":" + k, Files.readAllBytes(a.file()));
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        }
      });
    }
    stored.addAll(batch);
  };

  private LogDispatcher dispatcher(SampleSpec sample) {
    return LogDispatcher.builder(run)
        .backend("mem", backend, sample, ChannelSettings.defaults().withFlushInterval(Duration.ofMillis(10)))
        .journalDir(dir.resolve("journal")).deadLetterDir(dir.resolve("dead")).shutdownHook(false)
        .maxImageSize(100_000)
        .build();
  }

  static byte[] png(int w, int h, int rgb) throws IOException {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        img.setRGB(x, y, rgb + x * 3 + y);
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(img, "png", out);
    return out.toByteArray();
  }

  static byte[] jpeg(int w, int h) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB), "jpg", out);
    return out.toByteArray();
  }

  @Test
  void imagesBesideScalarsArriveWithTheirBytesAndSeveralUnderOneKeyKeepTheirOrder() throws IOException {
    byte[] a = png(4, 3, 0x102030);
    byte[] b = jpeg(5, 7);
    BufferedImage c = new BufferedImage(6, 2, BufferedImage.TYPE_INT_ARGB);
    c.setRGB(1, 1, 0x80FF0000);
    try (LogDispatcher d = dispatcher(SampleSpec.always())) {
      d.step(500).scalar("loss", 0.5).image("samples/grid", a).image("samples/grid", b).image("samples/grid", c)
          .log();
      c.setRGB(1, 1, 0); // the caller changes its image after the call: the logged one is a copy
      assertThat(d.flush(Duration.ofSeconds(10))).isTrue();
    }
    LogRecord r = stored.get(0);
    assertThat(r.scalar("loss")).isEqualTo(0.5);
    Images grid = (Images) r.metrics().get("samples/grid");
    assertThat(grid.list()).extracting(Image::format, Image::width, Image::height).containsExactly(
        org.assertj.core.groups.Tuple.tuple(Image.Format.PNG, 4, 3),
        org.assertj.core.groups.Tuple.tuple(Image.Format.JPEG, 5, 7),
        org.assertj.core.groups.Tuple.tuple(Image.Format.PNG, 6, 2));
    assertThat(read.get("500:samples/grid#0")).isEqualTo(a);
    assertThat(read.get("500:samples/grid#1")).isEqualTo(b);
    BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(read.get("500:samples/grid#2")));
    assertThat(decoded.getRGB(1, 1)).isEqualTo(0x80FF0000);
  }

  @Test
  void badImagesAreRefusedOnTheCallerNamingKeyAndStep() throws IOException {
    try (LogDispatcher d = dispatcher(SampleSpec.always())) {
      assertThatThrownBy(() -> d.step(3).image("samples/x", "GIF89a..".getBytes()))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("step 3: image 'samples/x' is neither PNG nor JPEG (starts with 47 49 46 38 39 61 2e 2e)");
      byte[] big = new byte[100_001];
      assertThatThrownBy(() -> d.step(4).image("samples/x", big))
          .hasMessage("step 4: image 'samples/x' is 100001 bytes, over max-image-size (100000 bytes)");
      Path missing = dir.resolve("nope.png");
      assertThatThrownBy(() -> d.step(5).image("samples/x", missing))
          .hasMessage("step 5: image 'samples/x': no file " + missing);
      assertThatThrownBy(() -> d.artifact(missing, "ckpt/a.bin"))
          .hasMessage("artifact 'ckpt/a.bin': no file or directory " + missing);
      assertThatThrownBy(() -> d.artifact(dir, "../x"))
          .hasMessage("artifact name '../x' must be a relative '/'-separated path without '..',"
              + " e.g. checkpoints/step-500.safetensors");
      d.step(6).scalar("loss", 1).log(); // scalars beside a refused image are never lost
      assertThat(d.flush(Duration.ofSeconds(10))).isTrue();
    }
    assertThat(stored).extracting(LogRecord::step).containsExactly(6L);
  }

  @Test
  void artifactsAreCopiedSoTheOriginalMayBeDeletedAndDirectoriesGiveOnePerFile() throws IOException {
    Path ckpt = Files.write(dir.resolve("lora.safetensors"), new byte[] {1, 2, 3, 4});
    Path samples = Files.createDirectories(dir.resolve("samples"));
    Files.writeString(samples.resolve("b.txt"), "bee");
    Files.createDirectories(samples.resolve("sub"));
    Files.writeString(samples.resolve("sub/a.txt"), "ay");
    try (LogDispatcher d = dispatcher(SampleSpec.every(100))) {
      d.step(7).scalar("loss", 1).log();
      d.artifact(ckpt, "checkpoints/lora.safetensors");
      d.artifact(samples, "samples");
      Files.delete(ckpt);
      assertThat(d.flush(Duration.ofSeconds(10))).isTrue();
    }
    // every: 100 skips step 7's scalars; artifacts are kept by default
    assertThat(stored).hasSize(2);
    Artifact a = (Artifact) stored.get(0).metrics().get("checkpoints/lora.safetensors");
    assertThat(stored.get(0).step()).isEqualTo(7);
    assertThat(a.length()).isEqualTo(4);
    assertThat(read.get("7:checkpoints/lora.safetensors")).containsExactly(1, 2, 3, 4);
    assertThat(new String(read.get("7:samples/sub/a.txt"))).isEqualTo("ay");
    assertThat(stored.get(1).metrics().keySet()).containsExactly("samples/b.txt", "samples/sub/a.txt");
  }

  @Test
  void blobFilesAreDeletedOnceEveryBackendPassedTheirRecords() throws IOException {
    Path journalDir = dir.resolve("journal");
    try (LogDispatcher d = LogDispatcher.builder(run)
        .backend("mem", backend, SampleSpec.always(), ChannelSettings.defaults().withFlushInterval(Duration.ofMillis(5)))
        .journalDir(journalDir).journalSegmentSize(4096).journalLimit(1 << 20, dev.trainlog.core.spec.OnFull.DROP_OLDEST)
        .deadLetterDir(dir.resolve("dead")).shutdownHook(false).build()) {
      d.step(0).image("samples/a", png(8, 8, 0x112233)).log();
      d.flush(Duration.ofSeconds(10));
      for (int step = 1; step < 400; step++) {
        d.step(step).text("pad", "x".repeat(100)).log();
      }
      assertThat(d.flush(Duration.ofSeconds(10))).isTrue();
      d.step(400).text("pad", "y").log(); // a roll after the cursor moved deletes the old segments
      d.flush(Duration.ofSeconds(10));
      try (Stream<Path> blobs = Files.list(Files.list(journalDir).filter(Files::isDirectory).findFirst().orElseThrow()
          .resolve("blobs"))) {
        // what is left is the file made ahead for the next image, not a blob
        assertThat(blobs.map(p -> p.getFileName().toString()).filter(n -> !n.endsWith(".spare")).toList()).isEmpty();
      }
    }
    assertThat(((Images) stored.get(0).metrics().get("samples/a")).get(0).width()).isEqualTo(8);
  }

  @Test
  void aRecordWhoseImageFileIsGoneIsADeadLetterWithItsScalarsAndLaterRecordsStillArrive() throws Exception {
    assertThat(deadLetterReasonsWhenTheImageFile(Files::delete, true))
        .contains("1 record(s) name a file no longer in the journal (image samples/a @ 1);"
            + " no retry can bring it back, kept without it");
  }

  @Test
  void aRecordWhoseImageFileHasOneDamagedByteIsADeadLetterToo_NotAnImageSentAsItIs() throws Exception {
    assertThat(deadLetterReasonsWhenTheImageFile(ImagesAndArtifactsTest::flipABit, true)).contains("1 record(s) name a file no longer in the journal or damaged (image samples/a @ 1, damaged);"
        + " no retry can bring it back, kept without it");
  }

  @Test
  void aBackendThatCallsTheFailureForGoodStillGetsTheRecordsBesideTheDamagedOne() throws Exception {
    // a file backend failing on the unreadable image says "not retryable": only the record naming it is kept aside
    assertThat(deadLetterReasonsWhenTheImageFile(ImagesAndArtifactsTest::flipABit, false))
        .contains("(image samples/a @ 1, damaged)");
  }

  private static void flipABit(Path png) throws IOException {
    byte[] bytes = Files.readAllBytes(png);
    bytes[bytes.length / 2] ^= 0x01; // one bit of the image data, the PNG still well formed around it
    Files.write(png, bytes);
  }

  /**
   * Logs an image at step 1 and scalars at step 2 (one batch) whose writes fail until {@code harm} is done to the
   * image's file: the backend ({@code retryable} or not by its own account) gets step 2 only, one record is failed;
   * returns the dead letters' reasons.
   */
  private String deadLetterReasonsWhenTheImageFile(IoAction harm, boolean retryable) throws Exception {
    Path journalDir = dir.resolve("journal");
    java.util.concurrent.CountDownLatch firstTry = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch harmed = new java.util.concurrent.CountDownLatch(1);
    List<LogRecord> delivered = Collections.synchronizedList(new ArrayList<>());
    LogBackend reading = new LogBackend() {
      @Override
      public void write(List<LogRecord> batch) throws dev.trainlog.spi.BackendException {
        firstTry.countDown();
        if (harmed.getCount() > 0) { // busy until the file is harmed: the retry after it reads it
          throw new dev.trainlog.spi.BackendException("server busy", null, true, List.of());
        }
        for (LogRecord r : batch) {
          r.metrics().values().forEach(v -> {
            if (v instanceof Images images) {
              images.get(0).bytes(); // a file backend reads the bytes as it writes
            }
          });
        }
        delivered.addAll(batch);
      }

      @Override
      public boolean isRetryable(Exception e) {
        // true: as a backend that cannot tell a missing file from a busy disk; false: one that calls any failure
        // to read its input final (the busy server before is retryable either way)
        return retryable || e instanceof dev.trainlog.spi.BackendException;
      }
    };
    try (LogDispatcher d = LogDispatcher.builder(run)
        .backend("files", reading, SampleSpec.always(), ChannelSettings.defaults().withFlushInterval(Duration.ofMillis(50)))
        .journalDir(journalDir).deadLetterDir(dir.resolve("dead")).shutdownHook(false).build()) {
      d.step(1).scalar("loss", 0.5).image("samples/a", png(8, 8, 0x445566)).log();
      d.step(2).scalar("loss", 0.4).log();
      firstTry.await();
      // the file under its content id (a spare is renamed to it in the background)
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> blobBytes(journalDir) > 0);
      try (Stream<Path> files = Files.walk(journalDir)) {
        for (Path p : files.filter(p -> p.getParent().getFileName().toString().equals("blobs")
            && p.getFileName().toString().endsWith(".png")).toList()) {
          harm.run(p);
        }
      }
      harmed.countDown();
      assertThat(d.flush(Duration.ofSeconds(30))).isTrue();
      assertThat(d.stats().backends().get("files").failed()).isEqualTo(1);
    }
    assertThat(delivered).extracting(LogRecord::step).containsExactly(2L);
    try (Stream<Path> files = Files.walk(dir.resolve("dead"))) {
      return Files.readString(files.filter(p -> p.getFileName().toString().equals("reasons.log")).findFirst()
          .orElseThrow());
    }
  }

  /** Something done to a file that may throw. */
  private interface IoAction {
    void run(Path file) throws IOException;
  }

  /** The bytes of the image files in the blob directory of the one journal under {@code journalDir}, spares left out. */
  private static long blobBytes(Path journalDir) throws IOException {
    try (Stream<Path> files = Files.walk(journalDir)) {
      long n = 0;
      for (Path p : files.filter(p -> p.getParent().getFileName().toString().equals("blobs")
          && p.getFileName().toString().endsWith(".png")).toList()) {
        n += Files.size(p);
      }
      return n;
    }
  }

  private static long segmentBytes(Path journalDir) throws IOException {
    try (Stream<Path> files = Files.walk(journalDir)) {
      return files.filter(p -> p.getFileName().toString().endsWith(".seg")).mapToLong(p -> p.toFile().length()).sum();
    }
  }

  /** Distinct PNGs of about 50 kB: noise does not compress. */
  private static byte[] noisyPng(int seed) throws IOException {
    BufferedImage img = new BufferedImage(128, 128, BufferedImage.TYPE_INT_RGB);
    java.util.Random random = new java.util.Random(seed);
    for (int y = 0; y < 128; y++) {
      for (int x = 0; x < 128; x++) {
        img.setRGB(x, y, random.nextInt());
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(img, "png", out);
    return out.toByteArray();
  }

  @Test
  void deliveredImagesAreDeletedWhileTheRunGoesOnThoughTheirRecordsAreFarFromFillingASegment() throws IOException {
    Path journalDir = dir.resolve("journal");
    int segment = 1 << 20;
    long logged = 0;
    try (LogDispatcher d = LogDispatcher.builder(run)
        .backend("mem", backend, SampleSpec.always(), ChannelSettings.defaults().withFlushInterval(Duration.ofMillis(5)))
        .journalDir(journalDir).journalSegmentSize(segment).journalLimit(8L * segment, OnFull.DROP_OLDEST) // rolls at 1 MiB of files
        .deadLetterDir(dir.resolve("dead")).shutdownHook(false).build()) {
      for (int step = 0; step < 200; step++) {
        byte[] png = noisyPng(step);
        logged += png.length;
        d.step(step).scalar("loss", 1.0 / (step + 1)).image("samples/a", png).log(); // about 100 bytes of record each
        if (step % 20 == 19) {
          assertThat(d.flush(Duration.ofSeconds(30))).isTrue();
        }
      }
      assertThat(logged).isGreaterThan(8L * segment);
      // the current segment's files (up to a segment's worth, and the one that went over) and no others, once
      // the last cursor moves (on the backend's thread) and the last roll's release (on the journal's) are done
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
          assertThat(blobBytes(journalDir)).isLessThanOrEqualTo(segment + 100_000L));
    }
    assertThat(stored).hasSize(200);
    for (int step = 0; step < 200; step += 37) {
      assertThat(read.get(step + ":samples/a#0")).as("step %d", step).isEqualTo(noisyPng(step));
    }
  }

  @Test
  void imagesForABackendThatIsDownStayUnderMaxSizeUnderDropOldest() throws IOException {
    Path journalDir = dir.resolve("journal");
    LogBackend down = new LogBackend() {
      @Override
      public void open() throws Exception {
        throw new dev.trainlog.spi.BackendException("connection refused", null, true, List.of());
      }

      @Override
      public void write(List<LogRecord> batch) {
        throw new AssertionError("never opened");
      }
    };
    long maxSize = 4L << 20;
    try (LogDispatcher d = LogDispatcher.builder(run)
        .backend("down", down, SampleSpec.always(), ChannelSettings.defaults())
        .journalDir(journalDir).journalSegmentSize(512 << 10).journalLimit(maxSize, OnFull.DROP_OLDEST)
        .deadLetterDir(dir.resolve("dead")).shutdownHook(false).closeTimeout(Duration.ofMillis(200)).build()) {
      for (int step = 0; step < 200; step++) {
        d.step(step).scalar("loss", 1.0 / (step + 1)).image("samples/a", noisyPng(step)).log();
      }
      // 12 MB of images logged; the journal keeps what max-size allows (its segment files counted) and gives up the rest
      // (once the last roll's release, on the journal's thread, is done)
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
          assertThat(blobBytes(journalDir) + segmentBytes(journalDir)).isLessThanOrEqualTo(maxSize + (512 << 10) + 100_000L));
      assertThat(d.stats().backends().get("down").dropped()).as("given up to stay under max-size").isPositive();
    }
  }

  @Test
  void underDropOldestABatchBeingRetriedKeepsItsImagesThoughTheJournalDropsPastItAndLetsGoOnceWritten() throws Exception {
    Path journalDir = dir.resolve("journal");
    java.util.concurrent.CountDownLatch inFirstWrite = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch serverBack = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.atomic.AtomicReference<String> firstId = new java.util.concurrent.atomic.AtomicReference<>();
    java.util.Map<Long, byte[]> bytesRead = new java.util.concurrent.ConcurrentHashMap<>();
    LogBackend hanging = batch -> {
      if (inFirstWrite.getCount() > 0) {
        firstId.set(((Images) batch.get(0).metrics().get("samples/a")).get(0).contentId());
        inFirstWrite.countDown();
        try {
          serverBack.await(); // a server that does not answer: the batch stays in the worker's hands
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      for (LogRecord r : batch) {
        bytesRead.put(r.step(), ((Images) r.metrics().get("samples/a")).get(0).bytes());
      }
    };
    long maxSize = 2L << 20;
    try (LogDispatcher d = LogDispatcher.builder(run)
        .backend("slow", hanging, SampleSpec.always(), ChannelSettings.defaults().withFlushInterval(Duration.ofMillis(5)))
        .journalDir(journalDir).journalSegmentSize(256 << 10).journalLimit(maxSize, OnFull.DROP_OLDEST)
        .deadLetterDir(dir.resolve("dead")).shutdownHook(false).build()) {
      try {
        d.step(0).scalar("loss", 1.0).image("samples/a", noisyPng(0)).log();
        inFirstWrite.await();
        for (int step = 1; step < 100; step++) { // 5 MB of images: the journal drops past step 0 and deletes its segment
          d.step(step).scalar("loss", 1.0 / (step + 1)).image("samples/a", noisyPng(step)).log();
        }
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
            assertThat(d.stats().backends().get("slow").dropped()).isPositive());
        // the releases after the drops are done once the files are back under max-size: step 0's file is still there
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
            assertThat(blobBytes(journalDir)).isLessThanOrEqualTo(maxSize + (256 << 10) + 100_000L));
        assertThat(blobFile(journalDir, firstId.get())).as("held by the batch being retried").isNotNull();
      } finally {
        serverBack.countDown(); // a failure above does not leave close waiting for the hung write
      }
      assertThat(d.flush(Duration.ofSeconds(30))).isTrue();
      assertThat(bytesRead.get(0L)).isEqualTo(noisyPng(0));
      for (int step = 100; step < 160; step++) { // more images: rolls after the batch was written sweep step 0's file
        d.step(step).scalar("loss", 1.0 / (step + 1)).image("samples/a", noisyPng(step)).log();
      }
      assertThat(d.flush(Duration.ofSeconds(30))).isTrue();
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
          assertThat(blobFile(journalDir, firstId.get())).as("let go once written").isNull());
      assertThat(d.stats().backends().get("slow").failed()).isZero();
    }
    assertThat(dir.resolve("dead")).satisfiesAnyOf(p -> assertThat(p).doesNotExist(), p -> assertThat(p).isEmptyDirectory());
  }

  @Test
  void aBatchStillUnwrittenAtCloseWhoseSegmentsTheJournalGaveUpIsKeptAsDeadLettersWithItsImage() throws Exception {
    Path journalDir = dir.resolve("journal");
    java.util.concurrent.CountDownLatch tried = new java.util.concurrent.CountDownLatch(1);
    LogBackend failing = new LogBackend() {
      @Override
      public void write(List<LogRecord> batch) throws dev.trainlog.spi.BackendException {
        tried.countDown();
        throw new dev.trainlog.spi.BackendException("server busy", null, true, List.of());
      }
    };
    LogDispatcher d = LogDispatcher.builder(run)
        .backend("busy", failing, SampleSpec.always(), ChannelSettings.defaults().withFlushInterval(Duration.ofMillis(5)))
        .journalDir(journalDir).journalSegmentSize(256 << 10).journalLimit(2L << 20, OnFull.DROP_OLDEST)
        .deadLetterDir(dir.resolve("dead")).shutdownHook(false).build();
    d.step(0).scalar("loss", 1.0).image("samples/a", noisyPng(0)).log();
    tried.await();
    for (int step = 1; step < 100; step++) {
      d.step(step).scalar("loss", 1.0 / (step + 1)).image("samples/a", noisyPng(step)).log();
    }
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(d.stats().backends().get("busy").dropped()).isPositive());
    d.close(dev.trainlog.api.RunStatus.FAILED, Duration.ofMillis(300));

    assertThat(d.stats().backends().get("busy").failed()).as("step 0, held by the worker").isEqualTo(1);
    byte[] first = noisyPng(0);
    try (Stream<Path> files = Files.walk(dir.resolve("dead"))) {
      assertThat(files.filter(p -> p.getFileName().toString().endsWith(".png")).map(p -> {
        try {
          return java.util.Arrays.equals(Files.readAllBytes(p), first);
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      })).as("the image kept with its record").contains(true);
    }
  }

  @Test
  void imagesLoggedFromSeveralThreadsAtOnceArriveEachWithItsOwnBytesAndSharedContentIsStoredOnce() throws Exception {
    int threads = 4;
    int perThread = 50;
    byte[][] shared = new byte[perThread][]; // even steps: the same content from every thread at once
    byte[][][] own = new byte[threads][perThread][]; // odd steps: each thread's own
    for (int i = 0; i < perThread; i++) {
      shared[i] = noisyPng(10_000 + i);
      for (int t = 0; t < threads; t++) {
        own[t][i] = noisyPng(20_000 + t * perThread + i);
      }
    }
    java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
    try (LogDispatcher d = dispatcher(SampleSpec.always())) {
      List<java.util.concurrent.Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        done.add(pool.submit(() -> {
          go.await();
          for (int i = 0; i < perThread; i++) {
            byte[] png = i % 2 == 0 ? shared[i] : own[thread][i];
            d.step(thread * 1000L + i).scalar("loss", 1.0 / (i + 1)).image("samples/t" + thread, png).log();
          }
          return null;
        }));
      }
      go.countDown();
      for (java.util.concurrent.Future<?> f : done) {
        f.get(60, java.util.concurrent.TimeUnit.SECONDS);
      }
      assertThat(d.flush(Duration.ofSeconds(60))).isTrue();
      java.util.Set<String> ids = new java.util.HashSet<>();
      synchronized (stored) {
        for (LogRecord r : stored) {
          ids.add(((Images) r.metrics().values().stream().filter(Images.class::isInstance).findFirst().orElseThrow())
              .get(0).contentId());
        }
      }
      assertThat(ids).as("one content id per distinct content").hasSize(perThread / 2 + threads * perThread / 2);
    } finally {
      pool.shutdownNow();
    }
    assertThat(stored).hasSize(threads * perThread);
    for (int t = 0; t < threads; t++) {
      for (int i = 0; i < perThread; i++) {
        assertThat(read.get((t * 1000L + i) + ":samples/t" + t + "#0")).as("thread %d, step %d", t, i)
            .isEqualTo(i % 2 == 0 ? shared[i] : own[t][i]);
      }
    }
  }

  /** The file of the blob {@code id} in the one journal under {@code journalDir} (a filled spare too), or null. */
  private static Path blobFile(Path journalDir, String id) throws IOException {
    try (Stream<Path> files = Files.walk(journalDir)) {
      return files.filter(p -> p.getParent().getFileName().toString().equals("blobs")
          && p.getFileName().toString().startsWith(id + ".")).findFirst().orElse(null);
    }
  }
}
