package dev.trainlog.benchmarks;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import de.bwaldvogel.mongo.MongoServer;
import dev.trainlog.api.Image;
import dev.trainlog.api.RunInfo;
import dev.trainlog.api.RunStatus;
import dev.trainlog.core.LogDispatcher;
import dev.trainlog.core.StepBuilder;
import dev.trainlog.core.internal.journal.BlobStore;
import dev.trainlog.core.spec.ChannelSettings;
import dev.trainlog.core.spec.Reduce;
import dev.trainlog.core.spec.SampleSpec;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;

/**
 * B10: B2's loop (about 100 µs of work and six values per step, TensorBoard every step, MongoDB every 10
 * mean-reduced, JSON lines every 100) with a 512×512 PNG logged every 10 steps. Measures what an image
 * costs the training thread (the extra time inside the image step's calls) against copying the PNG's bytes
 * twice, both into two cache-hot arrays and, in the same loop measured the same way, into new arrays; and the
 * loop's slowdown with images against B2's loop without them.
 */
public final class B10ImagesInLoop {

  private static final long STEP_NANOS = 100_000;
  private static final int STORE_PUTS = 200;

  /** What an image step does besides the step's scalars. */
  private enum Images {
    /** Nothing: B2's loop. */
    NONE,
    /** {@code image("samples/grid", png)}: TrainLog. */
    TRAINLOG,
    /** The PNG copied twice into arrays allocated there, as a logger that copies twice does. */
    COPY_TWICE
  }

  /**
   * The runs' directories, deleted when the benchmark ends, not after each run: on a file system that checks
   * for recently deleted inodes when it makes a file (ext4 without a journal, as here), thousands of files
   * deleted by one run make the next run's new files slower for minutes.
   */
  private static final List<Path> RUN_DIRS = new ArrayList<>();

  /** The last copies made by {@link Images#COPY_TWICE}, kept alive as a logger's queue would keep them. */
  private static final byte[][] COPIES = new byte[4][];

  private B10ImagesInLoop() {}

