package dev.trainlog.core.internal.journal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The spare files the next blobs are copied into ({@link BlobSpare}), {@value #AHEAD} made ahead on one
 * background thread, which also publishes the filled ones: so storing an image about the size of the last
 * one costs the caller a copy into pages already in the page cache and a small trailer, nothing more.
 */
final class BlobSpares {

  private static final Logger log = LoggerFactory.getLogger(BlobSpares.class);
  private static final AtomicLong WAITS = new AtomicLong();
  private static final AtomicLong WAITED_NANOS = new AtomicLong();
  /** Room above the last blob's size, for a next image a little larger than it. */
  static final int SLACK = 16 << 10;
  /**
   * Spares kept ready, fewer for large images ({@link #MAX_AHEAD_BYTES}): B10 on two cores at load 10–14
   * had the caller write 45–53% of its images itself with one ahead, 17–35% with two, 13–27% with four;
   * at load 3–8, 4 runs each alternating, 641 of 7,000 with four and 497 with eight.
   */
  static final int AHEAD = 8;
  /** At most this many bytes of spares ahead: one spare alone for images over 16 MiB. */
  static final int MAX_AHEAD_BYTES = 32 << 20;
  private static final int PAGE = 4096;
  /** How long a caller waits for the spare being made before it writes the file itself. */
  static final long WAIT_NANOS = 20_000_000;

  private final Path dir;
  private final long waitNanos;
  private final ConcurrentLinkedQueue<BlobSpare> ready = new ConcurrentLinkedQueue<>();
  /** Spares in {@link #ready}, and the capacity the next ones are made with. */
  private final AtomicInteger readyCount = new AtomicInteger();
  private volatile int wanted;
  private final AtomicLong names = new AtomicLong();
  private final ThreadPoolExecutor maker;
  /** What a caller waiting for a spare waits on; {@link #waiting} says whether one does. */
  private final Object arrivals = new Object();
  private volatile int waiting;
  /** The last spare could not be made (a full device): callers write their files themselves, without waiting. */
  private volatile boolean failing;
  private volatile boolean closed;
  /**
   * Whether {@link #dir} was made (on the maker thread only): {@code Files.createDirectories} on a directory
   * that is there throws and catches an exception with its stack trace, once per spare in B10.
   */
  private boolean dirMade;

  BlobSpares(Path dir, long waitNanos) {
    this.dir = dir;
    this.waitNanos = waitNanos;
    this.maker = BackgroundThread.named("trainlog-blob-spare"); // a journal without images never starts it
  }

  /**
   * A spare with room for {@code length} bytes: one made ahead, or else the one being made, waited for up to
   * {@link #WAIT_NANOS} (tests open stores with other bounds). Null when none comes in that time or the
   * background cannot make them (a full device): the caller then writes the file itself. One taken is handed
   * back with {@link #filled}.
   */
  BlobSpare take(int length) {
    wanted = capacityFor(length); // the next spares are sized for the last blob, as the one before it was
    BlobSpare spare = poll(length, true);
    if (spare != null || failing || closed || Thread.currentThread().isInterrupted()) {
      return spare;
    }
    // Waiting costs the caller no CPU, where writing the file itself cost it about 2.2 ms of CPU each in B10
    // (a new file, its pages and blocks, and the directory's lock the spare thread takes too), and the loop
    // about as much time as the wait: B10's loop took as long either way
    long start = System.nanoTime();
    long deadline = start + waitNanos;
    synchronized (arrivals) {
      waiting++;
      try {
        while ((spare = poll(length, false)) == null && !failing && !closed) {
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            break;
          }
          arrivals.wait(left / 1_000_000, (int) (left % 1_000_000));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt(); // the caller writes the file itself, and sees its interrupt
      } finally {
        waiting--;
      }
    }
    WAITS.incrementAndGet();
    WAITED_NANOS.addAndGet(System.nanoTime() - start);
    return spare;
  }

  /** {times a caller waited for a spare, nanoseconds it waited in all}, in this process (B10 reports them). */
  static long[] waits() {
    return new long[] {WAITS.get(), WAITED_NANOS.get()};
  }

  /**
   * A ready spare that fits {@code length}, or null; those too small are deleted in the background, and more
   * are asked for when {@code askForMore} or some were too small.
   */
  private BlobSpare poll(int length, boolean askForMore) {
    List<BlobSpare> tooSmall = null;
    BlobSpare spare;
    while ((spare = ready.poll()) != null) {
      readyCount.decrementAndGet();
      if (spare.fits(length)) {
        return spare;
      }
      if (tooSmall == null) {
        tooSmall = new ArrayList<>(AHEAD);
      }
      tooSmall.add(spare);
    }
    if (tooSmall == null && !askForMore) {
      return null;
    }
    List<BlobSpare> stale = tooSmall;
    inBackground(() -> {
      if (stale != null) {
        stale.forEach(BlobSpare::discard);
      }
      refill();
    });
    return null;
  }

  /** Wakes a caller waiting in {@link #take}, if there is one. */
  private void announce() {
    if (waiting > 0) {
      synchronized (arrivals) {
        arrivals.notifyAll();
      }
    }
  }

  /** The caller filled {@code spare} with {@code length} bytes for {@code target}: published, then replaced, in the background. */
  void filled(BlobSpare spare, Path target, int length, Runnable duplicate) {
    inBackground(() -> {
      refill(); // first: a caller without a spare writes the file itself, a reader finds an unrenamed blob all the same
      try {
        if (!spare.publish(target, length)) {
          duplicate.run();
        }
        UnpublishedBlobs.remove(target);
      } catch (IOException | RuntimeException e) {
        // readers still find it in its spare; the next open finishes it (SpareRecovery)
        log.warn("Could not rename the blob file {} to {}: {}", spare.path, target, e.toString());
      }
    });
  }

  /** How many spares are made and waiting (for tests that need the spare path taken). */
  int ready() {
    return readyCount.get();
  }

  /** Holds the background thread until {@code release} opens: filled spares stay unpublished (tests). */
  void hold(CountDownLatch release) {
    inBackground(() -> {
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
  }

  /** Waits until what was handed to the background thread before is done (tests, a sweep that must see published files). */
  void settle() throws IOException {
    try {
      maker.submit(() -> { }).get(30, TimeUnit.SECONDS);
    } catch (RejectedExecutionException e) {
      // closed: nothing runs there any more
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      throw new IOException("the blob spare thread of " + dir + " did not settle", e);
    }
  }

  /** Publishes what was filled, stops making spares and deletes those made. */
  void close() {
    closed = true;
    announce();
    if (!BackgroundThread.stop(maker, 10)) {
      log.warn("The blob spares of {} were still being published after 10 s; the next open finishes them", dir);
    }
    for (BlobSpare left; (left = ready.poll()) != null; ) {
      left.discard();
    }
  }

  /** How many spares of {@code capacity} bytes are kept ready. */
  static int aheadFor(int capacity) {
    return Math.max(1, Math.min(AHEAD, MAX_AHEAD_BYTES / Math.max(1, capacity)));
  }

  static int capacityFor(int length) {
    long c = ((long) length + SLACK + PAGE - 1) / PAGE * PAGE;
    return (int) Math.min(c, Integer.MAX_VALUE - PAGE);
  }

  /** On the maker thread: makes spares of the wanted capacity until {@link #aheadFor} of them are ready. */
  private void refill() {
    while (!closed && readyCount.get() < aheadFor(wanted)) {
      try {
        if (!dirMade) {
          Files.createDirectories(dir);
          dirMade = true;
        }
        BlobSpare made = BlobSpare.make(dir.resolve("next-" + names.incrementAndGet() + BlobSpare.SUFFIX), wanted);
        ready.add(made);
        readyCount.incrementAndGet();
        failing = false;
        announce();
      } catch (IOException | RuntimeException e) {
        log.debug("No spare blob file in {} ({}); the next blob is written by the caller", dir, e.toString());
        dirMade = false; // deleted by hand, perhaps: made again next time
        failing = true;
        announce();
        return;
      }
    }
  }

  /** Runs {@code task} on the maker thread, or here once the maker is shut down. */
  private void inBackground(Runnable task) {
    try {
      maker.execute(task);
    } catch (RejectedExecutionException e) {
      task.run(); // closed meanwhile
    }
  }
}
