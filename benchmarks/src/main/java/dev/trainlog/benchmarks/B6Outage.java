package dev.trainlog.benchmarks;

import com.sun.management.GarbageCollectionNotificationInfo;
import dev.trainlog.api.LogRecord;
import dev.trainlog.api.RunInfo;
import dev.trainlog.api.RunStatus;
import dev.trainlog.core.LogDispatcher;
import dev.trainlog.core.spec.ChannelSettings;
import dev.trainlog.core.spec.SampleSpec;
import dev.trainlog.spi.LogBackend;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * B6: a 1M-step run with every backend down from start to end, in a JVM of {@code -Xmx64m}: the
 * channels spill to disk instead of holding records in memory. Then the backends come back and each
 * must receive all 1M records exactly once, in step order. Reports the heap (largest amount used
 * and largest live set after a collection), journal bytes and the time to drain.
 *
 * <p>With a fourth argument N above 0, a 512×512 PNG (B10's, each one different) is logged every N steps
 * too: the journal keeps them as files on disk, so the heap bound must hold with them, and every backend
 * must read each image's bytes back after the outage.
 *
 * <p>Arguments: steps (1000000), repeats (3), output JSON file, image every N steps (0: none). Run with
 * {@code java -Xmx64m}.
 */
public final class B6Outage {

  private static final int BACKENDS = 3;

  /** A backend whose open fails until {@link #up} is set; it counts records and checks their order. */
  static final class FlakyBackend implements LogBackend {
    static volatile boolean up;
    long received;
    long nextStep;
    long outOfOrder;
    long images;
    long imageBytes;

    @Override
    public void open() throws IOException {
      if (!up) {
        throw new IOException("connection refused (B6: the backend is down)");
      }
    }

    @Override
    public void write(List<LogRecord> batch) {
      for (LogRecord r : batch) {
        if (r.step() != nextStep) {
          outOfOrder++;
        }
        nextStep = r.step() + 1;
        received++;
        if (r.metrics().get("samples/grid") instanceof dev.trainlog.api.Images im) {
          images++;
          imageBytes += im.get(0).bytes().length; // read from the journal's file, as a backend would
        }
      }
    }
  }

  public static void main(String[] args) throws Exception {
    Harness.quietLogs();
    System.setProperty("org.slf4j.simpleLogger.log.dev.trainlog", "error");
    int steps = Harness.intArg(args, 0, 1_000_000);
    int repeats = Harness.intArg(args, 1, 3);
    Path out = Harness.pathArg(args, 2, "benchmarks/target/results/b6.json");
    int imageEvery = Harness.intArg(args, 3, 0);
    byte[] png = imageEvery > 0 ? B10ImagesInLoop.png512() : null;
    long maxHeap = Runtime.getRuntime().maxMemory();
    System.out.printf("B6: %d steps, %d repeats, max heap %.0f MB%s%n", steps, repeats, maxHeap / 1e6,
        png == null ? "" : String.format(", a %d-byte PNG every %d steps", png.length, imageEvery));
    List<Double> peak = new ArrayList<>();
    List<Double> live = new ArrayList<>();
    List<Double> spool = new ArrayList<>();
    List<Double> logTime = new ArrayList<>();
    List<Double> drain = new ArrayList<>();
    List<Double> delivered = new ArrayList<>();
    List<Double> journal = new ArrayList<>();
    HeapWatch watch = new HeapWatch();
    for (int r = 0; r < repeats; r++) {
      FlakyBackend.up = false;
      Path dir = Fixtures.tempDir("b6");
      FlakyBackend[] backends = new FlakyBackend[BACKENDS];
      // default channel settings, except that retries of open back off to at most 1 s instead of 30 s,
      // so the drain time measures draining, not the last back-off sleep
      ChannelSettings settings = ChannelSettings.defaults()
          .withRetryBackoff(ChannelSettings.DEFAULT_RETRY_INITIAL_BACKOFF, Duration.ofSeconds(1));
      var builder = LogDispatcher.builder(Fixtures.run("b6"));
      for (int b = 0; b < BACKENDS; b++) {
        backends[b] = new FlakyBackend();
        builder.backend("down" + b, backends[b], SampleSpec.every(1), settings);
      }
      LogDispatcher dispatcher = builder.journalDir(dir.resolve("journal")).deadLetterDir(dir.resolve("dead"))
          .shutdownHook(false).build();
      System.gc();
      watch.reset();
      double[] gpu = Fixtures.GPU_UTIL.clone();
      long t0 = System.nanoTime();
      for (int s = 0; s < steps; s++) {
        var step = dispatcher.step(s).scalar("loss", Fixtures.loss(s)).scalar("lr", 1e-4).scalar("grad_norm", 0.5)
            .scalar("tokens_per_s", 5120.0).scalar("epoch", s / 1000.0).vector("gpu_util", gpu);
        if (png != null && s % imageEvery == 0) {
          png[png.length - 20] = (byte) (s / imageEvery); // each image its own file
          png[png.length - 21] = (byte) (s / imageEvery >> 8);
          png[png.length - 22] = (byte) (s / imageEvery >> 16);
          step.image("samples/grid", png);
        }
        step.log();
      }
      long t1 = System.nanoTime();
      long spoolBytes = dispatcher.stats().backends().get("down0").behindBytes();
      long blobBytes = directorySize(dir.resolve("journal"));
      FlakyBackend.up = true;
      boolean flushed = dispatcher.flush(Duration.ofMinutes(10));
      long t2 = System.nanoTime();
      dispatcher.close(RunStatus.FINISHED, Duration.ofMinutes(1));
      long least = Long.MAX_VALUE;
      for (FlakyBackend b : backends) {
        if (b.outOfOrder > 0) {
          throw new IllegalStateException("records out of order or repeated: " + b.outOfOrder);
        }
        least = Math.min(least, b.received == steps && b.nextStep == steps ? b.received : -b.received);
        long wantImages = png == null ? 0 : (steps + imageEvery - 1) / imageEvery;
        if (b.images != wantImages || b.imageBytes != wantImages * (png == null ? 0 : png.length)) {
          throw new IllegalStateException("images lost: " + b.images + " of " + wantImages + " arrived");
        }
      }
      journal.add(blobBytes / 1e6);
      peak.add(watch.peakUsed() / 1e6);
      live.add(watch.peakAfterGc() / 1e6);
      spool.add(spoolBytes / 1e6);
      logTime.add(Harness.seconds(t1 - t0));
      drain.add(Harness.seconds(t2 - t1));
      delivered.add((double) least);
      System.out.printf("B6 repeat %d: flushed=%s, delivered %d per backend, heap peak %.1f MB (live after GC %.1f"
              + " MB), journal %.0f MB behind (%.0f MB on disk with images), logging %.1f s, drain %.1f s%n", r + 1,
          flushed, least, peak.get(r), live.get(r), spool.get(r), journal.get(r), logTime.get(r), drain.get(r));
      Fixtures.deleteTree(dir);
    }
    String k = steps >= 1_000_000 ? steps / 1_000_000 + "M" : steps / 1000 + "k";
    String limit = String.format("-Xmx%.0fm", maxHeap / 1048576.0);
    if (png != null) {
      k += ", a " + png.length / 1000 + " kB PNG every " + imageEvery;
    }
    String who = png == null ? "TrainLog" : "TrainLog with images";
    Row.write(out, List.of(
        Row.of("B6", "outage, " + k + ": journal on disk at the end, segments and image files (MB)", who,
            Harness.toArray(journal), "", new double[0], Row.Target.none(), ""),
        Row.of("B6", "outage, " + k + " steps × 3 backends: heap used, peak (MB)", who + " " + limit,
            Harness.toArray(peak), "", new double[0], Row.Target.atMost(maxHeap / 1e6,
                String.format("< %.0f MiB (%.1f MB)", maxHeap / 1048576.0, maxHeap / 1e6)),
            "peak = largest heap in use at any GC; the JVM cannot exceed -Xmx, finishing without"
                + " OutOfMemoryError is the proof"),
        Row.of("B6", "outage: live heap after GC, largest (MB)", who + " " + limit, Harness.toArray(live), "",
            new double[0], Row.Target.none(), ""),
        Row.of("B6", "outage: journal bytes behind each backend at the end of the run (MB)", who, Harness.toArray(spool), "",
            new double[0], Row.Target.none(), ""),
        Row.of("B6", "outage: time to log " + k + " steps while down (s)", who, Harness.toArray(logTime), "",
            new double[0], Row.Target.none(), ""),
        Row.of("B6", "outage: drain after the backends return, until flush() (s)", who,
            Harness.toArray(drain), "", new double[0], Row.Target.none(), ""),
        Row.of("B6", "outage: records delivered per backend, exactly once, in order", who,
            Harness.toArray(delivered), "", new double[0], Row.Target.equalTo(steps, "= " + steps), "")));
  }

  /** The bytes of the files under {@code dir}; a file renamed or deleted while it is walked (a spare) is passed over. */
  private static long directorySize(Path dir) throws IOException {
    long[] total = {0};
    java.nio.file.Files.walkFileTree(dir, new java.nio.file.SimpleFileVisitor<>() {
      @Override
      public java.nio.file.FileVisitResult visitFile(Path file, java.nio.file.attribute.BasicFileAttributes attrs) {
        if (attrs.isRegularFile()) {
          total[0] += attrs.size();
        }
        return java.nio.file.FileVisitResult.CONTINUE;
      }

      @Override
      public java.nio.file.FileVisitResult visitFileFailed(Path file, IOException e) {
        return java.nio.file.FileVisitResult.CONTINUE;
      }
    });
    return total[0];
  }

  /** Largest heap in use and largest live set after a collection, from GC notifications. */
  static final class HeapWatch {
    private final AtomicLong peakUsed = new AtomicLong();
    private final AtomicLong peakAfterGc = new AtomicLong();
    private final Set<String> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
        .filter(p -> p.getType() == MemoryType.HEAP).map(MemoryPoolMXBean::getName).collect(Collectors.toSet());

    HeapWatch() {
      for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
        ((NotificationEmitter) gc).addNotificationListener((n, h) -> {
          if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
            return;
          }
          var info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData()).getGcInfo();
          peakUsed.accumulateAndGet(heap(info.getMemoryUsageBeforeGc()), Math::max);
          peakAfterGc.accumulateAndGet(heap(info.getMemoryUsageAfterGc()), Math::max);
        }, null, null);
      }
    }

    /** Heap pools only: the notifications also carry metaspace and the code cache. */
    private long heap(Map<String, MemoryUsage> byPool) {
      long total = 0;
      for (Map.Entry<String, MemoryUsage> e : byPool.entrySet()) {
        if (heapPools.contains(e.getKey())) {
          total += e.getValue().getUsed();
        }
      }
      return total;
    }

    void reset() {
      peakUsed.set(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
      peakAfterGc.set(0);
    }

    long peakUsed() {
      return Math.max(peakUsed.get(), ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
    }

    long peakAfterGc() {
      return peakAfterGc.get();
    }
  }
}