  public static void main(String[] args) throws Exception {
    Harness.quietLogs();
    int steps = Harness.intArg(args, 0, 20_000);
    int repeats = Harness.intArg(args, 1, 3);
    Path out = Harness.pathArg(args, 2, "benchmarks/target/results/b10.json");
    byte[] png = png512();
    MongoServer server = Harness.startMongo();
    try {
      CpuWork work = CpuWork.calibrate(STEP_NANOS);
      String uri = Harness.uri(server);
      System.out.printf("B10: %d steps, %d repeats, a %d-byte 512×512 PNG every 10 steps%n", steps, repeats,
          png.length);
      run(work, uri, Math.min(steps, 5_000), png, Images.TRAINLOG); // warm-up, not recorded
      run(work, uri, Math.min(steps, 5_000), png, Images.COPY_TWICE);
      run(work, uri, Math.min(steps, 5_000), png, Images.NONE);
      List<Double> perImage = new ArrayList<>();
      List<Double> cpuPerImage = new ArrayList<>();
      List<Double> copyTwice = new ArrayList<>();
      List<Double> copyTwiceInLoop = new ArrayList<>();
      List<Double> copyTwiceInLoopWall = new ArrayList<>();
      List<Double> storeCpu = new ArrayList<>();
      List<Double> storeWall = new ArrayList<>();
      List<Double> withImages = new ArrayList<>();
      List<Double> without = new ArrayList<>();
      List<Double> loopWithImages = new ArrayList<>();
      List<Double> loopWithout = new ArrayList<>();
      for (int r = 0; r < repeats; r++) {
        double[] no = run(work, uri, steps, png, Images.NONE);
        double[] yes = run(work, uri, steps, png, Images.TRAINLOG);
        double[] copies = run(work, uri, steps, png, Images.COPY_TWICE);
        without.add(no[0]);
        withImages.add(yes[0]);
        loopWithout.add(no[5]);
        loopWithImages.add(yes[5]);
        // the image step's time in the calls minus a plain step's, per image
        perImage.add((yes[1] - yes[2]) * 1e6);
        cpuPerImage.add((yes[3] - yes[4]) * 1e6);
        copyTwice.add(copyTwiceMicros(png));
        // the same figure for a logger that copies the bytes twice into new arrays, measured the same way
        copyTwiceInLoop.add((copies[3] - copies[4]) * 1e6);
        copyTwiceInLoopWall.add((copies[1] - copies[2]) * 1e6);
        double[] alone = blobStoreAlone(png, work);
        storeWall.add(alone[0]);
        storeCpu.add(alone[1]);
        System.out.printf("B10 repeat %d: loop %.3f s without images, %.3f s with; per image %.1f µs in the"
            + " caller (a plain step %.1f µs), its CPU time %.1f µs (a plain step %.1f µs), copying its bytes twice"
            + " %.1f µs%n", r, no[0], yes[0], perImage.get(r), yes[2] * 1e6, cpuPerImage.get(r), yes[4] * 1e6,
            copyTwice.get(r));
        System.out.printf("B10 repeat %d: images written by the caller itself, no spare being ready: %.0f of %.0f;"
            + " the caller waited for a spare being made %.0f times, %.1f ms in all%n", r, yes[6], yes[7], yes[8], yes[9]);
        System.out.printf("B10 repeat %d: the loop alone, until its last log() returned: %.3f s without images, %.3f s"
            + " with (B2's slowdown with images %.1f %%); the rest is close, the backends draining%n", r, no[5], yes[5],
            (yes[5] / no[5] - 1) * 100);
        System.out.printf("B10 repeat %d: copying its bytes twice into new arrays in the same loop: %.1f µs CPU per"
            + " image, %.1f µs in the caller%n", r, copyTwiceInLoop.get(r), copyTwiceInLoopWall.get(r));
        System.out.printf("B10 repeat %d: the blob store's put alone, median of %d puts 10 steps apart: %.1f µs, CPU %.1f µs%n",
            r, STORE_PUTS, alone[0], alone[1]);
      }
      Row.write(out, List.of(
          Row.of("B10", "training thread's extra time per 512×512 PNG (µs)", "TrainLog, image()", Harness
              .toArray(perImage), "copying the PNG's bytes twice", Harness.toArray(copyTwice), Row.Target.none(),
              "time inside step(n)...image(..).log() minus a step without an image; the bytes are hashed and"
              + " written to the journal's blob file on the caller"),
          Row.of("B10", "training thread's extra CPU time per 512×512 PNG (µs)", "TrainLog, image()", Harness
              .toArray(cpuPerImage), "copying the PNG's bytes twice", Harness.toArray(copyTwice), Row.Target.none(),
              "the caller thread's CPU time (ThreadMXBean) in the image step's calls minus a plain step's: the wall"
              + " time without the waits for a core on a loaded machine"),
          Row.of("B10", "training thread's extra CPU time per 512×512 PNG (µs), against copying it twice in the loop",
              "TrainLog, image()", Harness.toArray(cpuPerImage), "the same loop copying the PNG twice into new arrays",
              Harness.toArray(copyTwiceInLoop), Row.Target.none(), "both the caller's CPU time in an image step minus a"
              + " plain step's, in the same run; the baseline allocates two arrays and copies into them where"
              + " TrainLog's loop calls image()"),
          Row.of("B10", "the same, wall time in the calls (µs)", "TrainLog, image()", Harness.toArray(perImage),
              "the same loop copying the PNG twice into new arrays", Harness.toArray(copyTwiceInLoopWall),
              Row.Target.none(), "time inside the image step's calls minus a plain step's"),
          Row.of("B10", "the journal's blob store alone: one 512×512 PNG stored, median of " + STORE_PUTS
              + " puts 10 steps of work apart (µs)", "TrainLog BlobStore.putEncoded, wall", Harness.toArray(storeWall),
              "its CPU time", Harness.toArray(storeCpu), Row.Target.none(), "no backends, no record: the file"
              + " written on the caller and nothing else; the gap lets the next spare file be made"),
          Row.of("B10", steps + " steps, incl. close (s)", "TrainLog with a PNG every 10 steps",
              Harness.toArray(withImages), "the same loop without images", Harness.toArray(without),
              Row.Target.none(), "TB every step (images too), MongoDB every 10 mean (GridFS), JSON lines every 100"),
          Row.of("B10", steps + " steps until the last log() returned, before close (s)",
              "TrainLog with a PNG every 10 steps", Harness.toArray(loopWithImages), "the same loop without images",
              Harness.toArray(loopWithout), Row.Target.none(), "B2's slowdown with images: what the training loop"
              + " itself took; close then waits for the backends to write every image")));
    } finally {
      server.shutdownNow();
      RUN_DIRS.forEach(Fixtures::deleteTree);
    }
  }

