package dev.trainlog.cli.importing;

import dev.trainlog.api.RunStatus;
import dev.trainlog.core.LogDispatcher;
import dev.trainlog.core.spec.DispatcherStats;
import dev.trainlog.tensorboard.read.EventFileReader;
import dev.trainlog.tensorboard.read.TbRecord;
import dev.trainlog.tensorboard.read.TbRun;
import dev.trainlog.tensorboard.read.TensorBoardLogDir;
import java.io.IOException;
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
 * Follows a TensorBoard log directory live: new runs, new event files and appended events are sent
 * through a dispatcher per run as soon as a look finds them (on a file-system event, or every poll
 * interval). A run is closed at its HParams session end (with that status) or after {@code idle}
 * without a new event (finished); written to again, it is opened again. After every look that read
 * something, the offsets reached are saved to the state file, so a restart goes on where it stopped.
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
  private final Map<Path, FollowedRun> runs = new LinkedHashMap<>();
  private final ImportTotals totals = new ImportTotals();

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
    try (DirWatcher watcher = new DirWatcher(root)) {
      while (!stop.getAsBoolean()) {
        look();
        afterLook.run();
        watcher.await(pollMillis);
      }
    }
  }

  /** One look: reads what is new in every file, closes ended and idle runs, saves the state. */
  void look() throws IOException {
    List<TbRun> found;
    try {
      found = AddHParams.merge(TensorBoardLogDir.scan(root));
    } catch (java.nio.file.NoSuchFileException e) {
      found = List.of(); // the trainer has not made it yet
    }
    long now = clock.millis();
    for (TbRun run : found) {
      FollowedRun f = runs.computeIfAbsent(run.directory(), d -> new FollowedRun(d, now));
      f.read(run.eventFiles(), now);
    }
    for (FollowedRun f : runs.values()) {
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

  private boolean refusedAny() {
    for (FollowedRun f : runs.values()) {
      if (f.sender.refused() > 0) {
        return true;
      }
    }
    return false;
  }

  /** The counters of every open run's dispatcher. */
  List<DispatcherStats> openStats() {
    List<DispatcherStats> stats = new ArrayList<>();
    for (FollowedRun f : runs.values()) {
      LogDispatcher d = f.sender.dispatcher();
      if (d != null) {
        stats.add(d.stats());
      }
    }
    return stats;
  }

  ImportTotals totals() {
    return totals;
  }

  /**
   * Closes every open run with {@code status}, all at once and each within {@code timeout} (null: its configured
   * close timeout), and lets go of the files; the state is already saved. What a backend did not take by then
   * stays in the journal.
   */
  void close(RunStatus status, Duration timeout) {
    List<Thread> closers = new ArrayList<>();
    for (FollowedRun f : runs.values()) {
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
    runs.values().forEach(FollowedRun::closeReaders);
  }

  /** Closes every open run as killed (the follower stopped, not necessarily the trainer) within {@link #STOP_TIMEOUT}. */
  @Override
  public void close() {
    close(RunStatus.KILLED, STOP_TIMEOUT);
  }

  /** One run directory: its files' readers, where each stands, and its sender. */
  private final class FollowedRun {
    final Path directory;
    final RunSender sender;
    final Map<Path, EventFileReader> readers = new LinkedHashMap<>();
    final Map<Path, Integer> indexes = new LinkedHashMap<>();
    long lastActivity;
    boolean probed;

    FollowedRun(Path directory, long now) {
      this.directory = directory;
      this.sender = new RunSender(directory, naming, dispatchers, events);
      this.lastActivity = now;
    }

    void read(List<Path> files, long now) throws IOException {
      if (!probed) {
        // what is already on disk at first sight may hold its hyperparameters after its first steps
        probed = true;
        sender.presetHparams(HParamsProbe.find(files));
      }
      for (Path file : files) {
        try {
          if (readNew(file)) {
            lastActivity = now;
          }
        } catch (IOException e) {
          LOG.warn("Could not read TensorBoard event file {}: {}; trying again at the next look", file, e.toString());
          closeReader(file);
        }
      }
    }

    /** Sends what is new in {@code file}; true if there was something. */
    private boolean readNew(Path file) throws IOException {
      EventFileReader reader = readers.get(file);
      if (reader == null) {
        String name = file.getFileName().toString();
        long[] mark = state.mark(directory, name);
        int index = mark != null ? (int) mark[0] : state.nextIndex(directory);
        long position = mark != null ? mark[1] : 0;
        reader = EventFileReader.open(file, position);
        readers.put(file, reader);
        indexes.put(file, index);
        state.put(directory, name, index, position);
      }
      int index = indexes.get(file);
      StepGrouper grouper = new StepGrouper(index);
      boolean any = false;
      for (TbRecord r; (r = reader.next()) != null; ) {
        any = true;
        totals.events++;
        sender.observe(file, r);
        if (r.hasValues()) {
          send(file, grouper.add(r));
        }
      }
      // what is there now is sent now, even if the step's next event is still to come
      send(file, grouper.flush());
      totals.scalars += grouper.scalars();
      state.put(directory, file.getFileName().toString(), index, reader.position());
      return any;
    }

    private void send(Path file, ImportedStep s) {
      if (s != null) {
        sender.send(file, s);
        totals.steps++;
      }
    }

    private void closeReader(Path file) {
      EventFileReader r = readers.remove(file);
      if (r != null) {
        try {
          r.close();
        } catch (IOException e) {
          LOG.debug("Closing {}: {}", file, e.toString());
        }
      }
    }

    void closeReaders() {
      for (Path file : new ArrayList<>(readers.keySet())) {
        closeReader(file);
      }
    }
  }
}
