package dev.trainlog.cli.importing;

import dev.trainlog.api.RunStatus;
import dev.trainlog.core.LogDispatcher;
import dev.trainlog.core.spec.DispatcherStats;
import dev.trainlog.tensorboard.read.TbRun;
import dev.trainlog.tensorboard.read.TensorBoardLogDir;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a TensorBoard log directory, each run through its own dispatcher. Following, it looks again and
 * again ({@link #run}): new runs, new event files and appended events are sent as a look finds them (on a
 * file-system event, or every poll interval); a run is closed at its HParams session end (with that status)
 * or after {@code idle} without a new event (finished), and opened again when written to; after every look
 * that read something, the offsets reached are saved to the state file, so a restart goes on where it
 * stopped. An import is one pass of the same reading ({@link #pass}), each run closed once it is read.
 */
final class TbFollower implements AutoCloseable {

  /** How often the directory is looked at when no file-system event comes: {@value} ms. */
  static final long DEFAULT_POLL_MILLIS = 500;

  /**
   * How long the runs' backends get to deliver when the follower stops: {@code 3 s}, so that with the close's own
   * grace the follower ends within 10 s of a SIGTERM whatever the backends do.
   */
  static final Duration STOP_TIMEOUT = Duration.ofSeconds(3);

  private static final Logger LOG = LoggerFactory.getLogger(TbFollower.class);

  private final Path root;
  private final RunNaming naming;
  private final YamlDispatchers dispatchers;
  private final RunEvents events;
  private final FollowState state;
  private final Duration idle;
  private final Clock clock;
  private final Map<Path, TbRunReader> runs = new LinkedHashMap<>();

  TbFollower(Path root, RunNaming naming, YamlDispatchers dispatchers, FollowState state, Duration idle, Clock clock,
      RunEvents events) {
    this.events = events;
    this.root = root;
    this.naming = naming;
    this.dispatchers = dispatchers;
    this.state = state;
    this.idle = idle;
    this.clock = clock;
  }

  /** Looks until {@code stop} says so, waking on file-system events or every {@code pollMillis}. */
  void run(BooleanSupplier stop, long pollMillis) throws IOException, InterruptedException {
    run(stop, pollMillis, () -> { });
  }

  /** As {@link #run(BooleanSupplier, long)}, calling {@code afterLook} after every look. */
  void run(BooleanSupplier stop, long pollMillis, Runnable afterLook) throws IOException, InterruptedException {
    try (DirWatcher watcher = new DirWatcher(root, true)) {
      FollowLoop.run(watcher, () -> {
        look();
        return false; // a directory is followed until stopped: its trainer may start another run
      }, stop, pollMillis, afterLook);
    }
  }

  /**
   * One look: reads what is new in every file, closes ended and idle runs, saves the state. A look is never cut
   * short, so that what one look found is sent whole before the follower stops.
   */
  void look() throws IOException {
    List<TbRun> found;
    try {
      found = AddHParams.merge(TensorBoardLogDir.scan(root));
    } catch (java.nio.file.NoSuchFileException e) {
      found = List.of(); // the trainer has not made it yet
    }
    read(found, new StickyStop(() -> false), PassProgress.NONE, false);
    long now = clock.millis();
    for (TbRunReader f : runs.values()) {
      RunStatus ended = f.sender.endStatus();
      if (ended != null) {
        f.sender.clearEnd();
        if (f.sender.isOpen()) {
          LOG.info("TensorBoard run {} ended ({})", f.directory, ended);
          f.sender.close(ended);
        }
      } else if (f.sender.isOpen() && now - f.lastActivity >= idle.toMillis()) {
        LOG.info("TensorBoard run {}: nothing new for {}; closed as finished", f.directory, idle);
        f.sender.close(RunStatus.FINISHED);
      }
    }
    if (refusedAny()) {
      // a dispatcher closed under us (the JVM's shutdown hook on SIGTERM): what it refused must be read again
      LOG.warn("A dispatcher refused events while the follower was stopping; the read positions are not saved,"
          + " so the next start reads them again (the records' ids keep stores from taking them twice)");
      return;
    }
    state.save();
  }

  /**
   * One pass over {@code found}, as an import makes it: each run read to its end and closed at once with the
   * status its HParams session end gives ({@code FINISHED} when there is none), or as killed when {@code stop}
   * says so while it is read; the runs after it are not read.
   */
  ImportTotals pass(List<TbRun> found, StickyStop stop, PassProgress progress) throws IOException {
    read(found, stop, progress, true);
    return totals();
  }

  /** The loop follow and import share: every run of {@code found} read in turn, each closed at once if {@code once}. */
  private void read(List<TbRun> found, StickyStop stop, PassProgress progress, boolean once) throws IOException {
    long now = clock.millis();
    for (TbRun run : found) {
      if (stop.getAsBoolean()) {
        return;
      }
      long started = System.nanoTime();
      TbRunReader f = runs.computeIfAbsent(run.directory(),
          d -> new TbRunReader(d, new RunSender(d, naming, dispatchers, events), state, now, this::saveAhead));
      if (once) {
        progress.start(run, size(run.eventFiles()));
      }
      try {
        f.read(run.eventFiles(), now, stop, progress, once);
      } finally {
        if (once) {
          closeReadRun(f, stop.stopped());
        }
      }
      if (once) {
        progress.finish(f.totals, (System.nanoTime() - started) / 1e9);
      }
    }
  }

  /** Closes a run an import read, counting it as without values or undelivered. */
  private static void closeReadRun(TbRunReader f, boolean stopped) {
    f.closeReaders();
    if (!f.sender.isOpen()) {
      f.totals.runsWithoutValues = 1;
    }
    RunStatus status = stopped ? RunStatus.KILLED : f.sender.endStatus();
    if (!f.sender.close(status == null ? RunStatus.FINISHED : status, stopped ? STOP_TIMEOUT : null)) {
      f.totals.undeliveredRuns = 1;
    }
  }

  private static long size(List<Path> files) throws IOException {
    long bytes = 0;
    for (Path f : files) {
      bytes += Files.size(f);
    }
    return bytes;
  }

  /** Saves the state in the middle of a look, unless a dispatcher refused events (they are read again). */
  private void saveAhead() throws IOException {
    if (!refusedAny()) {
      state.save();
    }
  }

  private boolean refusedAny() {
    for (TbRunReader f : runs.values()) {
      if (f.sender.refused() > 0) {
        return true;
      }
    }
    return false;
  }

  /** The counters of every open run's dispatcher. */
  List<DispatcherStats> openStats() {
    List<DispatcherStats> stats = new ArrayList<>();
    for (TbRunReader f : runs.values()) {
      LogDispatcher d = f.sender.dispatcher();
      if (d != null) {
        stats.add(d.stats());
      }
    }
    return stats;
  }

  /** What every run read so far, summed. */
  ImportTotals totals() {
    ImportTotals sum = new ImportTotals();
    runs.values().forEach(f -> sum.add(f.totals));
    return sum;
  }

  /**
   * Closes every open run with {@code status}, all at once and each within {@code timeout} (null: its configured
   * close timeout), and lets go of the files; the state is already saved. What a backend did not take by then
   * stays in the journal.
   */
  void close(RunStatus status, Duration timeout) {
    List<Thread> closers = new ArrayList<>();
    for (TbRunReader f : runs.values()) {
      if (f.sender.isOpen()) {
        Thread t = new Thread(() -> f.sender.close(status, timeout), "trainlog-follow-close");
        t.setDaemon(true);
        closers.add(t);
        t.start();
      }
    }
    for (Thread t : closers) {
      try {
        t.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    runs.values().forEach(TbRunReader::closeReaders);
  }

  /** Closes every open run as killed (the follower stopped, not necessarily the trainer) within {@link #STOP_TIMEOUT}. */
  @Override
  public void close() {
    close(RunStatus.KILLED, STOP_TIMEOUT);
  }
}