  /**
   * {total seconds incl. close, mean seconds in the calls of an image step, of a plain step, mean CPU seconds
   * of the caller in an image step's calls, in a plain step's, seconds of the loop alone (until close), images
   * the caller wrote to their files itself (no spare ready), image steps, times the caller waited for a spare
   * being made, milliseconds it waited in all}.
   */
  private static double[] run(CpuWork work, String uri, int steps, byte[] png, Images images) throws Exception {
    Path dir = Fixtures.tempDir("b10");
    RunInfo run = Fixtures.run("b10-" + images.name().toLowerCase(java.util.Locale.ROOT));
    LogDispatcher dispatcher = LogDispatcher.builder(run)
        .backend("tensorboard", Harness.tensorBoardBackend(run, dir.resolve("tb"), dir.resolve("data")),
            SampleSpec.every(1), ChannelSettings.defaults())
        .backend("mongo", Harness.mongoBackend(run, uri, "b10", "steps", dir.resolve("data")),
            SampleSpec.every(10).reduce(Reduce.MEAN), ChannelSettings.defaults())
        .backend("jsonl", "jsonl", java.util.Map.of("path", dir.resolve("run.jsonl").toString()), SampleSpec.every(100),
            ChannelSettings.defaults())
        .journalDir(dir.resolve("journal")).deadLetterDir(dir.resolve("dead")).shutdownHook(false).build();
    double[] gpu = Fixtures.GPU_UTIL.clone();
    long acc = 0;
    long inImageSteps = 0;
    long imageSteps = 0;
    long inPlainSteps = 0;
    long plainSteps = 0;
    long cpuImageSteps = 0;
    long cpuPlainSteps = 0;
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long writtenBefore = BlobStore.writtenByCallers();
    long[] waitsBefore = BlobStore.spareWaits();
    long t0 = System.nanoTime();
    for (int s = 0; s < steps; s++) {
      acc += work.step(s);
      long c0 = threads.getCurrentThreadCpuTime();
      long l0 = System.nanoTime();
      StepBuilder b = dispatcher.step(s).scalar("loss", Fixtures.loss(s)).scalar("lr", 1e-4)
          .scalar("grad_norm", 0.5 + (s % 7) * 0.01).scalar("tokens_per_s", 5120.0).scalar("epoch", s / 1000.0)
          .vector("gpu_util", gpu);
      boolean image = images != Images.NONE && s % 10 == 0;
      if (image && images == Images.COPY_TWICE) {
        png[png.length - 20] = (byte) s;
        byte[] first = new byte[png.length];
        System.arraycopy(png, 0, first, 0, png.length);
        byte[] second = new byte[first.length];
        System.arraycopy(first, 0, second, 0, first.length);
        int slot = s / 10 * 2; // the last two images' copies stay alive
        COPIES[slot % COPIES.length] = first;
        COPIES[(slot + 1) % COPIES.length] = second;
      } else if (image) {
        // each step's image its own, as generated samples are (one byte alone repeats after 128 images, and
        // a repeated image costs a comparison with the stored file instead of a write)
        png[png.length - 20] = (byte) s;
        png[png.length - 21] = (byte) (s >> 8);
        png[png.length - 22] = (byte) (s >> 16);
        b.image("samples/grid", png);
      }
      b.log();
      long dt = System.nanoTime() - l0;
      long cpu = threads.getCurrentThreadCpuTime() - c0;
      if (image) {
        inImageSteps += dt;
        cpuImageSteps += cpu;
        imageSteps++;
      } else {
        inPlainSteps += dt;
        cpuPlainSteps += cpu;
        plainSteps++;
      }
    }
    long loopEnd = System.nanoTime(); // the training loop is done; close waits for the backends to drain
    long writtenInLoop = BlobStore.writtenByCallers() - writtenBefore;
    long[] waitsAfter = BlobStore.spareWaits();
    boolean delivered = dispatcher.close(RunStatus.FINISHED, Duration.ofMinutes(5));
    long t1 = System.nanoTime();
    if (!delivered) {
      System.out.println("B10: not everything was delivered: " + dispatcher.stats());
    }
    try (MongoClient client = MongoClients.create(uri)) {
      client.getDatabase("b10").drop();
    }
    RUN_DIRS.add(dir);
    if (acc == 42) {
      System.out.print("");
    }
    return new double[] {Harness.seconds(t1 - t0), imageSteps == 0 ? 0 : inImageSteps / 1e9 / imageSteps,
        plainSteps == 0 ? 0 : inPlainSteps / 1e9 / plainSteps, imageSteps == 0 ? 0 : cpuImageSteps / 1e9 / imageSteps,
        plainSteps == 0 ? 0 : cpuPlainSteps / 1e9 / plainSteps, Harness.seconds(loopEnd - t0),
        writtenInLoop, imageSteps, waitsAfter[0] - waitsBefore[0], (waitsAfter[1] - waitsBefore[1]) / 1e6};
  }

  /**
   * {median wall µs, median CPU µs} of storing {@code png} (each time a different image) in a fresh blob store,
   * ten of {@code work}'s steps apart: computing between puts as training does, not spinning in
   * {@code Thread.onSpinWait} (a PAUSE loop, which a hypervisor may treat as a guest with nothing to do).
   */
  private static double[] blobStoreAlone(byte[] png, CpuWork work) throws Exception {
    Path dir = Fixtures.tempDir("b10-store");
    BlobStore store = BlobStore.open(dir);
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long[] wall = new long[STORE_PUTS];
    long[] cpu = new long[STORE_PUTS];
    Image.Header header = Image.Header.read(png);
    for (int i = -STORE_PUTS / 4; i < STORE_PUTS; i++) { // the first quarter warms up
      png[png.length - 20] = (byte) i;
      png[png.length - 21] = (byte) (i >> 8);
      long c0 = threads.getCurrentThreadCpuTime();
      long t0 = System.nanoTime();
      store.putEncoded(png, header);
      long t1 = System.nanoTime();
      long c1 = threads.getCurrentThreadCpuTime();
      if (i >= 0) {
        wall[i] = t1 - t0;
        cpu[i] = c1 - c0;
      }
      for (int s = 0; s < 10; s++) {
        work.step(i * 10L + s); // training between two images
      }
    }
    if ((Object) store instanceof AutoCloseable closeable) {
      closeable.close(); // stops making spare files (a store from before they were made has nothing to close)
    }
    RUN_DIRS.add(dir);
    java.util.Arrays.sort(wall);
    java.util.Arrays.sort(cpu);
    return new double[] {wall[STORE_PUTS / 2] / 1e3, cpu[STORE_PUTS / 2] / 1e3};
  }

  /** Microseconds to copy {@code bytes} twice, the target for an image's cost on the caller. */
  private static double copyTwiceMicros(byte[] bytes) {
    byte[] a = new byte[bytes.length];
    byte[] b = new byte[bytes.length];
    long best = Long.MAX_VALUE;
    for (int i = 0; i < 200; i++) {
      long t0 = System.nanoTime();
      System.arraycopy(bytes, 0, a, 0, bytes.length);
      System.arraycopy(a, 0, b, 0, bytes.length);
      best = Math.min(best, System.nanoTime() - t0);
      bytes[0] ^= b[1];
    }
    return best / 1e3;
  }

  /** A 512×512 PNG of noise over a gradient: about as compressible as a generated sample. */
  static byte[] png512() throws Exception {
    BufferedImage img = new BufferedImage(512, 512, BufferedImage.TYPE_INT_RGB);
    Random random = new Random(10);
    for (int y = 0; y < 512; y++) {
      for (int x = 0; x < 512; x++) {
        int n = random.nextInt(48);
        img.setRGB(x, y, ((x / 2 + n) & 0xFF) << 16 | ((y / 2 + n) & 0xFF) << 8 | ((x + y) / 4 & 0xFF));
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(img, "png", out);
    return out.toByteArray();
  }
}
